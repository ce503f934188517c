/**
 * `editorial import` of what editors really produce: workbooks with more than one sheet, merged
 * cells, formulas and dates; csv from Excel in a European locale or in two encodings; jsonl from
 * Windows; yaml with aliases, merge keys, several documents and null. Each is read as written, or
 * refused naming the file, line and column and what to do, with nothing written; never read as
 * something else or as nothing.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import * as XLSX from 'xlsx';
import { InputError } from '../../src/errors.js';
import { importEditorial } from '../../src/index.js';
import { backends } from '../support/db.js';
import { scratchDir, writeFixtureFile } from '../support/fixtures.js';
import { HCPCS_2025, pfsZip, refusedImport, useEditorialDatabase } from './support.js';

type Sheet = { name: string; rows: unknown[][]; hidden?: boolean; edit?: (sheet: XLSX.WorkSheet) => void };

function workbook(...sheets: Sheet[]): Buffer {
  const book = XLSX.utils.book_new();
  for (const sheet of sheets) {
    const ws = XLSX.utils.aoa_to_sheet(sheet.rows);
    sheet.edit?.(ws);
    XLSX.utils.book_append_sheet(book, ws, sheet.name);
  }
  book.Workbook = { Sheets: sheets.map((sheet) => ({ Hidden: sheet.hidden ? 1 : 0 })) };
  return XLSX.write(book, { type: 'buffer', bookType: 'xlsx' }) as Buffer;
}

describe.each(backends)('editorial import of what editors produce, on %s', (backend) => {
  const db = useEditorialDatabase(backend, [pfsZip('rvu25d'), HCPCS_2025]);
  let dir: string;
  const write = async (name: string, content: string | Uint8Array) => {
    dir ??= await scratchDir();
    return writeFixtureFile(dir, name, typeof content === 'string' ? Buffer.from(content, 'utf8') : content);
  };
  const entry = async (key: string) =>
    db.database.db.selectFrom('cms.editorial_entry').selectAll().where('entry_type', '=', 'code').where('entry_key', '=', key).executeTakeFirst();

  const refused = (paths: string[], where: Partial<InputError>, options = {}) => refusedImport(db.database, paths, where, options);

  describe('xlsx', () => {
    it('entries on a second sheet, hidden or not, are refused, not left out; a hidden first sheet (lists) is passed over', async () => {
      const entries: Sheet = { name: 'entries', rows: [['code', 'title'], ['99213', 'Office visit']] };
      const more: Sheet = { name: 'more', rows: [['Code', 'title'], ['G2211', 'Complexity add-on']] };
      // Until 2026-12-03 the second sheet's G2211 was left out, exit 0.
      const two = await write('two-sheets.xlsx', workbook(entries, more));
      const error = await refused([two], { file: two, line: 1, column: 'Code' });
      expect(error.problem).toBe('sheet "more" holds entries too (a Code column on its row 1), but only the sheet "entries" is read');
      expect(error.expected).toContain('move these rows to "entries"');
      const hidden = await write('hidden-second.xlsx', workbook(entries, { ...more, hidden: true }));
      expect((await refused([hidden], { file: hidden })).problem).toContain('sheet "more" (hidden) holds entries too');
      // A sheet of something else (instructions, lists for data validation) is no sheet of entries.
      const lists: Sheet = { name: 'lists', rows: [['specialty'], ['Family Medicine']] };
      const withLists = await write('with-lists.xlsx', workbook(entries, lists));
      expect((await importEditorial(db.database, [withLists])).created).toEqual(['99213']);
      // A hidden sheet first: the entries are on the first sheet the editor sees.
      const hiddenFirst = await write('hidden-first.xlsx', workbook({ ...lists, hidden: true }, { name: 'entries', rows: [['code', 'title'], ['G2211', 'Visit add-on']] }));
      expect((await importEditorial(db.database, [hiddenFirst])).created).toEqual(['G2211']);
    });

    it('merged cells are refused: the text is in the first cell alone, the rows below would read as empty', async () => {
      const book = await write(
        'merged.xlsx',
        workbook({
          name: 'entries',
          rows: [['code', 'title', 'specialties'], ['99213', 'Office visit', 'Family Medicine'], ['G2211', 'Add-on', '']],
          edit: (sheet) => {
            sheet['!merges'] = [{ s: { r: 1, c: 2 }, e: { r: 2, c: 2 } }];
          },
        }),
      );
      // Until 2026-12-03 G2211 was imported without specialties, exit 0.
      const error = await refused([book], { file: book, line: 2, column: 'specialties', problem: 'merged cells C2:C3: the text is in C2 alone, the other cells read as empty' });
      expect(error.expected).toContain('Unmerge Cells');
    });

    it("a formula reads as the value Excel saved; a cell showing a formula's error (#N/A) is refused, not read as empty", async () => {
      const book = await write(
        'formula.xlsx',
        workbook({
          name: 'entries',
          rows: [['code', 'title'], ['99213', 'x']],
          edit: (sheet) => {
            sheet['B2'] = { t: 's', v: 'Office visit, established', f: 'CONCATENATE("Office visit", ", established")' };
          },
        }),
      );
      await importEditorial(db.database, [book]);
      expect((await entry('99213'))?.title).toBe('Office visit, established');
      const broken = await write(
        'lookup.xlsx',
        workbook({
          name: 'entries',
          rows: [['code', 'title', 'summary'], ['99213', 'Office visit', 'x']],
          edit: (sheet) => {
            sheet['C2'] = { t: 'e', v: 0x2a, w: '#N/A', f: 'VLOOKUP(A2,lists!A:B,2,FALSE)' };
          },
        }),
      );
      // Until 2026-12-03 the summary was cleared, exit 0.
      const error = await refused([broken], { file: broken, line: 2, column: 'summary' });
      expect(error.problem).toBe('a cell showing the error #N/A (its formula: =VLOOKUP(A2,lists!A:B,2,FALSE)): it would read as empty');
      expect((await entry('99213'))?.summary).toBeNull();
    });

    it('a date cell is refused: it is a number each Excel shows in its own way, not the text typed', async () => {
      const book = await write('date.xlsx', workbook({ name: 'entries', rows: [['code', 'notes'], ['99213', new Date(Date.UTC(2025, 0, 15))]] }));
      // Until 2026-12-03 it was stored as "1/15/25", which no Excel shows (en-US: 1/15/2025).
      const error = await refused([book], { file: book, line: 2, column: 'notes', value: '1/15/25' });
      expect(error.expected).toContain("start it with an apostrophe ('2025-01-15)");
      // A number cell is text as shown, and typed as text a date is text.
      const text = await write('text.xlsx', workbook({ name: 'entries', rows: [['code', 'notes', 'summary'], ['99213', 'Reviewed 2025-01-15', 0.1]] }));
      await importEditorial(db.database, [text]);
      expect(await entry('99213')).toMatchObject({ notes: 'Reviewed 2025-01-15', summary: '0.1' });
    });
  });

  describe('csv', () => {
    it("a semicolon-separated csv (Excel in a European locale), or one starting with Excel's sep= line, is refused saying so", async () => {
      // Until 2026-12-03: "not valid delimited text (INVALID_OPENING_QUOTE …)", or an unknown column "code;title".
      const semicolons = await write('semicolons.csv', 'code;title;summary\r\n99213;Office visit;"a; b"\r\n');
      const error = await refused([semicolons], { file: semicolons, line: 1, problem: 'the header is separated by semicolons, not commas', value: 'code;title;summary' });
      expect(error.expected).toContain('import the workbook itself (.xlsx)');
      const sep = await write('sep.csv', 'sep=;\r\ncode;title\r\n99213;Office visit\r\n');
      expect((await refused([sep], { file: sep, line: 1 })).problem).toBe('Excel\'s separator line "sep=;" instead of a header row');
      // Semicolons inside a comma-separated csv are list separators, as always.
      const lists = await write('lists.csv', 'code,specialties\r\n99213,Family Medicine;Internal Medicine\r\n');
      await importEditorial(db.database, [lists]);
      expect((await entry('99213'))?.specialties).toEqual(['Family Medicine', 'Internal Medicine']);
    });

    it('a title row above the header is refused saying where the header is; an invisible character in a code is named', async () => {
      // Until 2026-12-03 only: unknown column "Editorial content, Q4"; expected the columns code, category, ….
      const titled = await write('titled.csv', 'Editorial content Q4,\r\nExported by Ann,\r\ncode,title\r\n99213,Office visit\r\n');
      const error = await refused([titled], { file: titled, line: 1, problem: 'unknown column "Editorial content Q4" (column 1); line 3 looks like the header row' });
      expect(error.expected).toBe('the header row first: delete the lines above line 3');
      const book = await write('titled.xlsx', workbook({ name: 'entries', rows: [['Editorial content Q4'], ['code', 'title'], ['99213', 'Office visit']] }));
      expect((await refused([book], { file: book, line: 1 })).expected).toBe('the header row first: delete the line above line 2');
      // A zero-width space pasted with the code: the message shows "99213", so it says what is there.
      const pasted = await write('pasted.csv', 'code,title\r\n99213\u200b,Office visit\r\n');
      await refused([pasted], { file: pasted, line: 2, column: 'code', problem: 'not a code: it holds U+200B (an invisible character) at character 6' });
    });

    it('a stray quote in a hand-edited csv is refused with its column and how quotes are written, not csv-parse words', async () => {
      // Until 2026-12-03: "not valid delimited text (INVALID_OPENING_QUOTE: Invalid Opening Quote: a quote is found on field 1 …)".
      const inside = await write('inside.csv', 'code,title,summary\r\n99213,He said "hi" ok,x\r\n');
      const error = await refused([inside], { file: inside, line: 2, column: 'title', problem: 'a quote inside a value that does not start with one' });
      expect(error.expected).toContain('"He said ""yes"""');
      const after = await write('after.csv', 'code,title,summary\r\n99213,"Office visit" ,x\r\n');
      await refused([after], { file: after, line: 2, problem: 'text after the closing quote of a quoted value' });
      // Never closed: named where its record starts, not only at the end of the file.
      const unclosed = await write('unclosed.csv', 'code,title,summary\n99213,"ok",x\nG2211,B,"never closed\n99214,C,d\n');
      await refused([unclosed], { file: unclosed, line: 3, problem: 'a quote opened on line 3 or after is never closed: the value runs to the end of the file (line 4)' });
    });

    it('--encoding cp1252 on a UTF-8 file is refused rather than stored as mojibake; a BOM over cp1252 bytes is named as two encodings', async () => {
      const utf8 = await write('utf8.csv', 'code,summary\r\n99213,plain\r\nG2211,Café visit\r\n');
      // Until 2026-12-03 it was stored as "CafÃ© visit", exit 0.
      const error = await refused([utf8], { file: utf8, line: 3, problem: 'the file is UTF-8, not cp1252', value: 'é (with --encoding cp1252: Ã©)' }, { encoding: 'cp1252' });
      expect(error.expected).toContain('without --encoding cp1252');
      await importEditorial(db.database, [utf8]);
      expect((await entry('G2211'))?.summary).toBe('Café visit');
      // A UTF-8 BOM, then cp1252 bytes: neither encoding reads it as written (cp1252 made the header "ï»¿code").
      const mixed = await write('mixed.csv', Buffer.concat([Buffer.from('\uFEFFcode,summary\r\n99213,Caf', 'utf8'), Buffer.from([0xe9]), Buffer.from('\r\n')]));
      for (const encoding of ['utf-8', 'cp1252'] as const) {
        const both = await refused([mixed], { file: mixed, line: 2, value: 'byte 0xE9' }, { encoding });
        expect(both.problem).toContain('it mixes two encodings');
      }
      // UTF-16 (Excel's "Unicode Text"): until 2026-12-03 refused as "not valid UTF-8 … import it with
      // --encoding cp1252", which read it as an unknown column "ÿþc\u0000o\u0000d\u0000e\u0000".
      const utf16 = await write('utf16.csv', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('code,summary\r\n99213,Café\r\n', 'utf16le')]));
      for (const encoding of ['utf-8', 'cp1252'] as const) {
        const wide = await refused([utf16], { file: utf16, line: 1, problem: 'the file is UTF-16 (little-endian), not UTF-8 or cp1252' }, { encoding });
        expect(wide.expected).toContain('"CSV UTF-8 (Comma delimited)"');
      }
      // A byte cp1252 has no character for: until 2026-12-03 stored as an invisible control character (U+0081).
      const undefinedByte = await write('not-cp1252.csv', Buffer.concat([Buffer.from('code,summary\r\n99213,a'), Buffer.from([0x81]), Buffer.from('b\r\n')]));
      await refused([undefinedByte], { file: undefinedByte, line: 2, value: 'byte 0x81', problem: 'not cp1252 text: a byte that is no character in cp1252' }, { encoding: 'cp1252' });
      // cp1252 itself still reads.
      const cp1252 = await write('cp1252.csv', Buffer.concat([Buffer.from('code,summary\r\n99213,Caf'), Buffer.from([0xe9, 0x92]), Buffer.from('s\r\n')]));
      await importEditorial(db.database, [cp1252], { encoding: 'cp1252' });
      expect((await entry('99213'))?.summary).toBe('Café’s');
    });
  });

  describe('files and folders', () => {
    it('a spreadsheet in a format not read (.xlsm, .xls, .ods) is refused, in a folder too, not skipped; an Excel lock file named is named so', async () => {
      const folder = path.join((dir ??= await scratchDir()), 'sheets');
      await mkdir(folder);
      await writeFile(path.join(folder, 'a.csv'), 'code,title\n99213,Office visit\n');
      await writeFile(path.join(folder, 'README.md'), 'entries\n');
      await writeFile(path.join(folder, '.DS_Store'), 'x');
      await writeFile(path.join(folder, '~$entries.xlsx'), 'lock');
      expect(await importEditorial(db.database, [folder])).toMatchObject({ created: ['99213'], skipped: [path.join(folder, 'README.md')] });
      const macro = path.join(folder, 'entries.xlsm');
      await writeFile(macro, workbook({ name: 'entries', rows: [['code', 'title'], ['G2211', 'Add-on']] }));
      // Until 2026-12-03 it was listed as skipped, exit 0: G2211 left out (and retired by --replace).
      for (const paths of [[folder], [macro]]) {
        const error = await refused(paths, { file: macro, problem: 'a macro-enabled Excel workbook, which editorial import does not read' }, { replace: true });
        expect(error.expected).toContain('.xlsx');
      }
      await refused([path.join(folder, '~$entries.xlsx')], { problem: "Excel's lock file (a `~$` file), not a workbook" });
    });
  });

  describe('json, jsonl, yaml', () => {
    it('jsonl with CRLF line ends (and a BOM) reads', async () => {
      // Until 2026-12-03: "not valid JSON (Unexpected scalar at node end …)" on line 1.
      const file = await write('windows.jsonl', '\uFEFF{"code": "99213", "title": "Office visit"}\r\n\r\n{"code": "G2211", "title": "Add-on"}\r\n');
      expect((await importEditorial(db.database, [file])).created).toEqual(['99213', 'G2211']);
      expect((await entry('99213'))?.title).toBe('Office visit');
    });

    it('half of a surrogate pair (json or yaml escapes) is refused with its place, not a bare database error', async () => {
      // Until 2026-12-03: "invalid input syntax for type json", naming no file.
      const json = await write('surrogate.json', '[\n  {"code": "99213",\n   "title": "smile \\ud83d"}\n]');
      const error = await refused([json], { file: json, line: 3, column: 'title' });
      expect(error.problem).toBe('half of a UTF-16 surrogate pair (\\ud83d) at character 7 of the value, which is no character');
      const yaml = await write('surrogate.yaml', '- code: "99213"\n  notes: "x\\udc00"\n');
      await refused([yaml], { file: yaml, line: 2, column: 'notes' });
      const pair = await write('pair.json', '[{"code": "99213", "title": "smile \\ud83d\\ude00"}]');
      await importEditorial(db.database, [pair]);
      expect((await entry('99213'))?.title).toBe('smile 😀');
    });

    it('yaml: an alias reads as what it names; a merge key and a second document are refused saying what to do', async () => {
      const aliases = await write('aliases.yaml', '- code: "99213"\n  specialties: &primary [Family Medicine, Internal Medicine]\n  notes: &lcd Check the LCD.\n- code: G2211\n  specialties: *primary\n  notes: *lcd\n');
      // Until 2026-12-03: "an object where text or a list is expected".
      await importEditorial(db.database, [aliases]);
      expect(await entry('G2211')).toMatchObject({ specialties: ['Family Medicine', 'Internal Medicine'], notes: 'Check the LCD.' });
      const merge = await write('merge.yaml', '- &base\n  code: "99213"\n  title: Office visit\n- <<: *base\n  code: G2211\n');
      const error = await refused([merge], { file: merge, line: 4, column: '<<', problem: 'a YAML merge key (<<), which is not read' });
      expect(error.expected).toContain('the fields written out in each entry');
      const documents = await write('documents.yaml', '---\n- code: "99213"\n  title: A\n---\n- code: G2211\n  title: B\n');
      // Until 2026-12-03: "… please use YAML.parseAllDocuments()".
      const second = await refused([documents], { file: documents, line: 4 });
      expect(second.problem).toBe("a second YAML document (a `---` line after the first one's content)");
    });

    it('yaml: null written plain (null, ~) is none, as in json; in quotes, and yes/no/on, it is text', async () => {
      await importEditorial(db.database, [await write('first.yaml', '- code: "99213"\n  summary: Something\n  notes: Something\n')]);
      const file = await write('nulls.yaml', '- code: "99213"\n  summary: null\n  notes: ~\n  title: "null"\n  clinical_context: no\n  plain_language: on\n');
      // Until 2026-12-03 the summary became the text "null".
      await importEditorial(db.database, [file]);
      expect(await entry('99213')).toMatchObject({ summary: null, notes: null, title: 'null', clinical_context: 'no', plain_language: 'on' });
    });

    it('a key twice in one object names the key', async () => {
      const json = await write('twice.json', '[\n  {"code": "99213", "title": "A",\n   "title": "B"}\n]');
      // Until 2026-12-03: "not valid JSON (Map keys must be unique at line 3, column 4:)".
      const error = await refused([json], { file: json, line: 3, column: 'title', problem: 'a key twice in one object ("title")' });
      expect(error.expected).toContain('each field once per entry');
      const yaml = await write('twice.yaml', '- code: "99213"\n  Title: A\n  Title: B\n');
      await refused([yaml], { file: yaml, line: 3, column: 'Title', problem: 'a key twice in one mapping (Title)' });
      // Two keys that name one field: until 2026-12-03 the second value was stored, the first dropped, exit 0.
      const cased = await write('cased.json', '[\n  {"code": "99213", "title": "A",\n   "Title": "B"}\n]');
      await refused([cased], { file: cased, line: 3, column: 'Title', problem: 'the field title twice in one entry (keys "title" and "Title")' });
      const spaced = await write('spaced.yaml', '- code: "99213"\n  plain language: A\n  plain_language: B\n');
      await refused([spaced], { file: spaced, line: 3, column: 'plain_language', problem: 'the field plain_language twice in one entry (keys "plain language" and "plain_language")' });
    });
  });
});
