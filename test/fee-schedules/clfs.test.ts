/**
 * The Clinical Laboratory Fee Schedule end to end: the 25CLABQ1 zip (csv loaded, xlsx compared,
 * txt beside them not read: see clfs-txt.test.ts), zero-padded rates, locally priced `L` rows, modifiers, one year per file, and
 * the failure rules.
 */
import path from 'node:path';
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { diffReleases, importRelease } from '../../src/index.js';
import { backends, useFreshDatabase } from '../support/db.js';
import { replaceOnce, scratchDir, writeZip, zipMembers } from '../support/fixtures.js';
import { CLFS_2025_Q1, CLFS_2025_Q1_CSV, expectRefused } from './support.js';

describe.each(backends)('CLFS on %s', (backend) => {
  const test = useFreshDatabase(backend);
  let scratch: string;
  beforeAll(async () => {
    scratch = await scratchDir();
  });
  const load = (source: string) => importRelease(test.database, source);
  const rates = async (hcpcs: string) =>
    (
      await sql<Record<string, unknown>>`
        select hcpcs, modifier, year, effective_date::text as effective_date, indicator, rate::text as rate, short_description
        from cms.clfs_rate_current where hcpcs = ${hcpcs} order by modifier`.execute(test.database.db)
    ).rows;

  async function editedZip(label: string, name: string, edit: (csv: string) => string): Promise<string> {
    const members = await zipMembers(CLFS_2025_Q1);
    members[CLFS_2025_Q1_CSV] = new Uint8Array(Buffer.from(edit(Buffer.from(members[CLFS_2025_Q1_CSV]!).toString('latin1')), 'latin1'));
    delete members['CLFS 2025 Q1V1.xlsx'];
    return writeZip(path.join(scratch, label), name, members);
  }

  it('loads 25CLABQ1 from its csv, the xlsx agreeing; the txt beside them is not read (the csv is preferred)', async () => {
    const result = await load(CLFS_2025_Q1);
    expect(result).toMatchObject({ status: 'loaded', family: 'clfs', code: '25CLABQ1', revision: 0, effectiveFrom: '2025-01-01', warnings: [] });
    expect(result.datasets).toMatchObject([{ dataset: 'clfs', table: 'clfs_rate', rows: 24, files: [{ name: `25CLABQ1.zip:${CLFS_2025_Q1_CSV}`, format: 'csv' }] }]);
    // `00010.56` and `51.31` in one file: both exact decimals.
    expect(await rates('80053')).toEqual([
      { hcpcs: '80053', modifier: '', year: 2025, effective_date: '2025-01-01', indicator: 'N', rate: '10.56', short_description: 'CPT descriptor withheld 80053' },
      { hcpcs: '80053', modifier: 'QW', year: 2025, effective_date: '2025-01-01', indicator: 'N', rate: '10.56', short_description: 'CPT descriptor withheld 80053' },
    ]);
    expect(await rates('U0002')).toMatchObject([{ modifier: '', rate: '51.31' }, { modifier: 'QW', rate: '51.31' }]);
    // Locally priced: CMS's 0 kept as written with the indicator that says what it means.
    expect(await rates('0020M')).toMatchObject([{ indicator: 'L', rate: '0.00' }]);
    expect(await rates('G0327')).toMatchObject([{ indicator: 'L', rate: '0', short_description: 'Colon ca scrn;bld-bsd biomrk' }]);
  });

  it('the file name alone tells the quarter; a V2 re-post of the same quarter is revision 1', async () => {
    await load(CLFS_2025_Q1);
    const v2 = await editedZip('v2', '25CLABQ1V2.zip', (csv) => replaceOnce(csv, '2025,36415,,20250101,N,00009.09,', '2025,36415,,20250101,N,00009.10,'));
    expect(await load(v2)).toMatchObject({ code: '25CLABQ1', revision: 1, superseded: { revision: 0 } });
    const diff = await diffReleases(test.database, '25CLABQ1@0', '25CLABQ1@1');
    expect(diff.changes).toEqual([expect.objectContaining({ hcpcs: '36415', modifier: '', fields: { rate: { from: '9.09', to: '9.10' } } })]);
  });

  it('an unknown indicator is refused with the known ones', async () => {
    const source = await editedZip('indicator', '25CLABQ1.zip', (csv) => replaceOnce(csv, '2025,85025,,20250101,N,', '2025,85025,,20250101,X,'));
    await expectRefused(test.database, 'clfs_rate', source, { line: 14, column: 'INDICATOR', value: 'X', expected: 'one of N, L' });
  });

  it('a second year in one file is refused', async () => {
    const source = await editedZip('year', '25CLABQ1.zip', (csv) => replaceOnce(csv, '2025,85025,,20250101,', '2024,85025,,20250101,'));
    await expectRefused(test.database, 'clfs_rate', source, { line: 14, column: 'YEAR', problem: 'a second value in one file' });
  });

  it('a date that is not yyyymmdd is refused', async () => {
    const source = await editedZip('date', '25CLABQ1.zip', (csv) => replaceOnce(csv, '2025,85025,,20250101,', '2025,85025,,01/01/2025,'));
    await expectRefused(test.database, 'clfs_rate', source, { line: 14, column: 'EFF_DATE', value: '01/01/2025', problem: 'not a date' });
  });

  it('a rate with a thousands separator or a sign of the wrong kind is refused', async () => {
    const source = await editedZip('rate', '25CLABQ1.zip', (csv) => replaceOnce(csv, ',N,00007.77,', ',N,$7.77,'));
    await expectRefused(test.database, 'clfs_rate', source, { line: 14, column: 'RATE', value: '$7.77', problem: 'not a number' });
  });

  it('a duplicated code and modifier names both lines', async () => {
    const source = await editedZip('duplicate', '25CLABQ1.zip', (csv) => replaceOnce(csv, '2025,85025,QW,', '2025,85025,,'));
    await expectRefused(test.database, 'clfs_rate', source, { line: 15, problem: 'duplicate key hcpcs="85025", modifier=""' });
  });
});
