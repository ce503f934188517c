/**
 * CLFS's `~`-delimited txt (`HDR~` lines, no header row, no long descriptors), cut from the real
 * 25CLABQ1 file: loaded where the zip has no csv and no xlsx, with the same rows and checks as the
 * csv; the csv is preferred when both are present (clfs.test.ts); its failures name file and line.
 */
import path from 'node:path';
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { importRelease } from '../../src/index.js';
import { backends, useFreshDatabase } from '../support/db.js';
import { fixture, scratchDir, writeFixtureFile, writeZip, zipMembers } from '../support/fixtures.js';
import { CLFS_2025_Q1, expectRefused } from './support.js';

const TXT_NAME = 'CLFS 2025 Q1V1.txt';
const TXT = fixture('clfs', '25CLABQ1', TXT_NAME);

describe.each(backends)('the CLFS txt on %s', (backend) => {
  const test = useFreshDatabase(backend);
  let scratch: string;
  beforeAll(async () => {
    scratch = await scratchDir();
  });
  const rows = async (revision: number) =>
    (
      await sql<Record<string, unknown>>`
        select t.hcpcs, t.modifier, t.year, t.effective_date::text as effective_date, t.indicator, trim_scale(t.rate)::text as rate, t.rate::text as written, t.short_description,
          t.long_description, t.extended_long_description
        from cms.clfs_rate t join cms.releases r on r.id = t.release_id and r.revision = ${revision}
        order by hcpcs, modifier`.execute(test.database.db)
    ).rows;
  /** the 25CLABQ1 zip with only the txt (its text edited) */
  async function txtZip(label: string, edit: (text: string) => string = (text) => text): Promise<string> {
    const members = await zipMembers(CLFS_2025_Q1);
    const text = Buffer.from(members[TXT_NAME]!).toString('latin1');
    return writeZip(path.join(scratch, label), '25CLABQ1.zip', { [TXT_NAME]: new Uint8Array(Buffer.from(edit(text), 'latin1')) });
  }

  it('a zip with only the txt loads the same rates, indicators, dates and short descriptors as the csv; no long descriptors', async () => {
    const fromCsv = await importRelease(test.database, CLFS_2025_Q1);
    expect(fromCsv.datasets[0]!.files).toMatchObject([{ format: 'csv' }]);
    const csvRows = await rows(0);
    // other bytes for the same quarter: the next revision

    const result = await importRelease(test.database, await txtZip('only-txt'));
    expect(result).toMatchObject({ status: 'loaded', code: '25CLABQ1', revision: 1, warnings: [] });
    expect(result.datasets).toMatchObject([{ dataset: 'clfs', rows: 24, files: [{ name: `25CLABQ1.zip:${TXT_NAME}`, format: 'txt' }] }]);
    const txtRows = await rows(1);
    // the same numbers; each file's own way of writing them is kept (`95.8` in the csv, `00095.80` in the txt)
    const same = (row: Record<string, unknown>) => ({ ...row, written: undefined });
    expect(txtRows.map(same)).toEqual(csvRows.map((row) => ({ ...same(row), long_description: null, extended_long_description: null })));
    expect(csvRows.find((row) => row.hcpcs === '87502')).toMatchObject({ written: '95.8' });
    expect(txtRows.find((row) => row.hcpcs === '87502')).toMatchObject({ written: '95.80' });
    // the padded fields: `  ` is no modifier, `00010.56` is 10.56, the descriptor's trailing spaces go
    expect(txtRows.filter((row) => row.hcpcs === '80053')).toEqual([
      expect.objectContaining({ modifier: '', indicator: 'N', written: '10.56', short_description: 'CPT descriptor withheld 80053' }),
      expect.objectContaining({ modifier: 'QW', indicator: 'N', written: '10.56' }),
    ]);
    expect(txtRows.find((row) => row.hcpcs === '82233')).toMatchObject({ indicator: 'L', written: '0.00' });
  });

  it('the txt file on its own is read too (its name says the quarter)', async () => {
    const copy = await writeFixtureFile(path.join(scratch, 'single'), TXT_NAME, await import('node:fs/promises').then((fs) => fs.readFile(TXT)));
    expect(await importRelease(test.database, copy)).toMatchObject({ status: 'loaded', code: '25CLABQ1', datasets: [{ rows: 24 }] });
  });

  it('a record with an unknown indicator fails, naming the member, line and value; nothing is loaded', async () => {
    const source = await txtZip('bad-indicator', (text) => text.replace('2025~82233~  ~20250101~L~', '2025~82233~  ~20250101~X~'));
    const error = await expectRefused(test.database, 'clfs_rate', source, { file: `25CLABQ1.zip:${TXT_NAME}`, value: 'X' });
    expect(error.line).toBe(10);
  });

  it('a record with a field too many fails as a short or long row; nothing is loaded', async () => {
    const source = await txtZip('extra-field', (text) => text.replace('2025~36415~  ~20250101~N~00009.09~', '2025~36415~  ~20250101~N~00009.09~extra~'));
    const error = await expectRefused(test.database, 'clfs_rate', source, { file: `25CLABQ1.zip:${TXT_NAME}` });
    expect(error.line).toBe(7);
  });

  it('a txt with only its HDR lines is refused: no data rows', async () => {
    const source = await txtZip('hdr-only', (text) => text.split('\r\n').filter((line) => line.startsWith('HDR~')).join('\r\n') + '\r\n');
    const error = await expectRefused(test.database, 'clfs_rate', source, { file: `25CLABQ1.zip:${TXT_NAME}` });
    expect(error.message).toMatch(/no data rows/);
  });
});
