/**
 * `cms-ingest editorial …` and `catalog …` as a user runs them: output, files, exit codes; and the
 * demo. Through the CLI's entry function in this process (test/support/cli-main.ts), on an embedded
 * home restored from the migrated snapshot; the bin itself, and a fresh home created and migrated
 * by a real process, are tested in test/cli.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import * as XLSX from 'xlsx';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliBackend, migratedHome, runCliInProcess } from '../support/cli-main.js';
import { backends } from '../support/db.js';
import { fixture, scratchDir, writeFixtureFile } from '../support/fixtures.js';
import { HCPCS_2025, pfsZip } from './support.js';

// Each CLI run opens the database (on PGlite: restores it from its data directory), a second or more on a busy machine.
const SLOW = { timeout: 600_000 };

describe.each(backends)('cms-ingest editorial and catalog on %s', SLOW, (backend) => {
  let env: NodeJS.ProcessEnv;
  let drop: (() => Promise<void>) | undefined;
  let dir: string;
  beforeAll(async () => {
    dir = await scratchDir();
    ({ env, drop } = await cliBackend(backend, dir));
    const loaded = await runCliInProcess(['import', pfsZip('rvu25d'), pfsZip('rvu26c'), HCPCS_2025], env);
    expect(loaded.code, loaded.stderr).toBe(0);
  }, SLOW.timeout);
  afterAll(() => drop?.());
  const cli = (...args: string[]) => runCliInProcess(args, env);

  it('imports, refuses with the place and exit 1, and says when nothing changed', async () => {
    const first = await cli('editorial', 'import', fixture('editorial'), '--by', 'tester');
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/^Imported 9 entries from 2 files: 9 new, 0 updated, 0 unchanged, 0 retired \(editorial version 9\)\.$/m);

    const bad = await writeFixtureFile(dir, 'unknown.csv', 'code,title\nA9532,Iodinated albumin\n');
    const refused = await cli('editorial', 'import', bad);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(new RegExp(`^error: ${bad.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}, line 2, column code: code A9532 is in no loaded release: found "A9532"; expected .*--allow-unknown-codes`));
  });

  it('--replace refuses a json null and a header-only csv with exit 1, retiring nothing', async () => {
    const nul = await writeFixtureFile(dir, 'null.json', 'null');
    const refused = await cli('editorial', 'import', nul, '--replace');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(`error: ${nul}, line 1: the file holds null, not a list of entries; expected a list of objects, one per code or category\n`);
    const header = await writeFixtureFile(dir, 'header.csv', 'code,title\r\n');
    const empty = await cli('editorial', 'import', header, '--replace');
    expect(empty.code).toBe(1);
    expect(empty.stderr).toMatch(/^error: .*header\.csv: --replace with no entries in the input would retire all 9 entries; expected .*there is no option to retire every entry/);
    const again = await cli('editorial', 'import', fixture('editorial'), '--json');
    expect(JSON.parse(again.stdout)).toMatchObject({ status: 'unchanged', unchanged: 9, retired: [] });
  });

  it('catalog prints the merged record; --json gives the object; search ranks', async () => {
    const text = await cli('catalog', 'A2001');
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^A2001 {2}Innovamatrix ac, per square centimeter\n/);
    expect(text.stdout).toMatch(/^PFS status: +A: Active, separately paid if covered$/m);
    expect(text.stdout).toMatch(/^Data sourced from: CMS Physician Fee Schedule RVU26C; HCPCS 2025 October$/m);

    const old = await cli('catalog', 'A2001', '--release', 'RVU25D', '--json');
    expect(JSON.parse(old.stdout)).toMatchObject({ code: 'A2001', pfs: { status: { code: 'C' }, national: { nonfac: null } } });

    const search = await cli('catalog', 'search', 'ground', 'mileage', '--json');
    expect(JSON.parse(search.stdout)).toMatchObject({ query: 'ground mileage', matches: [{ code: 'A0425', title: 'Ground mileage' }] });

    const missing = await cli('catalog', 'Z9999');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('Z9999 is not in the catalog: no current PFS or HCPCS release carries it');
    expect(missing.stderr).not.toContain('--release');

    // G6001 is in RVU25D, not in RVU26C (current) nor the 2025 HCPCS file: the older release is named
    const older = await cli('catalog', 'G6001');
    expect(older.code).toBe(1);
    expect(older.stderr).toMatch(/G6001 is not in the catalog: no current PFS or HCPCS release carries it .*; RVU25D does: cms-ingest catalog G6001 --release RVU25D\n$/);
    expect((await cli('catalog', 'G6001', '--release', 'RVU25D')).code).toBe(0);
  });

  it('review prints the queue in each format (xlsx to --out); resolve records the editor; usage errors exit 2', async () => {
    const json = await cli('editorial', 'review', '--format', 'json');
    expect(json.code, json.stderr).toBe(0);
    const queue = JSON.parse(json.stdout) as Record<string, { code: string }[]>;
    expect(queue.added_without_editorial!.map((item) => item.code)).toContain('0988T');

    const out = path.join(dir, 'review.xlsx');
    const xlsx = await cli('editorial', 'review', '--format', 'xlsx', '--out', out);
    expect(xlsx.code, xlsx.stderr).toBe(0);
    expect(XLSX.read(await readFile(out)).SheetNames).toEqual(['added_without_editorial', 'editorial_for_removed', 'descriptor_changed', 'status_changed', 'unknown_code']);

    const resolved = await cli('editorial', 'resolve', '0988T', '--note', 'new CPT code: page planned', '--by', 'ann');
    expect(resolved.code, resolved.stderr).toBe(0);
    expect(resolved.stdout).toBe('Resolved 1 review item: 0988T (added_without_editorial)\n');
    const nothing = await cli('editorial', 'resolve', '0988T');
    expect(nothing.code).toBe(1);
    expect(nothing.stdout).toBe('No open review item to resolve.\n');

    const table = await cli('editorial', 'review', '--reason', 'added_without_editorial');
    expect(table.stdout).toMatch(/^added_without_editorial \(\d+\)\nCODE +RELEASE +RAISED_AT +DATASET +PREVIOUS_RELEASE\n/);
    expect(table.stdout).not.toContain('0988T');

    expect((await cli('editorial', 'review', '--format', 'pdf')).code).toBe(2);
  });

  it('export → import round-trips a workbook; --json prints the result', async () => {
    const book = path.join(dir, `editorial-${backend}.xlsx`);
    const exported = await cli('editorial', 'export', '--to', book);
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stdout).toBe(`Wrote 9 entries to ${book}\n`);
    const back = await cli('editorial', 'import', book, '--json');
    expect(back.code, back.stderr).toBe(0);
    expect(JSON.parse(back.stdout)).toMatchObject({ status: 'unchanged', files: [book], unchanged: 9, created: [], editorialVersion: '9' });
  });
});

describe('npm run demo', SLOW, () => {
  it('also imports the editorial sample and prints a catalog record and the review queue; a rerun imports nothing', async () => {
    const env = { CMS_INGEST_HOME: await migratedHome(path.join(await scratchDir(), 'home')) };
    const first = await runCliInProcess(['demo'], env);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/^Imported 9 entries from 2 files: 9 new/m);
    expect(first.stdout).toContain('The catalog record of A2001 (cms.code_catalog):\n\nA2001  Innovamatrix ac, per square centimeter\n');
    expect(first.stdout).toMatch(/^Data sourced from: CMS Physician Fee Schedule RVU26C; HCPCS 2025 October$/m);
    expect(first.stdout).toMatch(/^The review queue \(cms\.review_item\):\n\nadded_without_editorial \(\d+\)$/m);
    const second = await runCliInProcess(['demo'], env);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toMatch(/^Nothing to write: the 9 entries of 2 files are as stored/m);
  });
});
