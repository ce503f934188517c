/**
 * Opt-in (`CMS_SAMPLES_DIR`, `npm run test:samples`): the full RVU24B → RVU25D PPRRVU diff
 * (≈ 18.5k × 19k rows) checked against an independent computation: both csv files parsed here
 * with csv-parse, compared column by column in JavaScript.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diffReleases, importRelease, type ReleaseDiff } from '../../src/index.js';
import { backends, openTestDatabase, type TestDatabase } from '../support/db.js';

/** The 31 columns of the 2008–2025 PPRRVU layout, in file order. */
const COLUMNS = [
  'hcpcs', 'modifier', 'description', 'status_code', 'not_used_for_medicare', 'work_rvu', 'nonfac_pe_rvu', 'nonfac_na',
  'fac_pe_rvu', 'fac_na', 'mp_rvu', 'nonfac_total', 'fac_total', 'pctc_ind', 'global_days', 'pre_op', 'intra_op', 'post_op',
  'mult_proc', 'bilat_surg', 'asst_surg', 'co_surg', 'team_surg', 'endo_base', 'conv_factor', 'phys_supervision', 'calc_flag',
  'diag_imaging_family', 'nonfac_pe_opps', 'fac_pe_opps', 'mp_opps',
] as const;
const NUMERIC = new Set(['work_rvu', 'nonfac_pe_rvu', 'fac_pe_rvu', 'mp_rvu', 'nonfac_total', 'fac_total', 'pre_op', 'intra_op', 'post_op', 'nonfac_pe_opps', 'fac_pe_opps', 'mp_opps']);
const FLAGS = new Set(['not_used_for_medicare', 'nonfac_na', 'fac_na']);

function samplesDir(): string {
  const dir = process.env.CMS_SAMPLES_DIR;
  if (!dir) throw new Error('CMS_SAMPLES_DIR is not set: it must point at the cms-samples folder');
  return path.join(dir, 'pfs');
}

/** A value as this test compares it: numbers canonical (no padding zeros), flags set or not, text trimmed. */
function canonical(column: string, raw: string): string {
  const text = raw.trim();
  if (FLAGS.has(column)) return text === '' ? 'no' : 'yes';
  if (!NUMERIC.has(column) || text === '') return text;
  const [whole = '', fraction = ''] = text.split('.');
  return `${whole.replace(/^0+(?=\d)/, '') || '0'}.${fraction.replace(/0+$/, '')}`;
}

/** HCPCS-MOD → column → canonical value, from the PPRRVU csv of a release zip. */
function pprrvu(zip: string): Map<string, Record<string, string>> {
  const members = unzipSync(readFileSync(path.join(samplesDir(), zip)));
  const name = Object.keys(members).find((member) => /^PPRRVU.*\.csv$/i.test(member))!;
  const rows = parse(Buffer.from(members[name]!).toString('latin1'), { relax_column_count: true }) as string[][];
  const header = rows.find((row) => row[0] === 'HCPCS')!;
  expect(header).toHaveLength(COLUMNS.length);
  expect(header[24]).toBe('FACTOR');
  const byKey = new Map<string, Record<string, string>>();
  for (const row of rows.filter((cells) => /^[A-Z0-9]{5}$/.test(cells[0] ?? '') && cells[0] !== 'HCPCS')) {
    const values = Object.fromEntries(COLUMNS.map((column, index) => [column, canonical(column, row[index] ?? '')]));
    byKey.set(`${values.hcpcs}-${values.modifier}`, values);
  }
  return byKey;
}

describe.each(backends)('the real RVU24B → RVU25D diff on %s', (backend) => {
  let test: TestDatabase;
  let diff: ReleaseDiff;
  beforeAll(async () => {
    test = await openTestDatabase(backend);
    await importRelease(test.database, path.join(samplesDir(), 'rvu24b.zip'));
    await importRelease(test.database, path.join(samplesDir(), 'rvu25d.zip'));
    diff = await diffReleases(test.database, 'RVU24B', 'RVU25D');
  }, 300_000);
  afterAll(() => test.close());

  it('finds exactly the added, removed and changed codes, and the changed fields, that the csv files show', () => {
    const [before, after] = [pprrvu('rvu24b.zip'), pprrvu('rvu25d.zip')];
    const added = [...after.keys()].filter((key) => !before.has(key)).sort();
    const removed = [...before.keys()].filter((key) => !after.has(key)).sort();
    const changed: Record<string, string[]> = {};
    const perField: Record<string, number> = {};
    for (const [key, old] of before) {
      const next = after.get(key);
      if (!next) continue;
      const fields = COLUMNS.filter((column) => column !== 'conv_factor' && old[column] !== next[column]);
      if (fields.length === 0) continue;
      changed[key] = [...fields].sort();
      for (const field of fields) perField[field] = (perField[field] ?? 0) + 1;
    }

    const keyOf = (change: { readonly [column: string]: unknown }) => `${String(change.hcpcs)}-${String(change.modifier)}`;
    const ofKind = (kind: string) => diff.changes.filter((change) => change.change === kind);
    expect(ofKind('added').map(keyOf).sort()).toEqual(added);
    expect(ofKind('removed').map(keyOf).sort()).toEqual(removed);
    expect(Object.fromEntries(ofKind('changed').map((change) => [keyOf(change), Object.keys(change.fields).sort()]))).toEqual(changed);
    expect(diff.summary).toMatchObject({ added: added.length, removed: removed.length, changed: Object.keys(changed).length, fields: perField });
    expect(diff.summary.conv_factor).toEqual({ from: '33.2875', to: '32.3465' });
    // 18,534 × 19,090 rows: hundreds added and removed, thousands re-valued.
    expect(added.length).toBeGreaterThan(100);
    expect(Object.keys(changed).length).toBeGreaterThan(1000);
  });
});
