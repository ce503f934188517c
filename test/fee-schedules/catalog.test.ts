/**
 * `catalog <code>` shows, beside the PFS, the code in the other schedules (OPPS Addendum B, ASP,
 * CLFS): each one's status in words and its amount only where it pays the code on its own, with
 * its release and quarter; never a bare 0 for a status that means "no separate payment".
 */
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { catalogRecord, priceCode, renderCatalogRecord, renderPrice } from '../../src/index.js';
import { pfsZip, useEditorialDatabase } from '../editorial/support.js';
import { backends } from '../support/db.js';
import { fixture } from '../support/fixtures.js';
import { ASP_JAN_2025, CLFS_2025_Q1 } from './support.js';

/** The demo site's January 2025 Addendum B: the fixture rows and A2001 (SI N). */
const OPPS_SITE_JAN_2025 = fixture('opps', 'january-2025-addendum-b.zip');

describe.each(backends)('the catalog with the other schedules on %s', (backend) => {
  const db = useEditorialDatabase(backend, [pfsZip('rvu25d'), OPPS_SITE_JAN_2025, ASP_JAN_2025, CLFS_2025_Q1]);

  it('A2001: PFS status C (contractor priced) and OPPS SI N (packaged): words, no amount', async () => {
    const record = (await catalogRecord(db.database, 'A2001'))!;
    expect(record.pfs).toMatchObject({ status: { code: 'C', paid_from_rvus: false }, national: { nonfac: null, fac: null } });
    expect(record.schedules.map((entry) => [entry.family, entry.status, entry.paid, entry.amount, entry.release.code, entry.release.quarterName])).toEqual([
      ['opps', 'N', false, null, 'OPPS2025_JAN', 'January 2025'],
    ]);
    const text = renderCatalogRecord(record);
    expect(text).toMatch(/^National amount: +none: not paid from its RVUs$/m);
    expect(text).toMatch(
      /^Other schedules: +hospital outpatient \(OPPS Addendum B\): packaged into the payment for other services: no separate payment \(SI N\), January 2025 \(OPPS2025_JAN\)$/m,
    );
    expect(text).not.toMatch(/\$0(\.0+)?\b/);
  });

  it('90371: paid separately by OPPS (SI K) and at its ASP payment limit: the amounts, with release and quarter', async () => {
    const record = (await catalogRecord(db.database, '90371'))!;
    expect(record.schedules.map((entry) => [entry.family, entry.status, entry.paid, entry.amount, entry.release.code])).toEqual([
      ['opps', 'K', true, '146.31', 'OPPS2025_JAN'],
      ['asp', null, true, '146.312', 'ASP2025_JAN'],
    ]);
    const lines = renderCatalogRecord(record).split('\n');
    const at = lines.findIndex((line) => line.startsWith('Other schedules:'));
    expect(lines.slice(at, at + 2)).toEqual([
      'Other schedules:   hospital outpatient (OPPS Addendum B): $146.31 payment rate: non-pass-through drug or biological: paid separately (SI K), January 2025 (OPPS2025_JAN)',
      '                   Part B drug payment limit (ASP): $146.312 payment limit: payment limit per dosage unit, January 2025 (ASP2025_JAN)',
    ]);
  });

  it('80053: the CLFS national limit of its own row (not the QW modifier row)', async () => {
    const record = (await catalogRecord(db.database, '80053'))!;
    expect(record.schedules.map((entry) => [entry.family, entry.status, entry.paid, entry.amount, entry.release.code])).toEqual([
      ['clfs', 'N', true, '10.56', '25CLABQ1'],
    ]);
  });

  it('price shows the other schedules beside the PFS amount: paid ones with their amount, packaged ones in words', async () => {
    const paid = await priceCode(db.database, { hcpcs: '90371', locality: '01112-05' });
    expect(paid.schedules.map((entry) => [entry.family, entry.paid, entry.amount])).toEqual([
      ['opps', true, '146.31'],
      ['asp', true, '146.312'],
    ]);
    const text = renderPrice(paid);
    expect(text).toContain(
      '\nother schedules:\n  hospital outpatient (OPPS Addendum B): $146.31 payment rate: non-pass-through drug or biological: paid separately (SI K), January 2025 (OPPS2025_JAN)\n  Part B drug payment limit (ASP): $146.312 payment limit',
    );
    const packaged = await priceCode(db.database, { hcpcs: 'A2001', locality: '01112-05' });
    expect(packaged.status.priced).toBe(false);
    expect(packaged.schedules.map((entry) => [entry.family, entry.status, entry.paid, entry.amount])).toEqual([['opps', 'N', false, null]]);
    expect(renderPrice(packaged)).toMatch(/^  hospital outpatient \(OPPS Addendum B\): packaged into the payment for other services: no separate payment \(SI N\), January 2025 \(OPPS2025_JAN\)$/m);
  });
});

describe.each(backends)('the view cms.code_catalog with the other schedules on %s', (backend) => {
  const db = useEditorialDatabase(backend, [pfsZip('rvu24b'), pfsZip('rvu25d'), pfsZip('rvu26c'), OPPS_SITE_JAN_2025, ASP_JAN_2025, CLFS_2025_Q1]);
  const catalog = (codes: string[]) =>
    sql<Record<string, string | null>>`
      select hcpcs, status_code, national_nonfac_amount, opps_release, opps_quarter, opps_status, opps_meaning, opps_payment_rate,
        asp_release, asp_quarter, asp_meaning, asp_payment_limit, clfs_release, clfs_quarter, clfs_indicator, clfs_meaning, clfs_national_limit
      from cms.code_catalog where hcpcs = any(${codes}::text[]) order by hcpcs`
      .execute(db.database.db)
      .then((result) => result.rows);

  it('each schedule: release, quarter, status and its meaning; the amount only where that schedule pays separately', async () => {
    const none = { asp_release: null, asp_quarter: null, asp_meaning: null, asp_payment_limit: null, clfs_release: null, clfs_quarter: null, clfs_indicator: null, clfs_meaning: null, clfs_national_limit: null };
    const opps = { opps_release: 'OPPS2025_JAN', opps_quarter: 'January 2025' };
    expect(await catalog(['80053', '90371', 'A2001'])).toEqual([
      {
        hcpcs: '80053', status_code: 'X', national_nonfac_amount: null,
        opps_release: null, opps_quarter: null, opps_status: null, opps_meaning: null, opps_payment_rate: null,
        ...none,
        clfs_release: '25CLABQ1', clfs_quarter: 'January 2025', clfs_indicator: 'N', clfs_meaning: 'national limitation amount', clfs_national_limit: '10.56',
      },
      {
        hcpcs: '90371', status_code: expect.any(String), national_nonfac_amount: null,
        ...opps, opps_status: 'K', opps_meaning: 'non-pass-through drug or biological: paid separately', opps_payment_rate: '146.31',
        ...none,
        asp_release: 'ASP2025_JAN', asp_quarter: 'January 2025', asp_meaning: 'payment limit per dosage unit', asp_payment_limit: '146.312',
      },
      {
        hcpcs: 'A2001', status_code: 'A', national_nonfac_amount: '127.26',
        ...opps, opps_status: 'N', opps_meaning: 'packaged into the payment for other services: no separate payment', opps_payment_rate: null,
        ...none,
      },
    ]);
  });

  it('the national amounts read from cms.pfs_payment_rows are those of total RVUs × CF rounded once (the 0005 computation), for every code of every release', async () => {
    const releases = await sql<{ id: string }>`select id from cms.releases where family = 'pfs' order by id`.execute(db.database.db);
    expect(releases.rows).toHaveLength(3);
    for (const { id } of releases.rows) {
      const { rows } = await sql<{ compared: string; priced: string; differing: string }>`
        select count(*)::text as compared, count(c.national_nonfac_amount)::text as priced, count(*) filter (where
          c.national_nonfac_amount is distinct from old.nonfac or c.national_fac_amount is distinct from old.fac
          or c.national_nonfac_amount_qpp is distinct from old.nonfac_qpp or c.national_fac_amount_qpp is distinct from old.fac_qpp)::text as differing
        from cms.code_catalog_as_of(${id}::bigint, null) c
        join lateral (
          select case when s.paid_from_rvus then round(p.nonfac_total * p.conv_factor, 2) end as nonfac,
                 case when s.paid_from_rvus then round(p.fac_total * p.conv_factor, 2) end as fac,
                 case when s.paid_from_rvus then round(p.nonfac_total * p.conv_factor_qpp, 2) end as nonfac_qpp,
                 case when s.paid_from_rvus then round(p.fac_total * p.conv_factor_qpp, 2) end as fac_qpp
          from cms.pfs_rvu p left join cms.pfs_status s on s.status_code = p.status_code
          where p.release_id = ${id}::bigint and p.hcpcs = c.hcpcs and p.modifier = ''
        ) old on true`.execute(db.database.db);
      expect(Number(rows[0]!.compared)).toBeGreaterThan(30);
      expect(Number(rows[0]!.priced)).toBeGreaterThan(10);
      expect(rows[0]!.differing).toBe('0');
    }
  });
});
