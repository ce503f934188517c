/**
 * The csv reader parses whole chunks cut at record ends; a record may span chunks (a quoted line
 * break, as in ASP's note), and anything irregular is read by csv-parse from where the chunks
 * stopped, so rows, line numbers and errors are the same whichever reader read them.
 */
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { readDelimited } from '../../src/parse/delimited.js';
import type { RawRow } from '../../src/parse/rows.js';

/** The text as a stream of `size`-byte chunks. */
const source = (text: string, size: number) => async () => {
  const bytes = Buffer.from(text, 'latin1');
  const chunks: Buffer[] = [];
  for (let start = 0; start < bytes.length; start += size) chunks.push(bytes.subarray(start, start + size));
  return Readable.from(chunks);
};

async function read(text: string, size = 7): Promise<RawRow[]> {
  const rows: RawRow[] = [];
  for await (const batch of readDelimited(source(text, size), 'f.csv')) for (const row of batch) rows.push(row);
  return rows;
}

async function refusal(text: string, size = 7): Promise<InputError> {
  const error = await read(text, size).catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(InputError);
  return error as InputError;
}

describe('readDelimited', () => {
  it('reads a quoted line break that spans chunks as one record, and counts the lines after it', async () => {
    const text = 'CODE,NOTE\r\nJ1,"first line\r\nsecond, with a ""quote"""\r\nJ2,plain\r\n\r\nJ3,\r\n';
    for (const size of [1, 2, 5, 64 * 1024]) {
      expect(await read(text, size)).toEqual([
        { line: 1, cells: ['CODE', 'NOTE'], width: 2 },
        { line: 2, cells: ['J1', 'first line\r\nsecond, with a "quote"'], width: 2 },
        { line: 4, cells: ['J2', 'plain'], width: 2 },
        { line: 5, cells: [''], width: 1 },
        { line: 6, cells: ['J3', ''], width: 2 },
      ]);
    }
  });

  it('reads a last record without a line break', async () => {
    expect(await read('a,b\r\nc,"d"', 3)).toEqual([
      { line: 1, cells: ['a', 'b'], width: 2 },
      { line: 2, cells: ['c', 'd'], width: 2 },
    ]);
  });

  it('words a stray quote far into the file as csv-parse does, on its line', async () => {
    const rows = Array.from({ length: 5000 }, (_, index) => `A${index},x`);
    rows[4321] = 'A4321,x"y';
    const error = await refusal(rows.join('\r\n'), 4096);
    expect(error).toMatchObject({ file: 'f.csv', line: 4322 });
    expect(error.problem).toMatch(/^not valid delimited text \(INVALID_OPENING_QUOTE: Invalid Opening Quote: a quote is found on field 1 at line 4322/);
  });

  it('refuses an unclosed quote at the end of the file (csv-parse counts the line after the last break)', async () => {
    const error = await refusal('a,b\r\nc,"d\r\ne,f\r\n');
    expect(error).toMatchObject({ line: 5 });
    expect(error.problem).toMatch(/^not valid delimited text \(CSV_QUOTE_NOT_CLOSED: /);
  });

  it('reads a bare line feed inside a CRLF file as csv-parse does (part of the value)', async () => {
    expect(await read('a,b\r\nc,d\ne\r\n', 4)).toEqual([
      { line: 1, cells: ['a', 'b'], width: 2 },
      { line: 2, cells: ['c', 'd\ne'], width: 2 },
    ]);
  });

  it('reads the rows before a value over the bound, then refuses it with line and column', async () => {
    const rows: RawRow[] = [];
    const text = `a,b\r\nc,"${'z'.repeat(40_000)}"\r\n`;
    const error = await (async () => {
      for await (const batch of readDelimited(source(text, 1000), 'f.csv')) for (const row of batch) rows.push(row);
    })().catch((caught: unknown) => caught);
    expect(rows.map((row) => row.line)).toEqual([1]);
    expect(error).toMatchObject({ line: 2, column: '#2', problem: 'a value of 40,000 characters' });
  });

  it('refuses an unquoted value over the bound the same way, in a whole chunk or in pieces', async () => {
    const text = `a,b\r\nc,d\r\ne,${'z'.repeat(40_000)}\r\n`;
    for (const size of [1000, 1 << 20]) {
      const rows: RawRow[] = [];
      const error = await (async () => {
        for await (const batch of readDelimited(source(text, size), 'f.csv')) for (const row of batch) rows.push(row);
      })().catch((caught: unknown) => caught);
      expect(rows.map((row) => row.line)).toEqual([1, 2]);
      expect(error).toMatchObject({ line: 3, column: '#2', problem: 'a value of 40,000 characters' });
    }
  });
});
