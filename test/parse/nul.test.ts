/**
 * A NUL character in a CMS file's text: PostgreSQL text cannot hold one, and the load's COPY
 * failed with a bare `invalid byte sequence for encoding "UTF8": 0x00` naming no file. Every
 * reader refuses it where it is (file, line, column, the value): csv on both of its paths (the
 * fast reader hands the chunk to the reference reader, which places it), fixed-width txt, and
 * workbooks.
 */
import { Readable } from 'node:stream';
import * as XLSX from 'xlsx';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { readDelimited } from '../../src/parse/delimited.js';
import { readTextLines } from '../../src/parse/fixed-width.js';
import { readWorkbookRows } from '../../src/parse/xlsx.js';

const EXPECTED = 'text without NUL characters (PostgreSQL text cannot hold one)';

async function failure(read: () => Promise<unknown>): Promise<InputError> {
  const error = await read().catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(InputError);
  return error as InputError;
}

describe('a NUL character in a value', () => {
  it('is refused in csv with its line and column, after the rows before it', async () => {
    const text = 'HCPCS,MOD,DESCRIPTION\r\n99211,,Placeholder one\r\n"99212",,Placeholder two\r\n99213,,Place\u0000holder three\r\n99214,,Four\r\n';
    const lines: number[] = [];
    const error = await failure(async () => {
      for await (const batch of readDelimited(async () => Readable.from([Buffer.from(text, 'latin1')]), 'PPRRVU2025_Oct.csv')) {
        for (const row of batch) lines.push(row.line);
      }
    });
    expect(error).toMatchObject({
      file: 'PPRRVU2025_Oct.csv',
      line: 4,
      column: '#3',
      problem: 'a NUL character (U+0000) at character 6 of the value',
      value: 'Place\u0000holder three',
      expected: EXPECTED,
    });
    expect(lines).toEqual([1, 2, 3]);
  });

  it('is refused in fixed-width text with its line and position', async () => {
    const text = 'A0021Ambulance service, outside state\r\nA0080Non\u0000emergency transport\r\n';
    const error = await failure(async () => {
      for await (const _line of readTextLines(Readable.from([Buffer.from(text, 'latin1')]), 'HCPC2025_OCT_ANWEB.txt')) void _line;
    });
    expect(error).toMatchObject({ file: 'HCPC2025_OCT_ANWEB.txt', line: 2, column: 'position 9', expected: EXPECTED });
  });

  it('is refused in a workbook cell with its sheet row and column', () => {
    const workbook = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(workbook, XLSX.utils.aoa_to_sheet([['HCPCS', 'DESCRIPTION'], ['99213', 'Place\u0000holder']]), 'Sheet1');
    const bytes = XLSX.write(workbook, { type: 'buffer', bookType: 'xlsx' }) as Buffer;
    let error: unknown;
    try {
      readWorkbookRows(bytes, 'PPRRVU2025_Oct.xlsx');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InputError);
    expect(error).toMatchObject({ file: 'PPRRVU2025_Oct.xlsx', line: 2, column: '#2', expected: EXPECTED });
  });
});
