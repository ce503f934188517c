/**
 * The PFS code tables and what the price and code pages say of them (pipelines/pfs/codes.ts,
 * payment.ts, status.ts, diff.ts) agree with one another: every status a PPRRVU file may carry has
 * a meaning and a payment sentence; the priced ones are exactly those paid from RVUs, the others
 * each explain themselves; every indicator code has a meaning on the price page.
 */
import { describe, expect, it } from 'vitest';
import { BILAT_SURG, GLOBAL_DAYS, MULT_PROC, PCTC_INDICATORS, STATUS_CODES, SURGERY_INDICATORS } from '../../pipelines/pfs/codes.js';
import { anesDiff, gpciDiff, loccoDiff, oppscapDiff, pprrvuDiff } from '../../pipelines/pfs/diff.js';
import { anes } from '../../pipelines/pfs/anes.js';
import { gpci } from '../../pipelines/pfs/gpci.js';
import { locco } from '../../pipelines/pfs/locco.js';
import { oppscap } from '../../pipelines/pfs/oppscap.js';
import { pprrvu } from '../../pipelines/pfs/pprrvu.js';
import {
  FORMULA,
  INDICATORS,
  LIMITING_CHARGE_FACTOR,
  NA_MEANING,
  NO_RVUS,
  NONPAR_FACTOR,
  OPPS_CAP_CONTRACTOR,
  OPPS_CAP_MEANING,
  PRICED_STATUSES,
  UNPRICED_STATUS,
} from '../../pipelines/pfs/payment.js';
import { PFS_STATUSES } from '../../pipelines/pfs/status.js';
import { decimalToScaled } from '../../src/parse/values.js';

describe('statuses', () => {
  it('every status code has one entry, in the order of the code table', () => {
    expect(PFS_STATUSES.map((status) => status.code)).toEqual([...STATUS_CODES]);
  });

  it('paid from RVUs exactly for the priced statuses (A, R, T)', () => {
    expect(PFS_STATUSES.filter((status) => status.paidFromRvus).map((status) => status.code)).toEqual([...PRICED_STATUSES]);
  });

  it('each has its own meaning and payment sentence', () => {
    for (const status of PFS_STATUSES) {
      expect(status.meaning.length).toBeGreaterThan(5);
      expect(status.payment).toMatch(/^[A-Z].*\.$/);
    }
    expect(new Set(PFS_STATUSES.map((status) => status.meaning)).size).toBe(PFS_STATUSES.length);
    expect(new Set(PFS_STATUSES.map((status) => status.payment)).size).toBe(PFS_STATUSES.length);
  });

  it('every status without RVU payment explains itself, naming the status; the priced ones need no such text', () => {
    const unpriced = [...STATUS_CODES].filter((code) => !(PRICED_STATUSES as readonly string[]).includes(code));
    expect(Object.keys(UNPRICED_STATUS).sort()).toEqual(unpriced.sort());
    for (const [code, text] of Object.entries(UNPRICED_STATUS)) expect(text).toContain(`(status ${code})`);
    expect(new Set(Object.values(UNPRICED_STATUS)).size).toBe(unpriced.length);
    expect(NO_RVUS).toContain('(status {status})');
  });
});

describe('payment factors and notes', () => {
  it('the limiting charge is 115 % of the non-participating 95 %', () => {
    expect(decimalToScaled(NONPAR_FACTOR, 4) * 115n).toBe(decimalToScaled(LIMITING_CHARGE_FACTOR, 4) * 100n);
  });

  it('the notes a price page shows say what they are about', () => {
    for (const term of ['work RVU', 'work GPCI', 'PE RVU', 'PE GPCI', 'MP RVU', 'MP GPCI', 'CF']) expect(FORMULA).toContain(term);
    expect(NA_MEANING).toMatch(/^NA: /);
    expect(OPPS_CAP_MEANING).toMatch(/^OPPS cap: /);
    expect(OPPS_CAP_CONTRACTOR).toMatch(/^The contractor prices this code/);
  });

  it('every indicator code a PPRRVU file may carry has a meaning, each its own', () => {
    const tables = {
      pctc_ind: PCTC_INDICATORS,
      global_days: GLOBAL_DAYS,
      mult_proc: MULT_PROC,
      bilat_surg: BILAT_SURG,
      asst_surg: SURGERY_INDICATORS,
      co_surg: SURGERY_INDICATORS,
      team_surg: SURGERY_INDICATORS,
    } as const;
    expect(Object.keys(INDICATORS).sort()).toEqual(Object.keys(tables).sort());
    for (const [field, codes] of Object.entries(tables)) {
      const { label, meanings } = INDICATORS[field as keyof typeof tables];
      expect(Object.keys(meanings).sort()).toEqual([...codes].sort());
      expect(label.length).toBeGreaterThan(5);
      for (const meaning of Object.values(meanings)) expect(meaning.length).toBeGreaterThan(5);
      expect(new Set(Object.values(meanings)).size).toBe(codes.size);
    }
    expect(new Set(Object.values(INDICATORS).map((indicator) => indicator.label)).size).toBe(Object.keys(tables).length);
  });
});

describe('diff specs name columns of their datasets', () => {
  it.each([
    ['pprrvu', pprrvu, pprrvuDiff],
    ['gpci', gpci, gpciDiff],
    ['locco', locco, loccoDiff],
    ['anes', anes, anesDiff],
    ['oppscap', oppscap, oppscapDiff],
  ] as const)('%s', (_, dataset, diff) => {
    expect(dataset.diff).toBe(diff);
    const columns = new Set(dataset.columns);
    const named = [diff.labelColumn, ...(diff.summary ?? []), ...(diff.layoutOnly ?? []), ...(diff.moves ?? []), ...Object.values(diff.feed ?? {})].filter(
      (column): column is string => column !== undefined,
    );
    for (const column of named) expect(columns.has(column)).toBe(true);
    for (const column of diff.moves ?? []) expect(column).toMatch(/rvu|total|gpci|cf|price/);
  });
});
