/**
 * `editorial import`: every input format and encoding, every refusal (with nothing written),
 * upsert, --replace, the version history, idempotent re-import, and export → import round trips.
 */
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'kysely';
import * as XLSX from 'xlsx';
import { describe, expect, it } from 'vitest';
import { InputError, UsageError } from '../../src/errors.js';
import { exportEditorial, importEditorial, reviewQueue } from '../../src/index.js';
import { backends } from '../support/db.js';
import { fixture, scratchDir, writeFixtureFile } from '../support/fixtures.js';
import { HCPCS_2025, editorialCounts, pfsZip, refusedImport, useEditorialDatabase } from './support.js';

const SAMPLE = fixture('editorial');
const utf8 = (text: string) => Buffer.from(text, 'utf8');

function xlsxOf(rows: string[][]): Buffer {
  const book = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(book, XLSX.utils.aoa_to_sheet(rows), 'entries');
  return XLSX.write(book, { type: 'buffer', bookType: 'xlsx' }) as Buffer;
}

describe.each(backends)('editorial import on %s', (backend) => {
  const db = useEditorialDatabase(backend, [pfsZip('rvu25d'), HCPCS_2025]);
  let dir: string;
  const write = async (name: string, content: string | Uint8Array) => {
    dir ??= await scratchDir();
    return writeFixtureFile(dir, name, typeof content === 'string' ? utf8(content) : content);
  };
  const entry = async (type: 'code' | 'category', key: string) =>
    db.database.db.selectFrom('cms.editorial_entry').selectAll().where('entry_type', '=', type).where('entry_key', '=', key).executeTakeFirst();
  const versions = async (key: string) =>
    db.database.db.selectFrom('cms.editorial_version').selectAll().where('entry_key', '=', key).orderBy('version').execute();

  /** An entry row without what changes with each version. */
  const withoutVersion = ({ version: _v, version_id: _id, content_hash: _hash, updated_at: _at, ...content }: Record<string, unknown>) => content;

  const refused = (paths: string[], where: Partial<InputError>, options = {}) => refusedImport(db.database, paths, where, options);

  describe('formats', () => {
    it('reads the sample folder: csv with ;-separated lists, yaml categories; the README is skipped', async () => {
      const result = await importEditorial(db.database, [SAMPLE], { by: 'tester' });
      expect(result).toMatchObject({ status: 'changed', entries: 9, unchanged: 0, retired: [], unknownCodes: [] });
      expect(result.created).toEqual(['category hcpcs:A', 'category cpt:evaluation-management', 'A2001', 'A0425', 'G2211', 'J1961', 'G0566', '99213', '27447']);
      expect(result.skipped).toEqual([path.join(SAMPLE, 'README.md')]);
      expect(await entry('code', 'A2001')).toMatchObject({
        title: 'Innovamatrix ac, per square centimeter',
        synonyms: ['InnovaMatrix AC', 'skin substitute graft'],
        specialties: ['Wound Care', 'Podiatry'],
        billing_notes: null,
        notes: 'Check the LCD on skin substitutes before publishing.',
        version: 1,
      });
      expect(await entry('category', 'hcpcs:A')).toMatchObject({
        billing_notes: 'Level II A codes are billed to the DME MAC or A/B MAC that covers the service; check the jurisdiction list before submitting.',
        synonyms: [],
      });
    });

    it('csv in UTF-8 with a BOM keeps every character as written; quoted cells keep their line breaks', async () => {
      const file = await write('bom.csv', `\uFEFFcode,summary,clinical_context\r\nA0425,"Café, naïve – “quoted”",\"Line one\r\nline two\"\r\n`);
      await importEditorial(db.database, [file]);
      expect(await entry('code', 'A0425')).toMatchObject({ summary: 'Café, naïve – “quoted”', clinical_context: 'Line one\r\nline two' });
    });

    it('cp1252 csv is refused naming the line and suggesting --encoding cp1252, which reads it', async () => {
      const bytes = Buffer.concat([Buffer.from('code,summary\r\nA0425,plain\r\nG2211,Caf'), Buffer.from([0xe9, 0x92]), Buffer.from('s visit\r\n')]);
      const file = await write('excel.csv', bytes);
      const error = await refused([file], { file, line: 3, value: 'byte 0xE9' });
      expect(error.message).toContain('--encoding cp1252');
      await importEditorial(db.database, [file], { encoding: 'cp1252' });
      expect((await entry('code', 'G2211'))?.summary).toBe('Café’s visit');
    });

    it('xlsx: the first sheet, a header row, list cells; codes written as text keep leading zeros', async () => {
      const file = await write(
        'book.xlsx',
        xlsxOf([
          ['Code', 'Title', 'Synonyms', 'Specialties', 'Plain Language'],
          ['00100', 'Placeholder title for CPT 00100', 'placeholder a; placeholder b;', 'Anesthesiology', 'Line one\nline two'],
          [],
          ['J1961', 'Injection, lenacapavir, 1 mg', '', 'Infectious Disease', ''],
        ]),
      );
      const result = await importEditorial(db.database, [file]);
      expect(result.created).toEqual(['00100', 'J1961']);
      expect(await entry('code', '00100')).toMatchObject({
        title: 'Placeholder title for CPT 00100',
        synonyms: ['placeholder a', 'placeholder b'],
        specialties: ['Anesthesiology'],
        plain_language: 'Line one\nline two',
      });
      expect((await versions('J1961'))[0]).toMatchObject({ source_file: file, source_line: 4 });
    });

    it('json (lists as arrays, null for none), jsonl (one object a line) and yaml (scalars stay text: 00100)', async () => {
      const json = await write('a.json', JSON.stringify([{ code: 'A2001', synonyms: ['matrix'], summary: null }, { category: 'cpt:surgery', billing_notes: 'Global days apply.' }], null, 2));
      const jsonl = await write('b.jsonl', '{"code": "G2211", "specialties": ["Family Medicine"]}\n\n{"code": "99213", "title": "Placeholder title for CPT 99213"}\n');
      const yaml = await write('c.yaml', '- code: 00100\n  title: Placeholder title for CPT 00100\n  synonyms: [one, two]\n- code: G0566\n  summary: |\n    Two\n    lines\n');
      const result = await importEditorial(db.database, [json, jsonl, yaml]);
      expect(result.created).toEqual(['A2001', 'category cpt:surgery', 'G2211', '99213', '00100', 'G0566']);
      expect(await entry('code', 'A2001')).toMatchObject({ synonyms: ['matrix'], summary: null });
      expect(await entry('category', 'cpt:surgery')).toMatchObject({ billing_notes: 'Global days apply.' });
      expect((await versions('99213'))[0]).toMatchObject({ source_file: jsonl, source_line: 3 });
      expect(await entry('code', '00100')).toMatchObject({ synonyms: ['one', 'two'] });
      expect((await entry('code', 'G0566'))?.summary).toBe('Two\nlines');
      expect((await versions('G0566'))[0]).toMatchObject({ source_file: yaml, source_line: 4 });
    });
  });

  describe('refusals, with nothing written', () => {
    it('an unknown csv column, and an unknown json/yaml field, with its line', async () => {
      await importEditorial(db.database, [SAMPLE]);
      const csv = await write('cols.csv', 'code,title,synonym\nA0425,x,y\n');
      await refused([csv], { file: csv, line: 1, column: 'synonym' });
      const yaml = await write('field.yaml', '- code: A0425\n  title: x\n  plain language: fine\n  clinical: no\n');
      await refused([yaml], { file: yaml, line: 4, column: 'clinical' });
    });

    it('a missing code, a code of the wrong shape, an unknown category, per-code fields on a category', async () => {
      const missing = await write('missing.csv', 'code,title\nA0425,ok\n,no code\n');
      await refused([missing], { file: missing, line: 3, column: 'code', problem: 'missing code' });
      const shape = await write('shape.csv', 'code,title\na0425,lower case\n');
      const error = await refused([shape], { file: shape, line: 2, column: 'code', value: 'a0425' });
      expect(error.expected).toContain('an upper-case letter and four digits');
      const category = await write('cat.yaml', '- category: "hcpcs:Z"\n  billing_notes: x\n');
      await refused([category], { file: category, line: 1, column: 'category', value: 'hcpcs:Z' });
      const perCode = await write('cat2.json', '[\n  {"category": "hcpcs:A",\n   "summary": "not for a category"}\n]');
      await refused([perCode], { file: perCode, line: 3, column: 'summary' });
    });

    it('a json number where a code is expected (leading zeros would be lost)', async () => {
      const file = await write('number.json', '[{"code": 99213}]');
      await refused([file], { file, line: 1, column: 'code', value: '99213' });
    });

    it('a code no loaded release has carried; --allow-unknown-codes accepts it and the queue lists it', async () => {
      const file = await write('unknown.csv', 'code,title\nA0425,known\nA9532,"Iodinated i-125 serum albumin"\n');
      const error = await refused([file], { file, line: 3, column: 'code', value: 'A9532' });
      expect(error.expected).toContain('--allow-unknown-codes');
      const result = await importEditorial(db.database, [file], { allowUnknownCodes: true });
      expect(result.unknownCodes).toEqual(['A9532']);
      const queue = await reviewQueue(db.database, { reason: 'unknown_code' });
      expect(queue.unknown_code).toEqual([expect.objectContaining({ code: 'A9532', release: null, file, line: 3 })]);
    });

    it('the same code twice across the inputs names both places', async () => {
      const first = await write('one.csv', 'code,title\nA0425,first\nG2211,x\n');
      const second = await write('two.json', '[\n {"code": "G2211", "title": "again"}\n]');
      const error = await refused([first, second], { file: second, line: 2, value: 'G2211' });
      expect(error.message).toContain(`${first}, line 3`);
    });

    it('a specialty that differs only in case or spacing from an existing one names both', async () => {
      await importEditorial(db.database, [await write('nm.csv', 'code,specialties\nA2001,Nuclear Medicine\n')]);
      const variant = await write('nm2.csv', 'code,specialties\nG2211,Family Medicine; Nuclear medicine\n');
      const error = await refused([variant], { file: variant, line: 2, column: 'specialties', value: 'Nuclear medicine' });
      expect(error.message).toContain('"Nuclear Medicine" in the entry of A2001');
      const spaced = await write('nm3.yaml', '- code: G2211\n  specialties: [Family Medicine]\n- code: 99213\n  specialties: [FamilyMedicine]\n');
      const inInputs = await refused([spaced], { file: spaced, line: 4, value: 'FamilyMedicine' });
      expect(inInputs.message).toContain(`"Family Medicine" in ${spaced}, line 1`);
      // The entry that had the other spelling is being replaced by this import: then it is no conflict.
      await importEditorial(db.database, [await write('nm4.csv', 'code,specialties\nA2001,Nuclear medicine\n')]);
      expect((await entry('code', 'A2001'))?.specialties).toEqual(['Nuclear medicine']);
    });

    it('a broken file is refused whole: one bad row leaves the good ones of every input unwritten', async () => {
      const good = await write('good.csv', 'code,title\nA0425,fine\n');
      const bad = await write('bad.jsonl', '{"code": "G2211"}\n{"code": "G2211x"}\n');
      await refused([good, bad], { file: bad, line: 2, column: 'code' });
      const broken = await write('broken.json', '[{"code": "A0425",}]');
      await refused([broken], { file: broken, line: 1 });
    });

    it('a json null or scalar, an empty yaml, a csv or sheet without a header row: refused naming the file, never read as no entries', async () => {
      await importEditorial(db.database, [SAMPLE]);
      // Each once was zero entries, so that --replace retired all nine, exit 0.
      const cases: [string, string | Buffer, string][] = [
        ['null.json', 'null', 'the file holds null, not a list of entries'],
        ['spaced-null.json', '\n  null\n', 'the file holds null, not a list of entries'],
        ['object.json', '{"code": "99213"}', 'the file holds one object, not a list of entries'],
        ['number.json', '3', 'the file holds the number 3, not a list of entries'],
        ['text.json', '"A0425"', 'the file holds the text "A0425", not a list of entries'],
        ['empty.yaml', '', 'the file holds nothing, not a list of entries'],
        ['comment.yaml', '# entries to come\n', 'the file holds nothing, not a list of entries'],
        ['empty.csv', '', 'no header row: the file is empty or only blank lines'],
        ['blank.csv', '\uFEFF\r\n\r\n', 'no header row: the file is empty or only blank lines'],
        ['empty.xlsx', xlsxOf([]), 'no header row: the first sheet is empty'],
      ];
      for (const [name, content, problem] of cases) {
        const file = await write(name, content);
        for (const replace of [true, false]) await refused([file], { file, problem }, { replace });
      }
      const error = await refused([await write('null2.json', 'null')], {}, { replace: true });
      expect(error.message).toMatch(/null2\.json, line 1: the file holds null, not a list of entries; expected a list of objects, one per code or category$/);
      const csv = await refused([await write('empty2.csv', '')], {}, { replace: true });
      expect(csv.expected).toContain('a header row of field names (code, category, title');
      expect(await db.database.db.selectFrom('cms.editorial_entry').select('entry_key').execute()).toHaveLength(9);
    });

    it('--replace with inputs that hold no entry is refused with how many it would retire; without --replace they import nothing', async () => {
      await importEditorial(db.database, [SAMPLE]);
      const headerOnly = await write('header-only.csv', '\uFEFFcode,title,synonyms\r\n');
      const emptyList = await write('empty-list.json', '[]\n');
      const emptyJsonl = await write('empty.jsonl', '\n\n');
      const emptyYaml = await write('empty-list.yaml', '[]\n');
      const book = await write('header-only.xlsx', xlsxOf([['code', 'title']]));
      for (const file of [headerOnly, emptyList, emptyJsonl, emptyYaml, book]) {
        const error = await refused([file], { file, problem: '--replace with no entries in the input would retire all 9 entries' }, { replace: true });
        expect(error.expected).toContain('there is no option to retire every entry');
        expect(await importEditorial(db.database, [file])).toMatchObject({ status: 'unchanged', entries: 0, retired: [] });
      }
      // Several inputs, none with an entry: all named. A folder holding no input at all, likewise.
      const both = await refused([headerOnly, emptyList], { file: `${headerOnly}, ${emptyList}`, problem: '--replace with no entries in the inputs would retire all 9 entries' }, { replace: true });
      expect(both.message).toContain('there is no option to retire every entry');
      const folder = path.join(dir, 'nothing-here');
      await mkdir(folder);
      await writeFile(path.join(folder, 'README.md'), 'entries go here\n');
      await refused([folder], { file: folder, problem: '--replace with no entries in the input would retire all 9 entries' }, { replace: true });
      // An empty input beside one with entries is no empty import: --replace retires the rest as always.
      const one = await write('one-entry.csv', 'code,title\nA2001,"Innovamatrix ac, per square centimeter"\n');
      expect((await importEditorial(db.database, [headerOnly, one], { replace: true })).retired).toHaveLength(8);
      // With nothing stored, nothing would be retired: an empty --replace is no change, not a refusal.
      await importEditorial(db.database, [one], { replace: true });
      await sql`truncate cms.review_item, cms.editorial_entry, cms.editorial_version restart identity`.execute(db.database.db);
      expect(await importEditorial(db.database, [emptyList], { replace: true })).toMatchObject({ status: 'unchanged', entries: 0 });
    });

    it('a NUL character (PostgreSQL text cannot hold one) is refused with file, line and column, in every format', async () => {
      const nul = '\u0000';
      const csv = await write('nul.csv', Buffer.concat([Buffer.from('code,title\nA0425,fine\n99213,"has'), Buffer.from([0x00]), Buffer.from('nul"\n')]));
      const inCsv = await refused([csv], { file: csv, line: 3, column: 'title', value: `has${nul}nul`, problem: 'a NUL character (U+0000) at character 4 of the value' });
      expect(inCsv.expected).toContain('PostgreSQL text cannot hold one');
      expect(inCsv.message).toContain('found "has\\u0000nul"');
      const json = await write('nul.json', '[\n  {"code": "A0425"},\n  {"code": "99213",\n   "title": "a\\u0000b"}\n]');
      await refused([json], { file: json, line: 4, column: 'title', value: `a${nul}b` });
      const jsonl = await write('nul.jsonl', '{"code": "A0425"}\n{"code": "G2211", "specialties": ["Family Medicine", "x\\u0000"]}\n');
      await refused([jsonl], { file: jsonl, line: 2, column: 'specialties', value: `x${nul}` });
      const yaml = await write('nul.yaml', '- code: A0425\n  summary: fine\n- code: "99213"\n  Plain Language: "one\\0two"\n');
      await refused([yaml], { file: yaml, line: 4, column: 'Plain Language', value: `one${nul}two` });
      const book = await write('nul.xlsx', xlsxOf([['code', 'notes'], ['A0425', `${'n'.repeat(30)}${nul}${'m'.repeat(30)}`]]));
      await refused([book], { file: book, line: 2, column: 'notes', value: `…${'n'.repeat(20)}${nul}${'m'.repeat(20)}…` });
    });
  });

  describe('upsert, --replace, history', () => {
    it('upserts by default: codes absent from the inputs keep their entries', async () => {
      await importEditorial(db.database, [await write('u1.csv', 'code,title\nA0425,first\nG2211,kept\n')]);
      const result = await importEditorial(db.database, [await write('u2.csv', 'code,title\nA0425,second\n')]);
      expect(result).toMatchObject({ updated: ['A0425'], created: [], retired: [], unchanged: 0 });
      expect((await entry('code', 'G2211'))?.title).toBe('kept');
      expect(await entry('code', 'A0425')).toMatchObject({ title: 'second', version: 2 });
    });

    it('a field the input has no column or key for keeps its value; an empty cell, or null, clears it', async () => {
      await importEditorial(db.database, [SAMPLE]);
      const before = await entry('code', 'A2001');
      expect(before).toMatchObject({ title: 'Innovamatrix ac, per square centimeter', synonyms: ['InnovaMatrix AC', 'skin substitute graft'], specialties: ['Wound Care', 'Podiatry'] });
      // An editor's sheet of plain-language lines only: the titles, synonyms … beside them stay.
      const lines = await importEditorial(db.database, [await write('plain.csv', 'code,plain_language\nA2001,A wound covering.\n')]);
      expect(lines).toMatchObject({ updated: ['A2001'], created: [], unchanged: 0 });
      expect(await entry('code', 'A2001')).toMatchObject({ ...withoutVersion(before!), plain_language: 'A wound covering.', version: before!.version + 1 });
      expect((await versions('A2001')).at(-1)!.content).toEqual({
        title: before!.title, summary: before!.summary, synonyms: before!.synonyms, plain_language: 'A wound covering.',
        clinical_context: before!.clinical_context, specialties: before!.specialties, billing_notes: null, notes: before!.notes,
      });
      // The same again is no change.
      expect(await importEditorial(db.database, [await write('plain2.csv', 'code,plain_language\nA2001,A wound covering.\n')])).toMatchObject({ status: 'unchanged' });
      // A column that is there but empty, a key that is null: cleared.
      await importEditorial(db.database, [await write('clear.csv', 'code,synonyms,summary\nA2001,,\n')]);
      await importEditorial(db.database, [await write('clear.json', JSON.stringify([{ code: 'A2001', specialties: null }]))]);
      expect(await entry('code', 'A2001')).toMatchObject({ title: before!.title, synonyms: [], summary: null, specialties: [], plain_language: 'A wound covering.' });
      // A new entry has nothing to keep: what the input lacks is none.
      await importEditorial(db.database, [await write('new.csv', 'code,plain_language\nJ0570,An implant for opioid dependence.\n')]);
      expect(await entry('code', 'J0570')).toMatchObject({ title: null, synonyms: [], plain_language: 'An implant for opioid dependence.', version: 1 });
    });

    it('every change is a version: content, hash, source, importer, and the releases and descriptors it was written against', async () => {
      const first = await write('h1.csv', 'code,title\nA2001,one\n');
      const second = await write('h2.csv', 'code,title\nA0425,x\nA2001,two\n');
      await importEditorial(db.database, [first], { by: 'ann' });
      await importEditorial(db.database, [second], { by: 'bob' });
      const history = await versions('A2001');
      const releases = await db.database.db.selectFrom('cms.releases').select(['id', 'code']).execute();
      const id = (code: string) => releases.find((release) => release.code === code)!.id;
      expect(history).toHaveLength(2);
      expect(history[0]).toMatchObject({ version: 1, change: 'created', source_file: first, source_line: 2, imported_by: 'ann' });
      expect(history[1]).toMatchObject({
        version: 2,
        change: 'updated',
        source_file: second,
        source_line: 3,
        imported_by: 'bob',
        pfs_release_id: id('RVU25D'),
        hcpcs_release_id: id('HCPC2025_OCT'),
        pfs_description: 'Innovamatrix ac, per sq cm',
        pfs_status_code: 'C',
        hcpcs_long_description: 'Innovamatrix ac, per square centimeter',
        hcpcs_short_description: 'Innovamatrix ac, per sq cm',
      });
      expect(history[1]!.content).toMatchObject({ title: 'two', synonyms: [] });
      expect(history[1]!.content_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(history[1]!.content_hash).not.toBe(history[0]!.content_hash);
      expect((await entry('code', 'A2001'))?.version_id).toBe(history[1]!.id);
    });

    it('--replace retires the entries absent from the inputs, keeping them in the history', async () => {
      await importEditorial(db.database, [SAMPLE]);
      const result = await importEditorial(db.database, [await write('only.csv', 'code,title\nA2001,"Innovamatrix ac, per square centimeter"\n')], { replace: true });
      expect(result.retired).toEqual(['27447', '99213', 'A0425', 'G0566', 'G2211', 'J1961', 'category cpt:evaluation-management', 'category hcpcs:A']);
      const left = await db.database.db.selectFrom('cms.editorial_entry').select('entry_key').execute();
      expect(left.map((row) => row.entry_key)).toEqual(['A2001']);
      expect(await versions('G2211')).toMatchObject([{ version: 1, change: 'created' }, { version: 2, change: 'retired', content: null }]);
      // Re-importing a retired entry continues its version numbers.
      await importEditorial(db.database, [await write('back.csv', 'code,title\nG2211,back\n')]);
      expect(await entry('code', 'G2211')).toMatchObject({ title: 'back', version: 3 });
    });

    it('re-importing unchanged content writes nothing and says so', async () => {
      await importEditorial(db.database, [SAMPLE]);
      const before = await editorialCounts(db.database);
      const again = await importEditorial(db.database, [SAMPLE]);
      expect(again).toMatchObject({ status: 'unchanged', created: [], updated: [], retired: [], unchanged: 9, editorialVersion: '9' });
      expect(await editorialCounts(db.database)).toEqual(before);
    });
  });

  describe('export', () => {
    it.each(['xlsx', 'csv', 'json'])('round trip through %s: export → import changes nothing', async (format) => {
      await importEditorial(db.database, [SAMPLE]);
      await importEditorial(db.database, [await write('extra.yaml', '- code: 00100\n  clinical_context: "Line one\\nline two"\n  synonyms: [a, b]\n')]);
      const out = path.join(dir, `export.${format}`);
      const exported = await exportEditorial(db.database, out);
      expect(exported).toEqual({ file: out, format, entries: 10 });
      const before = await editorialCounts(db.database);
      const again = await importEditorial(db.database, [out]);
      expect(again).toMatchObject({ status: 'unchanged', unchanged: 10, entries: 10 });
      expect(await editorialCounts(db.database)).toEqual(before);
      if (format === 'csv') {
        const text = (await readFile(out)).toString('utf8');
        expect(text.startsWith('\uFEFFcode,category,title,summary,synonyms,plain_language,clinical_context,specialties,billing_notes,notes\r\n')).toBe(true);
        expect(text).toContain('\r\n00100,,,,a; b,,"Line one\nline two",,,\r\n');
      }
      if (format === 'json') {
        const objects = JSON.parse((await readFile(out)).toString('utf8')) as Record<string, unknown>[];
        expect(objects[0]).toEqual({
          code: '00100', title: null, summary: null, synonyms: ['a', 'b'], plain_language: null, clinical_context: 'Line one\nline two',
          specialties: [], billing_notes: null, notes: null,
        });
        expect(objects.at(-1)).toEqual({ category: 'hcpcs:A', billing_notes: expect.stringContaining('Level II A codes'), notes: null });
      }
    });

    describe('line breaks: text is stored as written, CRLF and LF compared alike', () => {
      const text = (lineBreak: string) => ['Line one', 'line two', 'line three'].join(lineBreak);
      const synonyms = (lineBreak: string) => [`two${lineBreak}lines`, 'one line'];
      const stored = async () => {
        const row = await entry('code', 'A0425');
        return { plain_language: row?.plain_language, synonyms: row?.synonyms, version: row?.version };
      };
      const fromJson = async (lineBreak: string, extra: Record<string, string> = {}) =>
        importEditorial(db.database, [await write('breaks.json', JSON.stringify([{ code: 'A0425', plain_language: text(lineBreak), synonyms: synonyms(lineBreak), ...extra }]))]);

      it.each([['CRLF', '\r\n'], ['LF', '\n']])('%s: export → import through xlsx, csv and json reports nothing changed and keeps the text as written', async (_kind, lineBreak) => {
        expect(await fromJson(lineBreak)).toMatchObject({ created: ['A0425'] });
        for (const format of ['xlsx', 'csv', 'json']) {
          const out = path.join(dir, `breaks-export.${format}`);
          await exportEditorial(db.database, out);
          const before = await editorialCounts(db.database);
          expect(await importEditorial(db.database, [out]), format).toMatchObject({ status: 'unchanged', created: [], updated: [], unchanged: 1 });
          expect(await editorialCounts(db.database), format).toEqual(before);
          expect(await stored(), format).toEqual({ plain_language: text(lineBreak), synonyms: synonyms(lineBreak), version: 1 });
        }
      });

      it.each([['CRLF', '\r\n', '\n'], ['LF', '\n', '\r\n']])('stored with %s, the same text with the other line break (xlsx, csv) is unchanged and stays as stored', async (_kind, lineBreak, other) => {
        await fromJson(lineBreak);
        const before = await editorialCounts(db.database);
        const quoted = (value: string) => `"${value}"`;
        const csv = await write('other-breaks.csv', `code,plain_language,synonyms\r\nA0425,${quoted(text(other))},${quoted(synonyms(other).join('; '))}\r\n`);
        const book = await write('other-breaks.xlsx', xlsxOf([['code', 'plain_language', 'synonyms'], ['A0425', text(other), synonyms(other).join('; ')]]));
        for (const file of [csv, book]) {
          expect(await importEditorial(db.database, [file]), file).toMatchObject({ status: 'unchanged', updated: [], unchanged: 1 });
          expect(await editorialCounts(db.database), file).toEqual(before);
          expect(await stored(), file).toEqual({ plain_language: text(lineBreak), synonyms: synonyms(lineBreak), version: 1 });
        }
      });

      it('a workbook edit of another field writes a version whose untouched CRLF text is kept as written', async () => {
        await fromJson('\r\n', { title: 'Old title' });
        const out = path.join(dir, 'breaks-edit.xlsx');
        await exportEditorial(db.database, out);
        const book = XLSX.read(await readFile(out));
        const sheet = book.Sheets[book.SheetNames[0]!]!;
        expect(sheet.C1?.v).toBe('title');
        sheet.C2 = { t: 's', v: 'New title' };
        await writeFile(out, XLSX.write(book, { type: 'buffer', bookType: 'xlsx' }) as Buffer);
        expect(await importEditorial(db.database, [out])).toMatchObject({ status: 'changed', updated: ['A0425'], unchanged: 0 });
        expect(await entry('code', 'A0425')).toMatchObject({ title: 'New title', plain_language: text('\r\n'), synonyms: synonyms('\r\n'), version: 2 });
        const [, second] = await versions('A0425');
        expect(second?.content).toMatchObject({ title: 'New title', plain_language: text('\r\n'), synonyms: synonyms('\r\n') });
      });

      it('an xlsx cell with CRLF: imported, exported to xlsx and csv, imported again, nothing changes', async () => {
        const book = await write('crlf-cell.xlsx', xlsxOf([['code', 'plain_language'], ['A0425', text('\r\n')]]));
        expect(await importEditorial(db.database, [book])).toMatchObject({ created: ['A0425'] });
        // SheetJS reads a cell's CRLF as LF (its xlsx reader turns CRLF into LF after decoding _x000D_): the text the import is given.
        const first = await stored();
        expect(first.plain_language).toBe(text('\n'));
        for (const format of ['xlsx', 'csv']) {
          const out = path.join(dir, `crlf-cell-export.${format}`);
          await exportEditorial(db.database, out);
          expect(await importEditorial(db.database, [out]), format).toMatchObject({ status: 'unchanged', unchanged: 1 });
          expect(await stored(), format).toEqual(first);
        }
        expect(await importEditorial(db.database, [book])).toMatchObject({ status: 'unchanged', unchanged: 1 });
        expect(await stored()).toEqual(first);
      });
    });

    it('a value longer than a CMS line reads back from its own csv export (json → csv → csv, and a hand-written csv)', async () => {
      // 70,000 characters once imported from json, exported to csv, then refused on re-import as
      // "a line longer than 65,536 characters … (CMS's are a few hundred)".
      const long = 'x'.repeat(70_000);
      const quoted = 'a "quoted" line\r\n'.repeat(3_000); // 51,000 characters, twice the quotes in the csv, 3,000 line breaks
      const json = await write('long.json', JSON.stringify([{ code: '99213', billing_notes: long }, { code: 'A0425', summary: 'y'.repeat(40_000), clinical_context: quoted.trim() }]));
      expect(await importEditorial(db.database, [json])).toMatchObject({ created: ['99213', 'A0425'] });
      const out = path.join(dir, 'long-export.csv');
      await exportEditorial(db.database, out);
      const before = await editorialCounts(db.database);
      expect(await importEditorial(db.database, [out])).toMatchObject({ status: 'unchanged', unchanged: 2 });
      expect(await editorialCounts(db.database)).toEqual(before);
      expect((await entry('code', '99213'))?.billing_notes).toBe(long);
      // Line numbers after such a record still name the physical line.
      const written = await write('long-then-bad.csv', `code,clinical_context\r\nA0425,"${quoted.replace(/"/g, '""')}"\r\nbad,x\r\n`);
      await refused([written], { file: written, line: 3_003, column: 'code', value: 'bad' });
    });

    it('xlsx: a value longer than an Excel cell is refused before writing, naming code and field; the file there is left as it was', async () => {
      await importEditorial(db.database, [await write('xl.json', JSON.stringify([{ code: 'A0425', title: 'short' }, { code: '99213', billing_notes: 'x'.repeat(70_000) }, { code: 'G2211', notes: 'n'.repeat(32_768) }]))]);
      const folder = path.join(dir, 'xlsx-out');
      await mkdir(folder);
      const out = path.join(folder, 'entries.xlsx');
      await writeFile(out, 'the workbook of yesterday');
      const error = await exportEditorial(db.database, out).then(() => undefined, (caught: unknown) => caught);
      expect(error).toBeInstanceOf(UsageError);
      expect((error as Error).message).toBe(
        `--to ${out}: the billing_notes of 99213 is 70,000 characters (and 1 more value as long), and an Excel cell holds at most 32,767; ` +
          'export to .csv or .json, which hold any length (nothing was written)',
      );
      expect(await readFile(out, 'utf8')).toBe('the workbook of yesterday');
      expect(await readdir(folder)).toEqual(['entries.xlsx']);
      // At the limit it writes; csv and json take the long values.
      await exportEditorial(db.database, path.join(folder, 'entries.csv'));
      await importEditorial(db.database, [await write('xl2.json', JSON.stringify([{ code: '99213', billing_notes: 'x'.repeat(32_767) }, { code: 'G2211', notes: null }]))]);
      expect(await exportEditorial(db.database, out)).toMatchObject({ format: 'xlsx', entries: 3 });
      expect(await importEditorial(db.database, [out])).toMatchObject({ status: 'unchanged', unchanged: 3 });
    });

    it('refuses a file type it does not write', async () => {
      await expect(exportEditorial(db.database, path.join(await scratchDir(), 'out.txt'))).rejects.toThrow(/expected a file ending \.xlsx, \.csv, \.json/);
    });
  });

  it('the catalog view and the entries agree on list columns (text[]), never NULL', async () => {
    await importEditorial(db.database, [await write('lists.csv', 'code,title\nA0425,no lists\n')]);
    const { rows } = await sql<{ synonyms: string[]; specialties: string[] }>`
      select synonyms, specialties from cms.code_catalog where hcpcs = 'A0425'`.execute(db.database.db);
    expect(rows).toEqual([{ synonyms: [], specialties: [] }]);
  });
});
