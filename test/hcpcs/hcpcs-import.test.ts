/**
 * Importing the HCPCS fixture zips end to end through the engine, on PGlite and (with
 * TEST_DATABASE_URL) PostgreSQL: tables, current views, the txt/xlsx cross-check, bad input.
 */
import path from 'node:path';
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { importRelease } from '../../src/index.js';
import { backends, useFreshDatabase } from '../support/db.js';
import { expectImportRefused } from '../support/refused.js';
import { scratchDir, writeZip, zipMembers } from '../support/fixtures.js';
import { fixturePath } from './support.js';

const ANNUAL_2020 = fixturePath('2020-Alpha-Numeric-HCPCS-File.zip');
const OCT_2025 = fixturePath('october-2025-alpha-numeric-hcpcs-file.zip');

describe.each(backends)('HCPCS import on %s', (backend) => {
  const test = useFreshDatabase(backend);
  let scratch: string;
  beforeAll(async () => {
    scratch = await scratchDir();
  });

  const db = () => test.database.db;
  const load = (source: string) => importRelease(test.database, source);
  const query = async <T>(statement: ReturnType<typeof sql<T>>) => (await statement.execute(db())).rows;

  it('loads the 2020 annual zip from its txt, cross-checked against the xls without disagreement', async () => {
    const result = await load(ANNUAL_2020);
    expect(result).toMatchObject({ status: 'loaded', family: 'hcpcs', code: 'HCPC2020_JAN', revision: 0, effectiveFrom: '2020-01-01' });
    expect(Object.fromEntries(result.datasets.map((d) => [d.dataset, d.rows]))).toEqual({ hcpcs_code: 26, hcpcs_modifier: 14 });
    expect(result.datasets.flatMap((d) => d.files.map((f) => f.name))).toEqual([
      '2020-Alpha-Numeric-HCPCS-File.zip:HCPC2020_ANWEB_w_disclaimer.txt',
      '2020-Alpha-Numeric-HCPCS-File.zip:HCPC2020_ANWEB_w_disclaimer.txt',
    ]);
    expect(result.warnings).toEqual([]);

    const [g0124] = await query(sql<Record<string, unknown>>`
      select hcpcs, pricing_ind, mult_pricing_ind, cim, mcm, lab_cert, tos, anes_base_units::text as anes,
             add_date::text as add_date, termination_date, action_code
      from cms.hcpcs_code_current where hcpcs = 'G0124'`);
    expect(g0124).toEqual({
      hcpcs: 'G0124',
      pricing_ind: ['11', '21'],
      mult_pricing_ind: 'C',
      cim: ['50-20'],
      mcm: null,
      lab_cert: ['630'],
      tos: ['5'],
      anes: '0',
      add_date: '1998-04-01',
      termination_date: null,
      action_code: 'N',
    });
    const [ad] = await query(sql<Record<string, unknown>>`
      select modifier, long_description, mcm, termination_date from cms.hcpcs_modifier_current where modifier = 'AD'`);
    expect(ad).toEqual({
      modifier: 'AD',
      long_description: 'Medical supervision by a physician: more than four concurrent anesthesia procedures',
      mcm: ['3350.5'],
      termination_date: null,
    });
  });

  it('keeps both releases as snapshots; the current views show the newest', async () => {
    await load(ANNUAL_2020);
    const october = await load(OCT_2025);
    expect(october).toMatchObject({ status: 'loaded', code: 'HCPC2025_OCT', effectiveFrom: '2025-10-01', warnings: [] });
    expect(Object.fromEntries(october.datasets.map((d) => [d.dataset, d.rows]))).toEqual({ hcpcs_code: 32, hcpcs_modifier: 16 });

    const counts = await query(sql<{ code: string; codes: number; modifiers: number }>`
      select r.code,
        (select count(*)::int from cms.hcpcs_code c where c.release_id = r.id) as codes,
        (select count(*)::int from cms.hcpcs_modifier m where m.release_id = r.id) as modifiers
      from cms.releases r order by r.effective_from`);
    expect(counts).toEqual([
      { code: 'HCPC2020_JAN', codes: 26, modifiers: 14 },
      { code: 'HCPC2025_OCT', codes: 32, modifiers: 16 },
    ]);
    const current = await query(sql<{ n: number }>`select count(*)::int as n from cms.hcpcs_code_current`);
    expect(current).toEqual([{ n: 32 }]);
    const [x3] = await query(sql<{ long_description: string }>`select long_description from cms.hcpcs_modifier_current where modifier = 'X3'`);
    expect(x3?.long_description).toMatch(/^Episodic\/broad services:/); // "servies" in 2020
    const [c9248] = await query(sql<{ pricing_ind: string[]; termination_date: unknown }>`
      select pricing_ind, termination_date::text as termination_date from cms.hcpcs_code_current where hcpcs = 'C9248'`);
    expect(c9248).toEqual({ pricing_ind: ['53', '11'], termination_date: '2025-09-30' }); // PRICE2 blank, PRICE3 11
  });

  it('warns, with counts, where the xlsx disagrees with the txt it was shipped with', async () => {
    const members = await zipMembers(OCT_2025);
    const txt = Buffer.from(members['HCPC2025_OCT_ANWEB.txt']!).toString('latin1');
    // Change J0570's short description in the txt only.
    const changed = txt.replace('Buprenorphine implant 74.2mg', 'Buprenorphine implant 74.2MG');
    expect(changed).not.toBe(txt);
    const zip = await writeZip(scratch, 'october-2025-alpha-numeric-hcpcs-file.zip', {
      ...members,
      'HCPC2025_OCT_ANWEB.txt': Buffer.from(changed, 'latin1'),
    });
    const result = await load(zip);
    expect(result.status).toBe('loaded');
    const codeWarnings = result.warnings.filter((warning) => warning.includes('disagrees'));
    expect(codeWarnings).toHaveLength(1);
    expect(codeWarnings[0]).toMatch(/HCPC2025_OCT_ANWEB\.xlsx disagrees with .*HCPC2025_OCT_ANWEB\.txt \(loaded\): 0 keys only in xlsx, 0 only in txt, 1 rows differ \(short_description 1\)/);
  });

  it('cross-checks a txt re-posted under a new suffix against the workbook beside it, and refuses two txt files', async () => {
    const { 'HCPC2025_OCT_ANWEB.txt': txt, ...others } = await zipMembers(OCT_2025);
    // The re-posted txt corrects one short description: the comparison with the older xlsx shows it.
    const corrected = Buffer.from(Buffer.from(txt!).toString('latin1').replace('Buprenorphine implant 74.2mg', 'Buprenorphine implant 74.2MG'), 'latin1');
    const reposted = await writeZip(path.join(scratch, 'v2'), 'october-2025-alpha-numeric-hcpcs-file.zip', { ...others, 'HCPC2025_OCT_ANWEB_v2.txt': corrected });
    const result = await load(reposted);
    expect(result.datasets[0]!.files).toEqual([
      expect.objectContaining({ name: 'october-2025-alpha-numeric-hcpcs-file.zip:HCPC2025_OCT_ANWEB_v2.txt', format: 'txt' }),
    ]);
    expect(result.warnings.filter((warning) => warning.includes('disagrees'))).toEqual([
      expect.stringMatching(/HCPC2025_OCT_ANWEB\.xlsx disagrees with .*HCPC2025_OCT_ANWEB_v2\.txt \(loaded\): .*1 rows differ \(short_description 1\)/),
    ]);

    const twoTxt = await writeZip(path.join(scratch, 'two'), 'october-2025-alpha-numeric-hcpcs-file.zip', { ...others, 'HCPC2025_OCT_ANWEB.txt': txt!, 'HCPC2025_OCT_ANWEB_v2.txt': txt! });
    const error = await expectImportRefused(test.database, () => load(twoTxt));
    expect(error.message).toMatch(/2 txt files for dataset hcpcs_code; expected one/);
  });

  it('loads a lone ANWEB workbook', async () => {
    const result = await load(fixturePath('2025-oct', 'HCPC2025_OCT_ANWEB.xlsx'));
    expect(result).toMatchObject({ status: 'loaded', code: 'HCPC2025_OCT' });
    expect(Object.fromEntries(result.datasets.map((d) => [d.dataset, d.rows]))).toEqual({ hcpcs_code: 32, hcpcs_modifier: 16 });
  });

  it('stops at a bad record, naming member and line, and loads nothing', async () => {
    const members = await zipMembers(ANNUAL_2020);
    const lines = Buffer.from(members['HCPC2020_ANWEB_w_disclaimer.txt']!).toString('latin1').split('\r\n');
    lines[42] = `${lines[42]!.slice(0, 10)}5${lines[42]!.slice(11)}`; // line 43: RECID 5
    const zip = await writeZip(scratch, '2020-Alpha-Numeric-HCPCS-File.zip', {
      ...members,
      'HCPC2020_ANWEB_w_disclaimer.txt': Buffer.from(lines.join('\r\n'), 'latin1'),
    });
    const error = await expectImportRefused(test.database, () => load(zip));
    expect(error).toBeInstanceOf(InputError);
    expect(error).toMatchObject({ file: '2020-Alpha-Numeric-HCPCS-File.zip:HCPC2020_ANWEB_w_disclaimer.txt', line: 43, column: 'RECID (pos 11)' });
    expect(error.message).toMatch(/line 43, column RECID \(pos 11\): unknown record id/);
  });

  it('refuses a zip whose name and data file name different releases', async () => {
    const zip = await writeZip(scratch, 'january-2026-alpha-numeric-hcpcs-file.zip', await zipMembers(OCT_2025));
    const error = await expectImportRefused(test.database, () => load(zip));
    expect(error.message).toMatch(/january-2026-alpha-numeric-hcpcs-file is HCPC2026_JAN, HCPC2025_OCT_ANWEB.txt is HCPC2025_OCT/);
  });
});
