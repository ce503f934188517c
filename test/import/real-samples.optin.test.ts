/**
 * Opt-in: every real PFS sample in $CMS_SAMPLES_DIR/pfs (`npm run test:samples`) imported end to
 * end, with row counts and a sample of values compared against the files themselves, read here
 * independently with csv-parse.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importRelease } from '../../src/index.js';
import { backends, openTestDatabase, type TestDatabase } from '../support/db.js';

function samplesDir(): string {
  const dir = process.env.CMS_SAMPLES_DIR;
  if (!dir) throw new Error('CMS_SAMPLES_DIR is not set: it must point at the cms-samples folder');
  return path.join(dir, 'pfs');
}

/** The data rows of a PPRRVU csv (a 5-character code in the first cell), as field lists. */
function pprrvuRows(csv: Buffer): string[][] {
  const rows = parse(csv.toString('latin1'), { relax_column_count: true }) as string[][];
  return rows.filter((row) => /^[A-Z0-9]{5}$/.test(row[0] ?? '') && row[0] !== 'HCPCS');
}

/** The csv members of each sample: a zip's, or a folder's files. */
function sampleFiles(name: string): Record<string, Buffer> {
  const full = path.join(samplesDir(), name);
  if (name.endsWith('.zip')) {
    const members = unzipSync(readFileSync(full));
    return Object.fromEntries(Object.entries(members).map(([member, bytes]) => [member, Buffer.from(bytes)]));
  }
  return Object.fromEntries(readdirSync(full).map((file) => [file, readFileSync(path.join(full, file))]));
}

describe.each(backends)('real PFS samples on %s', (backend) => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await openTestDatabase(backend);
  });
  afterAll(() => test.close());

  it.each(['rvu24b.zip', 'rvu25d.zip', 'rvu26c-partial'])('%s loads every row exactly as written', { timeout: 180_000 }, async (name) => {
    const result = await importRelease(test.database, path.join(samplesDir(), name));
    expect(result.status).toBe('loaded');
    const files = sampleFiles(name);
    const pprrvuName = Object.keys(files).find((file) => /^PPRRVU.*\.csv$/i.test(file) && !/_QPP/i.test(file))!;
    const expected = pprrvuRows(files[pprrvuName]!);
    const loaded = result.datasets.find((dataset) => dataset.dataset === 'pprrvu')!;
    expect(loaded.rows).toBe(expected.length);

    // Every 97th row: the RVUs, indicators and factor as stored, against the file's text.
    const header = (parse(files[pprrvuName]!.toString('latin1'), { relax_column_count: true, to_line: 10 }) as string[][])[9]!;
    const offset = header.length === 32 ? 1 : 0;
    for (let index = 0; index < expected.length; index += 97) {
      const row = expected[index]!;
      const stored = await test.database.db
        .selectFrom('cms.pfs_rvu')
        .select(['work_rvu', 'nonfac_pe_rvu', 'fac_pe_rvu', 'mp_rvu', 'nonfac_total', 'fac_total', 'status_code', 'global_days', 'conv_factor', 'nonfac_na'])
        .where('release_id', '=', result.releaseId)
        .where('hcpcs', '=', row[0]!)
        .where('modifier', '=', row[1]!.trim())
        .executeTakeFirstOrThrow();
      expect(stored).toEqual({
        work_rvu: row[5],
        nonfac_pe_rvu: row[6],
        fac_pe_rvu: row[8],
        mp_rvu: row[10],
        nonfac_total: row[11],
        fac_total: row[12],
        status_code: row[3],
        global_days: row[14],
        conv_factor: row[24 + offset],
        nonfac_na: row[7] === 'NA',
      });
    }

    const gpciName = Object.keys(files).find((file) => /^GPCI.*\.csv$/i.test(file));
    if (gpciName) {
      const localities = (parse(files[gpciName]!.toString('latin1'), { relax_column_count: true }) as string[][]).filter((row) => /^\d{5}$/.test(row[0] ?? ''));
      expect(result.datasets.find((dataset) => dataset.dataset === 'gpci')!.rows).toBe(localities.length);
    }
    const oppsName = Object.keys(files).find((file) => /^OPPSCAP.*\.csv$/i.test(file));
    if (oppsName) {
      const caps = (parse(files[oppsName]!.toString('latin1'), { relax_column_count: true }) as string[][]).filter((row) => /^[A-Z0-9]{5}$/.test(row[0] ?? '') && row[0] !== 'HCPCS');
      expect(result.datasets.find((dataset) => dataset.dataset === 'oppscap')!.rows).toBe(caps.length);
    }
  });
});
