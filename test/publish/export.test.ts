/**
 * Export to files: manifest counts and hashes equal the files, each format reads back with the
 * same values, formula injection is neutralised, and an export is renamed into place whole.
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { parquetReadObjects } from 'hyparquet';
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { exportFiles, importRelease } from '../../src/index.js';
import { csvText, neutraliseFormula, withPlace } from '../../src/publish/files-target.js';
import { scaledInteger } from '../../src/publish/parquet.js';
import { backends, useFreshDatabase } from '../support/db.js';
import { pfsZip, scratchDir } from '../support/fixtures.js';

const sha256 = async (file: string) => createHash('sha256').update(await readFile(file)).digest('hex');

describe.each(backends)('export on %s', (backend) => {
  const source = useFreshDatabase(backend);
  let scratch: string;
  beforeAll(async () => {
    scratch = await scratchDir();
  });
  const loadTwo = async () => {
    await importRelease(source.database, pfsZip('rvu24b'));
    await importRelease(source.database, pfsZip('rvu25d'));
  };
  const sourceFeed = async () =>
    (
      await sql<{ to_release: string; dataset: string; hcpcs: string | null; change: string; fields: Record<string, unknown> }>`
        select t.code as to_release, c.dataset, c.hcpcs, c.change, c.fields from cms.code_change c join cms.releases t on t.id = c.to_release_id
        order by t.code, t.revision, c.dataset, c.key`.execute(source.database.db)
    ).rows;

  it('writes csv whose manifest counts and hashes are the files\', with the feed as the database holds it', async () => {
    await loadTwo();
    const dir = path.join(scratch, `csv-${backend}`);
    const manifest = await exportFiles(source.database, { dir, format: 'csv' });
    expect((await readdir(dir)).sort()).toEqual(['code_catalog.csv', 'code_change.csv', 'manifest.json', 'pfs_payment.csv', 'releases.csv']);
    expect(JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8'))).toEqual(manifest);
    for (const file of manifest.files) {
      const text = await readFile(path.join(dir, file.name), 'utf8');
      const records = parse(text, { columns: true }) as Record<string, string>[];
      expect(records.length).toBe(file.rows);
      expect(Object.keys(records[0] ?? {})).toEqual(file.columns);
      expect(await sha256(path.join(dir, file.name))).toBe(file.sha256);
    }
    const feed = parse(await readFile(path.join(dir, 'code_change.csv'), 'utf8'), { columns: true }) as Record<string, string>[];
    const expected = await sourceFeed();
    expect(feed.length).toBe(expected.length);
    expect(feed.map((row) => [row.to_release, row.dataset, row.hcpcs, row.change, JSON.parse(row.fields!)])).toEqual(
      expected.map((row) => [row.to_release, row.dataset, row.hcpcs ?? '', row.change, row.fields]),
    );
    expect(manifest.releases.map((release) => release.code)).toEqual(['RVU25D', 'RVU25D', 'RVU25D', 'RVU25D', 'RVU25D']);
    const runs = await source.database.db.selectFrom('cms.publish_runs').select(['kind', 'outcome', 'target']).execute();
    expect(runs).toEqual([{ kind: 'files', outcome: 'published', target: dir }]);
  });

  it('writes jsonl with exact decimal strings and parquet with exact DECIMAL values', async () => {
    await loadTwo();
    const jsonl = path.join(scratch, `jsonl-${backend}`);
    const parquet = path.join(scratch, `parquet-${backend}`);
    const jsonManifest = await exportFiles(source.database, { dir: jsonl, format: 'jsonl' });
    const parquetManifest = await exportFiles(source.database, { dir: parquet, format: 'parquet' });
    const lines = (await readFile(path.join(jsonl, 'code_change.jsonl'), 'utf8')).trimEnd().split('\n').map((line) => JSON.parse(line));
    expect(lines.length).toBe(jsonManifest.files.find((file) => file.name === 'code_change.jsonl')!.rows);
    // each line is an object with every column, in the manifest's order (the writer builds the text itself)
    for (const file of jsonManifest.files) {
      const objects = (await readFile(path.join(jsonl, file.name), 'utf8')).trimEnd().split('\n').filter((line) => line !== '').map((line) => JSON.parse(line));
      expect(objects.length).toBe(file.rows);
      expect(objects.filter((object) => JSON.stringify(Object.keys(object)) !== JSON.stringify(file.columns))).toEqual([]);
    }
    const buffer = await readFile(path.join(parquet, 'releases.parquet'));
    const releases = await parquetReadObjects({ file: buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength) });
    expect(releases.map((row) => [row.code, row.revision, row.current_for])).toEqual([
      ['RVU24B', 0, '[]'],
      ['RVU25D', 0, '["anes","gpci","locco","oppscap","pprrvu"]'],
    ]);
    expect(parquetManifest.files.find((file) => file.name === 'releases.parquet')!.rows).toBe(2);
    const changes = await readFile(path.join(parquet, 'code_change.parquet'));
    const feed = await parquetReadObjects({ file: changes.buffer.slice(changes.byteOffset, changes.byteOffset + changes.byteLength) });
    expect(feed.length).toBe(lines.length);
    expect(feed.map((row) => JSON.parse(row.fields as string))).toEqual(lines.map((line) => line.fields));

    // Payments: every amount exact, in both formats, equal to what the database computes.
    const expected = (
      await sql<{ hcpcs: string; modifier: string; mac: string; locality: string; nonfac_amount: string | null; fac_amount: string | null; pw_gpci: string }>`
        select p.hcpcs, p.modifier, p.mac, p.locality, p.nonfac_amount::text, p.fac_amount::text, p.pw_gpci::text
        from cms.pfs_payment p join cms.current_releases c on c.release_id = p.release_id and c.dataset = 'pprrvu'
        order by p.hcpcs, p.modifier, p.mac, p.locality`.execute(source.database.db)
    ).rows;
    expect(expected.length).toBeGreaterThan(100);
    const payments = (await readFile(path.join(jsonl, 'pfs_payment.jsonl'), 'utf8')).trimEnd().split('\n').map((line) => JSON.parse(line));
    expect(payments.map((row) => [row.hcpcs, row.modifier, row.mac, row.locality, row.nonfac_amount, row.fac_amount, row.pw_gpci])).toEqual(
      expected.map((row) => [row.hcpcs, row.modifier, row.mac, row.locality, row.nonfac_amount, row.fac_amount, row.pw_gpci]),
    );
    expect(payments.every((row) => row.release === 'RVU25D')).toBe(true);
    const paid = await readFile(path.join(parquet, 'pfs_payment.parquet'));
    const decimals = await parquetReadObjects({ file: paid.buffer.slice(paid.byteOffset, paid.byteOffset + paid.byteLength) });
    // hyparquet reads DECIMAL as a number: compare with the exact value at the column's scale
    const fixed = (value: unknown, scale: number) => (value === null || value === undefined ? null : (value as number).toFixed(scale));
    // DECIMAL has one scale per column: CMS's `1.5` GPCI is 1.500 there, the same value
    const atScale = (text: string | null, scale: number) => (text === null ? null : (Number(scaledInteger(text, scale)) / 10 ** scale).toFixed(scale));
    expect(decimals.map((row) => [row.hcpcs, fixed(row.nonfac_amount, 2), fixed(row.pw_gpci, 3)])).toEqual(
      expected.map((row) => [row.hcpcs, atScale(row.nonfac_amount, 2), atScale(row.pw_gpci, 3)]),
    );
  });

  it('replaces an earlier export whole and refuses a folder that is not one', async () => {
    await loadTwo();
    const dir = path.join(scratch, `again-${backend}`);
    await exportFiles(source.database, { dir, format: 'csv' });
    await exportFiles(source.database, { dir, format: 'jsonl' });
    expect((await readdir(dir)).sort()).toEqual(['code_catalog.jsonl', 'code_change.jsonl', 'manifest.json', 'pfs_payment.jsonl', 'releases.jsonl']);
    expect((await readdir(scratch)).filter((name) => name.includes('.tmp-') || name.includes('.old-'))).toEqual([]);

    const notAnExport = path.join(scratch, `mine-${backend}`);
    await mkdir(notAnExport);
    await writeFile(path.join(notAnExport, 'notes.txt'), 'keep me');
    await expect(exportFiles(source.database, { dir: notAnExport })).rejects.toThrow(
      `--to ${JSON.stringify(notAnExport)}: the folder is not empty and holds no manifest.json of an earlier export; choose an empty or new folder`,
    );
    expect(await readdir(notAnExport)).toEqual(['notes.txt']);
  });

  it('never replaces a folder whose manifest.json is not an export\'s, or that holds files the export did not write', async () => {
    await importRelease(source.database, pfsZip('rvu25d'));
    // a web app's folder: its own manifest.json, and its sources
    const app = path.join(scratch, `app-${backend}`);
    await mkdir(path.join(app, 'src'), { recursive: true });
    await writeFile(path.join(app, 'manifest.json'), '{"name": "my web app", "icons": []}\n');
    await writeFile(path.join(app, 'src', 'index.html'), '<p>keep me</p>');
    await expect(exportFiles(source.database, { dir: app })).rejects.toThrow('holds no manifest.json of an earlier export');
    expect(await readFile(path.join(app, 'src', 'index.html'), 'utf8')).toBe('<p>keep me</p>');

    // an earlier export with someone's notes put beside it
    const dir = path.join(scratch, `annotated-${backend}`);
    await exportFiles(source.database, { dir, paymentLocalities: 'none' });
    await writeFile(path.join(dir, 'notes.txt'), 'keep me');
    await expect(exportFiles(source.database, { dir, paymentLocalities: 'none' })).rejects.toThrow(
      'the folder holds an earlier export and also notes.txt, which the export did not write',
    );
    expect(await readFile(path.join(dir, 'notes.txt'), 'utf8')).toBe('keep me');
    expect((await readdir(scratch)).filter((name) => name.includes('.tmp-') || name.includes('.old-'))).toEqual([]);
  });
});

describe('export failures', () => {
  it('a full disk, or a folder it may not write, names the folder and says nothing there changed; other errors pass as they are', () => {
    const full = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28, syscall: 'write' });
    const wrapped = withPlace(full, '/data/export') as Error;
    expect(wrapped.message).toBe('cannot write the export to /data/export (ENOSPC: no space left on device, write); nothing there was changed');
    expect(wrapped.cause).toBe(full);
    const readOnly = Object.assign(new Error("EROFS: read-only file system, mkdir '/data/export.tmp-1'"), { code: 'EROFS' });
    expect((withPlace(readOnly, '/data/export') as Error).message).toMatch(/^cannot write the export to \/data\/export \(EROFS: /);
    const other = new Error('the snapshot query failed');
    expect(withPlace(other, '/data/export')).toBe(other);
  });
});

describe('export values', () => {
  it('neutralises text cells a spreadsheet would evaluate, and only those', () => {
    expect(['=1+1', '+SUM(A1)', '-2+3', '@cmd', '\tx', 'plain', '99213'].map(neutraliseFormula)).toEqual([
      "'=1+1", "'+SUM(A1)", "'-2+3", "'@cmd", "'\tx", 'plain', '99213',
    ]);
  });

  it('writes csv cells quoted only for a quote, comma or line break, empty for NULL and for empty text, and reads back as written', async () => {
    const columns = [
      { name: 'code', type: 'text' },
      { name: 'amount', type: 'numeric' },
      { name: 'flag', type: 'boolean' },
      { name: 'tags', type: 'text[]' },
    ];
    const rows = [
      ['99213', '-1.50', true, ['a', 'b,c']],
      ['say "hi", then go', '0.00', false, []],
      ['two\nlines', null, null, null],
      ['', '2', false, ['']],
      ['  padded  ', '3', true, ['é ü — 日本']],
      ['=1+1', '-4', false, ['=x']],
      ['tab\there', '5', true, ['\\']],
      ['carriage\rreturn', '1', true, ['"quoted"']],
    ];
    const written = async (batches: AsyncIterable<unknown[][]>) => {
      let text = '';
      for await (const chunk of csvText(columns, batches)) text += chunk;
      return text;
    };
    const text = await written(
      (async function* () {
        yield rows.slice(0, 3);
        yield [];
        yield rows.slice(3);
      })(),
    );
    const cells = rows.map((row) =>
      row.map((value, index) => {
        if (value === null) return '';
        const cell = typeof value === 'object' ? JSON.stringify(value) : String(value);
        return columns[index]!.type.startsWith('text') ? neutraliseFormula(cell) : cell;
      }),
    );
    expect(parse(text, { relax_quotes: false })).toEqual([columns.map((column) => column.name), ...cells]);
    expect(text.split('\n')[2]).toBe('"say ""hi"", then go",0.00,false,[]');
    // The bytes csv-stringify (the writer before) made of the same cells, but for the last row:
    // it left a lone carriage return unquoted, which a reader taking CR for a line end splits.
    const header = { header: true, columns: columns.map((column) => column.name), record_delimiter: '\n' } as const;
    expect(text.slice(0, text.lastIndexOf('"carriage'))).toBe(stringify(cells.slice(0, -1), header));
    expect(text.endsWith('"carriage\rreturn",1,true,"[""\\""quoted\\""""]"\n')).toBe(true);
    expect(await written((async function* () {})())).toBe(stringify([], header));
  });

  it('turns decimal strings into scaled integers exactly', () => {
    expect([scaledInteger('32.3465', 4), scaledInteger('0.1', 4), scaledInteger('-1.50', 2), scaledInteger('123456789012345678.91', 2)]).toEqual([
      323465n, 1000n, -150n, 12345678901234567891n,
    ]);
    expect(() => scaledInteger('1.234', 2)).toThrow('1.234 has more than 2 digits after the point');
  });
});
