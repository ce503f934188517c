/**
 * The payment SQL as text, without a database (pipelines/pfs/payment-sql.ts): built from the
 * constants of payment.ts, every statement re-runnable. What the SQL computes is tested on both
 * databases in test/payment/; this file only pins that the text is made from the declared rules.
 */
import { describe, expect, it } from 'vitest';
import {
  ANESTHESIA_FUNCTION,
  ANESTHESIA_TIME_UNITS_FUNCTION,
  NATIONAL_VIEW,
  PAYMENT_ROWS_FUNCTION,
  PAYMENT_SQL,
  PAYMENT_VIEW,
} from '../../pipelines/pfs/payment-sql.js';
import { ANES_MINUTES_PER_UNIT, ANES_TIME_UNIT_DECIMALS, LIMITING_CHARGE_FACTOR, NONPAR_FACTOR, PRICED_STATUSES } from '../../pipelines/pfs/payment.js';

describe('payment SQL text', () => {
  it('five statements in order, each create or replace (a migration may run them again)', () => {
    expect(PAYMENT_SQL).toEqual([PAYMENT_ROWS_FUNCTION, ANESTHESIA_FUNCTION, ANESTHESIA_TIME_UNITS_FUNCTION, PAYMENT_VIEW, NATIONAL_VIEW]);
    expect(PAYMENT_SQL.map((statement) => /^\s*create or replace (function|view) (cms\.\w+)/.exec(statement)?.slice(1))).toEqual([
      ['function', 'cms.pfs_payment_rows'],
      ['function', 'cms.pfs_anesthesia_amount'],
      ['function', 'cms.pfs_anesthesia_time_units'],
      ['view', 'cms.pfs_payment'],
      ['view', 'cms.pfs_payment_national'],
    ]);
  });

  it('prices exactly the priced statuses, with the declared factors', () => {
    expect(PAYMENT_ROWS_FUNCTION).toContain(`v.status_code in (${PRICED_STATUSES.map((status) => `'${status}'`).join(', ')})`);
    expect(PAYMENT_ROWS_FUNCTION).toContain("v.status_code in ('A', 'R', 'T')");
    for (const setting of ['nonfac', 'fac', 'nonfac_qpp', 'fac_qpp']) {
      expect(PAYMENT_ROWS_FUNCTION).toContain(`round(paid.${setting} * ${NONPAR_FACTOR}, 2)`);
      expect(PAYMENT_ROWS_FUNCTION).toContain(`round(paid.${setting} * ${LIMITING_CHARGE_FACTOR}, 2)`);
    }
  });

  it('anesthesia: time units of the declared minutes, rounded to the declared decimals, in both functions', () => {
    for (const statement of [ANESTHESIA_FUNCTION, ANESTHESIA_TIME_UNITS_FUNCTION]) {
      expect(statement).toContain(`round(p_minutes / ${ANES_MINUTES_PER_UNIT}, ${ANES_TIME_UNIT_DECIMALS})`);
      expect(statement).toMatch(/language sql immutable\s+as \$fn\$[\s\S]+\$fn\$$/);
    }
    expect(ANESTHESIA_FUNCTION).toContain('* p_anes_cf, 2)');
  });

  it('both views read the one function, for PFS releases only', () => {
    expect(PAYMENT_VIEW).toContain('cross join lateral cms.pfs_payment_rows(r.id) p');
    expect(NATIONAL_VIEW).toContain('cross join lateral cms.pfs_payment_rows(r.id, p_national => true) p');
    for (const view of [PAYMENT_VIEW, NATIONAL_VIEW]) expect(view).toMatch(/where r\.family = 'pfs'$/);
  });
});
