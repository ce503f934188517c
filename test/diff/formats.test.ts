/**
 * The output formats of a diff: JSON (the documented, stable shape), CSV (one line per changed
 * field), Markdown (a summary and tables to paste into a pull request) and the terminal table.
 */
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diffReleases, importRelease, renderDiff, type ReleaseDiff } from '../../src/index.js';
import { backends, openTestDatabase, type TestDatabase } from '../support/db.js';
import { pfsZip } from '../support/fixtures.js';
import { CHANGES_99213_RVU24B_TO_RVU25D } from './support.js';

describe.each(backends)('diff output formats on %s', (backend) => {
  let test: TestDatabase;
  let diff: ReleaseDiff;
  beforeAll(async () => {
    test = await openTestDatabase(backend);
    await importRelease(test.database, pfsZip('rvu24b'));
    await importRelease(test.database, pfsZip('rvu25d'));
    diff = await diffReleases(test.database, 'RVU24B', 'RVU25D');
  });
  afterAll(() => test.close());

  it('json: the documented shape, numbers as decimal strings exactly as stored', () => {
    const json = JSON.parse(renderDiff(diff, 'json')) as Record<string, unknown>;
    expect(Object.keys(json)).toEqual(['from', 'to', 'family', 'dataset', 'key', 'label', 'summary', 'changes']);
    expect(json).toMatchObject({ from: 'RVU24B', to: 'RVU25D', family: 'pfs', dataset: 'pfs_rvu', key: ['hcpcs', 'modifier'], label: 'description' });
    const summary = json.summary as Record<string, unknown>;
    expect(Object.keys(summary)).toEqual(['added', 'removed', 'changed', 'fields', 'conv_factor', 'conv_factor_qpp', 'largest_moves', 'not_compared']);
    expect(summary).toMatchObject({ added: 6, removed: 2, changed: 29, conv_factor: { from: '33.2875', to: '32.3465' }, conv_factor_qpp: { from: null, to: null } });
    const changes = json.changes as Record<string, unknown>[];
    expect(changes.find((change) => change.hcpcs === '99213')).toEqual({
      hcpcs: '99213',
      modifier: '',
      change: 'changed',
      fields: CHANGES_99213_RVU24B_TO_RVU25D,
    });
    // A trailing zero stays: 15.30, not 15.3.
    expect(changes.find((change) => change.hcpcs === '27447')!.fields).toMatchObject({ fac_pe_rvu: { from: '14.96', to: '15.30' } });
  });

  it('csv: a header row, then one line per changed field (an added or removed key: one per value)', () => {
    const text = renderDiff(diff, 'csv');
    const rows = parse(text) as string[][];
    expect(rows[0]).toEqual(['hcpcs', 'modifier', 'change', 'field', 'from', 'to']);
    const expectedLines = diff.changes.reduce((sum, change) => sum + Math.max(1, Object.keys(change.fields).length), 0);
    expect(rows.length - 1).toBe(expectedLines);
    expect(rows.filter((row) => row[0] === '99213')).toEqual([
      ['99213', '', 'changed', 'nonfac_pe_rvu', '1.33', '1.35'],
      ['99213', '', 'changed', 'fac_pe_rvu', '0.56', '0.57'],
      ['99213', '', 'changed', 'nonfac_total', '2.73', '2.75'],
      ['99213', '', 'changed', 'fac_total', '1.96', '1.97'],
    ]);
    // Descriptions with commas are quoted; flags are true/false.
    expect(text).toContain('J1961,,changed,description,"Inj, lenacapavir, 1 mg",');
    expect(rows).toContainEqual(['G9037', '', 'added', 'not_used_for_medicare', '', 'true']);
    expect(rows.filter((row) => row[0] === '15819').every((row) => row[2] === 'removed' && row[5] === '')).toBe(true);
  });

  it('md: a summary and tables ready to paste, with pipes escaped', () => {
    const md = renderDiff(diff, 'md');
    expect(md).toMatch(/^### pfs `pfs_rvu`: RVU24B → RVU25D\n\n- 6 added, 2 removed, 29 changed\n- `conv_factor`: 33\.2875 → 32\.3465\n/);
    expect(md).toContain('#### Largest moves\n\n| hcpcs | modifier | field | from | to | delta |\n|---|---|---|---|---|---|\n| 22526 |  | nonfac_pe_rvu | 52.15 | 49.39 | -2.76 |');
    expect(md).toContain('#### Changes\n\n| hcpcs | modifier | change | field | from | to |\n|---|---|---|---|---|---|\n');
    expect(md).toContain('| 99213 |  | changed | nonfac_pe_rvu | 1.33 | 1.35 |');
    // An added code is one line with its description.
    expect(md).toContain('| 0867T |  | added | description |  | CPT descriptor withheld 0867T |');
    const piped: ReleaseDiff = {
      ...diff,
      changes: [{ hcpcs: 'X0001', modifier: '', change: 'changed', fields: { description: { from: 'a | b', to: 'c\nd' } } }],
    };
    expect(renderDiff(piped, 'md')).toContain('| X0001 |  | changed | description | a \\| b | c d |');
  });

  it('table: the summary first, then a plain text table of the changes', () => {
    const table = renderDiff(diff, 'table');
    expect(table.split('\n')[0]).toBe('RVU24B → RVU25D (pfs pfs_rvu): 6 added, 2 removed, 29 changed');
    expect(table).toContain('conv_factor: 33.2875 → 32.3465');
    expect(table).not.toContain('conv_factor_qpp');
    expect(table).toContain('not compared (not in both releases\' layouts): pricing_ind');
    expect(table).toMatch(/^HCPCS +MODIFIER +CHANGE +FIELD +FROM +TO$/m);
    expect(table).toMatch(/^99213 +changed +nonfac_pe_rvu +1\.33 +1\.35$/m);
    expect(table).toMatch(/^0867T +added +description +CPT descriptor withheld 0867T$/m);
    expect(renderDiff({ ...diff, changes: [] }, 'table')).toMatch(/No changes\.\n$/);
  });
});
