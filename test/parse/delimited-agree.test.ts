/**
 * The csv reader's two readers give one behaviour: for real CMS csv files and for texts with each
 * irregularity the fast reader hands over (quotes in odd places, CR-only and mixed line breaks, a
 * BOM), in chunks of every size, readDelimited gives exactly the rows csv-parse reads from the
 * whole text (cells, width, and the line each record starts on, counting the line breaks inside
 * quoted values). csv-parse is the reference the module names; the expected rows are its own.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { readDelimited, type DelimitedEncoding } from '../../src/parse/delimited.js';
import type { RawRow } from '../../src/parse/rows.js';
import { cleanCell, decodeCp1252 } from '../../src/parse/text.js';
import { fixture } from '../support/fixtures.js';

const SIZES = [1, 2, 3, 5, 8, 13, 100, 64 * 1024];

async function read(bytes: Buffer, size: number, encoding: DelimitedEncoding = 'cp1252'): Promise<RawRow[]> {
  return (await readCounting(bytes, size, encoding)).rows;
}

/** The rows, and how often the bytes were opened: twice when the fast reader handed the file over. */
async function readCounting(bytes: Buffer, size: number, encoding: DelimitedEncoding = 'cp1252'): Promise<{ rows: RawRow[]; opened: number }> {
  const chunks: Buffer[] = [];
  for (let start = 0; start < bytes.length; start += size) chunks.push(bytes.subarray(start, start + size));
  const rows: RawRow[] = [];
  let opened = 0;
  const open = async () => {
    opened++;
    return Readable.from(chunks);
  };
  for await (const batch of readDelimited(open, 'f.csv', encoding)) for (const row of batch) rows.push(row);
  return { rows, opened };
}

/** What csv-parse reads from the whole text, with the line each record starts on. */
function reference(text: string): RawRow[] {
  const records = parse(text, { relax_column_count: true, skip_empty_lines: false }) as string[][];
  let line = 1;
  return records.map((record) => {
    const row = { line, cells: record.map(cleanCell), width: record.length };
    line += 1 + record.reduce((breaks, cell) => breaks + cell.split('\n').length - 1, 0);
    return row;
  });
}

const csvFixtures = [
  ...['opps/2025-01', 'opps/2025-07-original', 'opps/2025-07-repost', 'clfs/25CLABQ1', 'asp/january-2025-asp-pricing-file-12_19_24-final-file', 'pfs/rvu25d', 'pfs/rvu24b'].flatMap((folder) =>
    readdirSync(fixture(...folder.split('/')))
      .filter((name) => name.toLowerCase().endsWith('.csv'))
      .map((name) => path.join(folder, name)),
  ),
  'asp/section 508 version of Jul 2024 ASP Pricing File 062024.csv',
];

describe('readDelimited agrees with csv-parse', () => {
  it.each(csvFixtures)('%s, in chunks of every size', async (name) => {
    const bytes = readFileSync(fixture(...name.split('/')));
    const expected = reference(decodeCp1252(bytes));
    expect(expected.length).toBeGreaterThan(5);
    for (const size of SIZES) expect(await read(bytes, size)).toEqual(expected);
  });

  const texts: [string, string][] = [
    ['LF line breaks', 'HCPCS,MOD\nA0001,\n"A0002","26"\n\nA0003,"x\ny"\n'],
    ['CRLF with a quoted CRLF and a doubled quote', 'a,b\r\n"1\r\n2","say ""hi"""\r\n3,4\r\n'],
    ['no final line break', 'a,b\r\nc,"d"'],
    ['no final line break after a quoted field ending the text', 'a,"b\r\nc"'],
    ['a single record', 'HCPCS'],
    ['CR-only line breaks', 'a,b\rc,d\r'],
    ['a CR at the very end', 'a,b\r\nc,d\r'],
    ['a bare CR inside a CRLF file', 'a,b\r\nc\rd,e\r\n'],
    ['a CRLF inside an LF file', 'a,b\nc,d\r\ne,f\n'],
    ['a bare LF inside a CRLF file', 'a,b\r\nc,d\ne,f\r\n'],
    ['a line starting with a quote after an LF', 'a\n"b",c\n'],
    ['empty lines and a blank record', '\r\n\r\na\r\n,\r\n'],
    ['the escaped EOF of a spreadsheet', 'a,b_x001A_\r\nc_x001a_,d\r\n'],
    ['a quoted empty field and a lone quote pair', '"",a\r\n"""",b\r\n'],
    ['only a line break', '\r\n'],
    // records without quotes are split at commas, records with quotes parsed whole: mixed in every order
    ['quoted fields among plain records, a comma inside quotes', 'a,"b,c",d\r\ne,f,g\r\n"h",i,"j\r\nk"\r\nl,m,n\r\n'],
    ['quoted records one after another', '"a","b"\r\n"c","d"\r\ne,f\r\n"g",h'],
    ['a doubled quote, then a quoted line break, in one field', 'a,"say ""x""\r\nmore",b\r\nc,d\r\n'],
    ['a plain record after the last quote of the text', 'a,"b"\nc,d\ne,f\n'],
    ['two quoted fields in a record, the second holding a line break', 'a,"b",c,"d\r\ne"\r\nf,g\r\n'],
  ];

  it.each(texts)('%s, in chunks of every size', async (_case, text) => {
    const expected = reference(text);
    for (const size of SIZES) expect(await read(Buffer.from(text, 'latin1'), size)).toEqual(expected);
  });

  // The fast reader reads regular CSV alone: the reference reader (a second opening of the bytes)
  // is for the irregular texts above, not a safety net that hides a fast reader reading wrongly.
  const handedOver = new Set(['CR-only line breaks', 'a CR at the very end', 'a bare CR inside a CRLF file', 'a CRLF inside an LF file', 'a bare LF inside a CRLF file']);
  it.each(texts.filter(([name]) => !handedOver.has(name)))('%s: read by the fast reader alone, in chunks of every size', async (_case, text) => {
    for (const size of SIZES) expect((await readCounting(Buffer.from(text, 'latin1'), size)).opened).toBe(1);
  });

  it.each(csvFixtures)('%s: read by the fast reader alone', async (name) => {
    const bytes = readFileSync(fixture(...name.split('/')));
    for (const size of [100, 64 * 1024]) expect((await readCounting(bytes, size)).opened).toBe(1);
  });

  it.each(texts.filter(([name]) => handedOver.has(name)))('%s: handed to the reference reader', async (_case, text) => {
    expect((await readCounting(Buffer.from(text, 'latin1'), 1 << 20)).opened).toBe(2);
  });

  const refused: [string, string][] = [
    ['a quote in the middle of a field', 'a,b\r\nc,d"e\r\n'],
    ['text after a closing quote', 'a,b\r\n"c"d,e\r\n'],
    ['a quote after a space', 'a, "b"\r\n'],
    ['an unclosed quote', 'a,b\r\nc,"d\r\ne,f\r\n'],
  ];

  it.each(refused)('%s: refused with csv-parse\'s own words, in chunks of every size', async (_case, text) => {
    const expected = (() => {
      try {
        parse(text, { relax_column_count: true, skip_empty_lines: false });
      } catch (error) {
        return error as Error & { code: string };
      }
      return expect.unreachable('csv-parse read it');
    })();
    for (const size of SIZES) {
      const error = await read(Buffer.from(text, 'latin1'), size).catch((caught: unknown) => caught as { problem: string; file: string });
      expect(error).toMatchObject({ file: 'f.csv', problem: `not valid delimited text (${expected.code}: ${expected.message})` });
    }
  });

  it('UTF-8 text with a BOM: the reference reader keeps it in the first cell, in chunks of every size', async () => {
    const text = '\uFEFFCode,Title\r\nJ9035,Bevacizumab — 10 mg\r\n';
    const expected = reference(text);
    expect(expected[0]!.cells[0]).toBe('\uFEFFCode');
    for (const size of SIZES) expect(await read(Buffer.from(text, 'utf8'), size, 'utf-8')).toEqual(expected);
  });

  it('an empty file has no rows', async () => {
    expect(await read(Buffer.alloc(0), 4)).toEqual([]);
  });
});
