/**
 * `catalog <code>` shows, beside the PFS, the code in the other schedules (OPPS Addendum B, ASP,
 * CLFS): each one's status in words and its amount only where it pays the code on its own, with
 * its release and quarter; never a bare 0 for a status that means "no separate payment".
 */
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
