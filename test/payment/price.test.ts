/**
 * `priceCode` and `priceSchedule` on the PFS fixtures (real excerpts of RVU24B, RVU25D, RVU26C):
 * each setting, NA, statuses without an amount, the OPPS cap applying and not, QPP in 2026,
 * localities by name, --date across a correction, anesthesia, and a locality's whole schedule.
 * Expected amounts are recomputed here from the stored RVUs and GPCIs with an independent exact
 * calculator (support.ts), not read back from the SQL under test.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importRelease, priceCode, priceSchedule, renderSchedule, UsageError } from '../../src/index.js';
import type { Database } from '../../src/db/database.js';
import { backends, openTestDatabase, type TestDatabase } from '../support/db.js';
import { copyFile } from 'node:fs/promises';
import path from 'node:path';
import { fixture, pfsZip, scratchDir, writeZip, zipMembers } from '../support/fixtures.js';
import { expectedAmount } from './support.js';

const SF = '01112-05';

async function storedInputs(database: Database, code: string, hcpcs: string, modifier: string, mac: string, locality: string) {
  const { rows } = await sql<Record<string, string>>`
    select v.work_rvu, v.nonfac_pe_rvu, v.fac_pe_rvu, v.mp_rvu, v.conv_factor, v.conv_factor_qpp, g.pw_gpci, g.pe_gpci, g.mp_gpci
    from cms.pfs_rvu v
    join cms.releases r on r.id = v.release_id and r.code = ${code} and r.status = 'active'
    join cms.pfs_gpci g on g.release_id = v.release_id and g.mac = ${mac} and g.locality = ${locality}
    where v.hcpcs = ${hcpcs} and v.modifier = ${modifier}`.execute(database.db);
  expect(rows).toHaveLength(1);
  return rows[0]!;
}

function terms(inputs: Record<string, string>, setting: 'nonfac' | 'fac'): [string, string][] {
  return [
    [inputs.work_rvu!, inputs.pw_gpci!],
    [inputs[`${setting}_pe_rvu`]!, inputs.pe_gpci!],
    [inputs.mp_rvu!, inputs.mp_gpci!],
  ];
}

describe.each(backends)('pricing on %s', (backend) => {
  let test: TestDatabase;
  let database: Database;
  beforeAll(async () => {
    test = await openTestDatabase(backend);
    database = test.database;
    for (const zip of [pfsZip('rvu24b'), pfsZip('rvu25d'), pfsZip('rvu26c')]) expect((await importRelease(database, zip)).status).toBe('loaded');
  });
  afterAll(() => test.close());

  it('prices both settings exactly: the formula, rounded once to cents, with the non-participating amount and limiting charge', async () => {
    const result = await priceCode(database, { hcpcs: '99213', locality: SF, release: 'RVU25D' });
    const inputs = await storedInputs(database, 'RVU25D', '99213', '', '01112', '05');
    expect(result.status).toEqual({ code: 'A', priced: true, reason: null });
    expect(result.locality).toMatchObject({ mac: '01112', state: 'CA', locality: '05' });
    expect(result.gpci).toEqual({ work: inputs.pw_gpci, pe: inputs.pe_gpci, mp: inputs.mp_gpci });
    for (const [key, setting] of [['nonFacility', 'nonfac'], ['facility', 'fac']] as const) {
      const price = result[key];
      const amount = expectedAmount(terms(inputs, setting), inputs.conv_factor!);
      expect(price.amount).toBe(amount);
      expect(price.paid).toBe(amount);
      expect(price.nonParticipating).toBe(expectedAmount(terms(inputs, setting), inputs.conv_factor!, '0.95'));
      expect(price.limitingCharge).toBe(expectedAmount(terms(inputs, setting), inputs.conv_factor!, '1.0925'));
      expect(price.na).toBe(false);
      expect(price.oppsCap).toBeNull();
    }
    // By hand: (0.93 × 1.088 + 0.98 × 1.419 + 0.10 × 0.445) × 32.3465 — the two settings differ only in PE.
    expect([result.nonFacility.amount, result.facility.amount]).toEqual(['109.15', '73.35']);
    expect(result.nonFacility.amountQpp).toBeNull();
  });

  it('keeps the amount of an NA setting and flags it', async () => {
    const result = await priceCode(database, { hcpcs: '27447', locality: SF, release: 'RVU25D' });
    const inputs = await storedInputs(database, 'RVU25D', '27447', '', '01112', '05');
    expect(result.nonFacility.na).toBe(true);
    expect(result.facility.na).toBe(false);
    expect(result.nonFacility.amount).toBe(expectedAmount(terms(inputs, 'nonfac'), inputs.conv_factor!));
    expect(result.notes.join(' ')).toMatch(/rarely or never performed/);
  });

  it.each([
    ['80053', 'X', /Statutory exclusion/],
    ['A2001', 'C', /Contractor-priced .*Medicare Administrative Contractor/],
    ['G9788', 'M', /quality reporting only/],
  ])('gives no amount for %s (status %s) and says why', async (hcpcs, status, reason) => {
    const result = await priceCode(database, { hcpcs, locality: SF, release: 'RVU25D' });
    expect(result.status.code).toBe(status);
    expect(result.status.priced).toBe(false);
    expect(result.status.reason).toMatch(reason);
    for (const price of [result.nonFacility, result.facility]) {
      expect([price.amount, price.paid, price.limitingCharge, price.nonParticipating, price.gpciRvus]).toEqual([null, null, null, null, null]);
    }
  });

  it('pays the OPPS cap where it is lower, for both settings, with the limiting charge of what is paid', async () => {
    const result = await priceCode(database, { hcpcs: '70496', modifier: 'TC', locality: SF, release: 'RVU25D' });
    const { rows } = await sql<{ nonfac_price: string; fac_price: string }>`
      select o.nonfac_price, o.fac_price from cms.pfs_opps_cap o join cms.releases r on r.id = o.release_id and r.code = 'RVU25D'
      where o.hcpcs = '70496' and o.modifier = 'TC' and o.mac = '01112' and o.locality = '05'`.execute(database.db);
    const inputs = await storedInputs(database, 'RVU25D', '70496', 'TC', '01112', '05');
    expect(result.nonFacility.amount).toBe(expectedAmount(terms(inputs, 'nonfac'), inputs.conv_factor!));
    expect(result.nonFacility.oppsCap).toBe(rows[0]!.nonfac_price);
    expect(result.facility.oppsCap).toBe(rows[0]!.fac_price);
    expect(Number(result.nonFacility.oppsCap) < Number(result.nonFacility.amount)).toBe(true); // sanity of the fixture, not of the code
    expect(result.nonFacility).toMatchObject({ capped: true, paid: rows[0]!.nonfac_price, limitingCharge: expectedAmount([[rows[0]!.nonfac_price, '1']], '1', '1.0925') });
    expect(result.facility).toMatchObject({ capped: true, paid: rows[0]!.fac_price });
    expect(result.opps).toMatchObject({ known: true, procStatus: 'A' });
  });

  it('does not apply the OPPS cap where the code has none, or where the cap is higher', async () => {
    const professional = await priceCode(database, { hcpcs: '70496', modifier: '26', locality: SF, release: 'RVU25D' });
    expect(professional.nonFacility).toMatchObject({ oppsCap: null, capped: false, paid: professional.nonFacility.amount });
    expect(professional.opps).toMatchObject({ known: true, procStatus: null, note: null });

    // A re-post of RVU25D whose cap for 70496-TC in 01112-05 is above the fee schedule amount.
    const members = await zipMembers(pfsZip('rvu25d'));
    const csv = new TextDecoder('latin1').decode(members['OPPSCAP_Oct.csv']);
    const raised = csv.replace(/^70496,TC,A,01112,05,[\d.]+,[\d.]+/m, '70496,TC,A,01112,05,300.00,300.00');
    expect(raised).not.toBe(csv);
    const dir = await scratchDir();
    const zip = await writeZip(dir, 'rvu25d.zip', { ...members, 'OPPSCAP_Oct.csv': raised });
    const repost = await importRelease(database, zip);
    expect(repost).toMatchObject({ code: 'RVU25D', revision: 1 });
    const result = await priceCode(database, { hcpcs: '70496', modifier: 'TC', locality: SF, release: 'RVU25D' });
    expect(result.release.revision).toBe(1);
    expect(result.nonFacility).toMatchObject({ oppsCap: '300.00', capped: false, paid: result.nonFacility.amount });
    // The superseded revision still prices with its own, lower cap.
    const old = await priceCode(database, { hcpcs: '70496', modifier: 'TC', locality: SF, release: 'RVU25D@0' });
    expect(old.nonFacility.capped).toBe(true);
    expect(old.release).toMatchObject({ revision: 0, status: 'superseded' });
  });

  it('a contractor-priced code with an OPPS cap: no amount, the cap, and a sentence', async () => {
    const result = await priceCode(database, { hcpcs: '0633T', modifier: 'TC', locality: SF, release: 'RVU25D' });
    expect(result.status.priced).toBe(false);
    expect(result.nonFacility).toMatchObject({ amount: null, paid: null, oppsCap: '150.69' });
    expect(result.opps.note).toMatch(/may not exceed the OPPS cap/);
  });

  it('2026: the non-QPP CF by default, --qpp for the QPP CF, both amounts always', async () => {
    const inputs = await storedInputs(database, 'RVU26C', '99213', '', '01112', '05');
    expect([inputs.conv_factor, inputs.conv_factor_qpp]).toEqual(['33.4009', '33.5675']);
    const standard = await priceCode(database, { hcpcs: '99213', locality: SF, release: 'RVU26C' });
    const qpp = await priceCode(database, { hcpcs: '99213', locality: SF, release: 'RVU26C', qpp: true });
    for (const result of [standard, qpp]) {
      expect(result.nonFacility.amount).toBe(expectedAmount(terms(inputs, 'nonfac'), '33.4009'));
      expect(result.nonFacility.amountQpp).toBe(expectedAmount(terms(inputs, 'nonfac'), '33.5675'));
      expect(result.facility.amountQpp).toBe(expectedAmount(terms(inputs, 'fac'), '33.5675'));
    }
    expect(standard.conversionFactorUsed).toBe('non-qpp');
    expect(qpp.conversionFactorUsed).toBe('qpp');
    expect(qpp.nonFacility.amountQpp).not.toBe(qpp.nonFacility.amount);
    await expect(priceCode(database, { hcpcs: '99213', locality: SF, release: 'RVU25D', qpp: true })).rejects.toThrow('RVU25D has no QPP conversion factor (before 2026 CMS published one factor; from 2026 the QPP one comes from the QPP PPRRVU file, which this release was loaded without)');
  });

  it('RVU26C has no OPPSCAP file: the cap is unknown, not absent', async () => {
    const result = await priceCode(database, { hcpcs: '70496', modifier: 'TC', locality: SF, release: 'RVU26C' });
    expect(result.opps.known).toBe(false);
    expect(result.opps.note).toMatch(/no OPPSCAP file loaded/);
  });

  it('finds a locality by MAC-locality, state-locality, or name: one match is used, several are listed', async () => {
    const byState = await priceCode(database, { hcpcs: '99213', locality: 'ca-5', release: 'RVU25D' });
    expect(byState.locality).toMatchObject({ mac: '01112', locality: '05' });
    const byName = await priceCode(database, { hcpcs: '99213', locality: 'bakersfield', release: 'RVU25D' });
    expect(byName.locality).toMatchObject({ mac: '01112', locality: '54', state: 'CA' });
    // A county of LOCCO's lists
    const byCounty = await priceCode(database, { hcpcs: '99213', locality: 'kern', release: 'RVU25D' });
    expect(byCounty.locality.locality).toBe('54');
    const several = priceCode(database, { hcpcs: '99213', locality: 'rest of', release: 'RVU25D' });
    await expect(several).rejects.toBeInstanceOf(UsageError);
    await expect(several).rejects.toThrow(/matches \d+ localities of RVU25D; name one:\n {2}01112-75 {2}CA-75 {2}REST OF CALIFORNIA/);
    await expect(priceCode(database, { hcpcs: '99213', locality: 'atlantis', release: 'RVU25D' })).rejects.toThrow(/no locality of RVU25D matches/);
  });

  it('--date picks the release in effect that day, across a mid-quarter correction', async () => {
    // RVU24A took effect 2024-01-01 with CF 32.7442; the correction RVU24AR from 2024-03-09 with 33.2875.
    const members = await zipMembers(pfsZip('rvu24b'));
    const { 'PPRRVU24_APR.csv': csv, 'PPRRVU24_APR.txt': _txt, 'PPRRVU24_APR.xlsx': _xlsx, ...rest } = members;
    const original = new TextDecoder('latin1').decode(csv);
    const january = original.replace(/,33\.2875,/g, ',32.7442,');
    expect(january).not.toBe(original);
    const dir = await scratchDir();
    const a = await writeZip(dir, 'a/rvu24a.zip', { ...rest, 'PPRRVU24_JAN.csv': january });
    const ar = await writeZip(dir, 'ar/rvu24ar.zip', { ...rest, 'PPRRVU24_JAN.csv': original });
    expect(await importRelease(database, a, { code: 'RVU24A', effectiveFrom: '2024-01-01' })).toMatchObject({ status: 'loaded', code: 'RVU24A' });
    expect(await importRelease(database, ar, { code: 'RVU24AR', effectiveFrom: '2024-03-09' })).toMatchObject({ status: 'loaded', code: 'RVU24AR' });

    const before = await priceCode(database, { hcpcs: '99213', locality: SF, date: '2024-03-08' });
    const after = await priceCode(database, { hcpcs: '99213', locality: SF, date: '2024-03-09' });
    const april = await priceCode(database, { hcpcs: '99213', locality: SF, date: '2024-04-01' });
    expect([before.release.code, before.conversionFactor]).toEqual(['RVU24A', '32.7442']);
    expect([after.release.code, after.conversionFactor]).toEqual(['RVU24AR', '33.2875']);
    expect(april.release.code).toBe('RVU24B');
    const inputs = await storedInputs(database, 'RVU24A', '99213', '', '01112', '05');
    expect(before.nonFacility.amount).toBe(expectedAmount(terms(inputs, 'nonfac'), '32.7442'));
    expect(after.nonFacility.amount).toBe(expectedAmount(terms(inputs, 'nonfac'), '33.2875'));
    await expect(priceCode(database, { hcpcs: '99213', locality: SF, date: '2023-12-31' })).rejects.toThrow(/no loaded PFS release is in effect on 2023-12-31/);
    // 2025's release is not loaded: 2024's RVUs and CF would be a wrong 2025 amount, so none.
    await expect(priceCode(database, { hcpcs: '99213', locality: SF, date: '2025-03-01' })).rejects.toThrow(
      /no loaded PFS release is in effect on 2025-03-01: the latest before it, RVU24B \(in effect from 2024-04-01\), is 2024's fee schedule, which does not apply in 2025/,
    );
    expect((await priceCode(database, { hcpcs: '99213', locality: SF, date: '2024-12-31' })).release.code).toBe('RVU24B');
    await expect(priceCode(database, { hcpcs: '99213', locality: SF, date: '2024-02-30' })).rejects.toThrow(/expected a date as YYYY-MM-DD/);
    await expect(priceCode(database, { hcpcs: '99213', locality: SF, date: '2024-03-09', release: 'RVU24B' })).rejects.toThrow(/give one/);
  });

  it('anesthesia: the locality CF, and (base + minutes ÷ 15 rounded to one decimal) × CF', async () => {
    const { rows } = await sql<{ anes_cf: string }>`
      select a.anes_cf from cms.pfs_anes_cf a join cms.releases r on r.id = a.release_id and r.code = 'RVU25D'
      where a.mac = '01112' and a.locality = '05'`.execute(database.db);
    const cf = rows[0]!.anes_cf;
    const plain = await priceCode(database, { hcpcs: '00100', locality: SF, release: 'RVU25D' });
    expect(plain.status).toMatchObject({ code: 'J', priced: false });
    expect(plain.anesthesia).toMatchObject({ conversionFactor: cf, nationalConversionFactor: '20.3178', amount: null });
    expect(plain.anesthesia!.note).toMatch(/--base-units N --minutes M/);

    // 37 minutes = 2.4667 time units → 2.5; (5 + 2.5) × CF rounded once, half-up.
    const timed = await priceCode(database, { hcpcs: '00100', locality: SF, release: 'RVU25D', baseUnits: '5', minutes: '37' });
    expect(timed.anesthesia).toMatchObject({ baseUnits: '5', minutes: '37', timeUnits: '2.5', amount: expectedAmount([['7.5', cf]], '1') });
    expect(cf).toBe('22.37'); // 7.5 × 22.37 = 167.775: the half cent rounds up
    expect(timed.anesthesia!.amount).toBe('167.78');

    await expect(priceCode(database, { hcpcs: '00100', locality: SF, release: 'RVU25D', baseUnits: '5' })).rejects.toThrow(/go together/);
    await expect(priceCode(database, { hcpcs: '00100', locality: SF, release: 'RVU25D', baseUnits: '5', minutes: '-3' })).rejects.toThrow(/--minutes -3/);
    await expect(priceCode(database, { hcpcs: '99213', locality: SF, release: 'RVU25D', baseUnits: '5', minutes: '30' })).rejects.toThrow(/anesthesia codes/);
  });

  it('names a missing code or modifier', async () => {
    await expect(priceCode(database, { hcpcs: '99999', locality: SF, release: 'RVU25D' })).rejects.toThrow(/99999 is not in RVU25D/);
    await expect(priceCode(database, { hcpcs: '99213', modifier: 'TC', locality: SF, release: 'RVU25D' })).rejects.toThrow(/no row with modifier TC .*its modifiers: \(none\)/);
    await expect(priceCode(database, { hcpcs: '9921', locality: SF })).rejects.toThrow(/not an HCPCS code/);
  });

  it('--all: one row per code and modifier of the release, in code order', async () => {
    const schedule = await priceSchedule(database, { locality: SF, release: 'RVU25D' });
    const { rows } = await sql<{ n: number }>`
      select d.row_count as n from cms.release_datasets d join cms.releases r on r.id = d.release_id
      where r.code = 'RVU25D' and r.status = 'active' and d.dataset = 'pprrvu'`.execute(database.db);
    expect(schedule.rows).toHaveLength(rows[0]!.n);
    expect(schedule.rows).toHaveLength(52);
    const keys = schedule.rows.map((row) => `${row.hcpcs}|${row.modifier}`);
    expect(keys).toEqual([...keys].sort());
    const single = await priceCode(database, { hcpcs: '99213', locality: SF, release: 'RVU25D' });
    expect(schedule.rows.find((row) => row.hcpcs === '99213')).toMatchObject({ nonfac_amount: single.nonFacility.amount, fac_amount: single.facility.amount });
    const csv = renderSchedule(schedule, 'csv').trimEnd().split('\n');
    expect(csv).toHaveLength(53);
    expect(csv[0]).toMatch(/^release,mac,locality,state,hcpcs,modifier,status_code,nonfac_amount,fac_amount,/);
    expect(csv.find((line) => line.includes(',99213,'))).toMatch(/^RVU25D,01112,05,CA,99213,,A,109\.15,73\.35,false,false,/);
    expect(JSON.parse(renderSchedule(schedule, 'json')).rows).toHaveLength(52);
  });

  it('--all says where the OPPS cap is unknown, so that an uncapped "paid" is not taken for what is paid', async () => {
    const known = renderSchedule(await priceSchedule(database, { locality: SF, release: 'RVU25D' }), 'csv').trimEnd().split('\n');
    expect(known[0]).toMatch(/,fac_paid_qpp,opps_cap_known$/);
    expect(known.slice(1).every((line) => line.endsWith(',true'))).toBe(true);
    // RVU26C was loaded without an OPPSCAP file: a cap may apply, nobody here knows
    const unknown = await priceSchedule(database, { locality: SF, release: 'RVU26C' });
    expect(unknown.rows.length).toBeGreaterThan(0);
    expect(unknown.rows.every((row) => row.opps_cap_known === false)).toBe(true);
    expect(renderSchedule(unknown, 'csv').trimEnd().split('\n').slice(1).every((line) => line.endsWith(',false'))).toBe(true);
  });

  it('a release without a GPCI file is not priced by locality (no GPCIs borrowed from another release)', async () => {
    const dir = await scratchDir();
    const lone = path.join(dir, 'PPRRVU2026_Oct_nonQPP.csv');
    await copyFile(fixture('pfs', 'rvu26c', 'PPRRVU2026_Jul_nonQPP.csv'), lone);
    expect(await importRelease(database, lone)).toMatchObject({ status: 'loaded', code: 'RVU26D' });
    await expect(priceCode(database, { hcpcs: '99213', locality: SF, release: 'RVU26D' })).rejects.toThrow(/RVU26D has no GPCI file loaded/);
    await expect(priceCode(database, { hcpcs: '99213', locality: SF })).rejects.toThrow(/RVU26D has no GPCI file loaded/);
  });
});
