/** Bad ANWEB input stops the read with an InputError naming file, line, column, value and expectation. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as XLSX from 'xlsx';
import { InputError } from '../../src/errors.js';
import type { Dataset } from '../../src/pipeline.js';
import { hcpcsCodeDataset, hcpcsModifierDataset } from '../../pipelines/hcpcs/index.js';
import { fixturePath, memberFromBytes, readAll } from './support.js';

const TXT = '2020/HCPC2020_ANWEB_w_disclaimer.txt';
const LINES = readFileSync(fixturePath(TXT), 'latin1').split('\r\n');

/** The fixture with some lines changed: `edit` gets the 1-based line numbers' texts. */
function txtWith(edit: (lines: string[]) => void): Buffer {
  const lines = [...LINES];
  edit(lines);
  return Buffer.from(lines.join('\r\n'), 'latin1');
}

/** Replace `value` at 1-based position `start` of a line. */
function put(line: string, start: number, value: string): string {
  return line.slice(0, start - 1) + value + line.slice(start - 1 + value.length);
}

/** Change line `n` (1-based) of the fixture. */
function changeLine(n: number, change: (line: string) => string): Buffer {
  return txtWith((lines) => {
    lines[n - 1] = change(lines[n - 1]!);
  });
}

async function failure(bytes: Buffer, dataset: Dataset = hcpcsCodeDataset, name = TXT): Promise<InputError> {
  const error = await readAll(dataset, memberFromBytes(name, bytes)).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InputError);
  return error as InputError;
}

// Lines of the fixture used below (see fixtures/hcpcs/README.md).
const A0021 = 42; // first code record
const A4226 = 43;
const GA = 25; // modifier first record, one continuation
const QS = 35; // modifier, no continuation
const G0503 = 87; // first of 17 records, 87-103

describe('ANWEB txt record structure', () => {
  it('fails on a first record of the wrong length', async () => {
    const error = await failure(changeLine(A0021, (line) => line.trimEnd()));
    expect(error).toMatchObject({ file: TXT, line: A0021, problem: 'a record of the wrong length', value: '293 characters' });
    expect(error.expected).toMatch(/^320 characters/);
  });

  it('fails on a continuation longer than 320 characters', async () => {
    const error = await failure(changeLine(G0503 + 1, (line) => line.padEnd(321, ' ')));
    expect(error).toMatchObject({ line: G0503 + 1, problem: 'a record of the wrong length', value: '321 characters' });
  });

  it('fails on an unknown RECID', async () => {
    const error = await failure(changeLine(A4226, (line) => put(line, 11, '5')));
    expect(error).toMatchObject({ file: TXT, line: A4226, column: 'RECID (pos 11)', value: '5', expected: 'one of 3, 4, 7, 8' });
  });

  it('fails on a continuation with no first record', async () => {
    // G0503's first record blanked out: its continuations now follow G0502's.
    const error = await failure(changeLine(G0503, () => ''));
    expect(error).toMatchObject({ file: TXT, line: G0503 + 1, problem: 'a continuation record without its first record' });
    expect(error.value).toBe('G0503 00200 4');
    expect(error.expected).toMatch(/a continuation of G0502 \(line 73\)/);
  });

  it('fails on a continuation before any first record', async () => {
    const error = await failure(txtWith((lines) => lines.splice(9, 0, lines[12]!)));
    expect(error).toMatchObject({ line: 10, problem: 'a continuation record without its first record' });
    expect(error.expected).toBe('a first record (3 or 7) before its continuations');
  });

  it('fails on a SEQNUM out of order', async () => {
    const swapped = txtWith((lines) => {
      [lines[G0503 + 1], lines[G0503 + 2]] = [lines[G0503 + 2]!, lines[G0503 + 1]!];
    });
    const error = await failure(swapped);
    expect(error).toMatchObject({ line: G0503 + 3, column: 'SEQNUM (pos 6-10)', value: '00300', problem: 'sequence number out of order' });
  });

  it('fails on a non-record line between records, but not on text after the last one', async () => {
    const error = await failure(txtWith((lines) => lines.splice(50, 0, 'Note: the following codes are new')));
    expect(error).toMatchObject({ line: 51, problem: 'a line that is not a code record, between code records' });
  });

  it('fails on a value in the filler positions (the layout moved)', async () => {
    const error = await failure(changeLine(A0021, (line) => put(line, 300, 'X')));
    expect(error).toMatchObject({ line: A0021, column: 'FILLER_294 (pos 294-320)' });
  });

  it('fails on data in a continuation record beyond the long description', async () => {
    const error = await failure(changeLine(G0503 + 1, (line) => put(line.padEnd(320, ' '), 92, 'Short text')));
    expect(error).toMatchObject({ line: G0503 + 1, column: 'SHORT_DESCRIPTION (pos 92-119)', value: 'Short text', problem: 'a value in a continuation record' });
  });

  it('fails when there are no records at all', async () => {
    const error = await failure(Buffer.from(LINES.slice(0, 9).join('\r\n'), 'latin1'));
    expect(error).toMatchObject({ file: TXT, line: undefined, problem: 'no code records found' });
  });
});

describe('ANWEB txt field values', () => {
  it('fails on a date that is not a date', async () => {
    const error = await failure(changeLine(A0021, (line) => put(line, 269, '19851301')));
    expect(error).toMatchObject({ file: TXT, line: A0021, column: 'ADD_DT (pos 269-276)', value: '19851301', expected: 'a date as YYYYMMDD' });
  });

  it('fails on an unknown action code, listing the allowed ones', async () => {
    const error = await failure(changeLine(A0021, (line) => put(line, 293, 'X')));
    expect(error).toMatchObject({ line: A0021, column: 'ACTION_CD (pos 293)', value: 'X', problem: 'unknown code', expected: 'one of A, B, C, D, F, N, P, R, S, T' });
  });

  it('fails on a missing action code', async () => {
    const error = await failure(changeLine(A0021, (line) => put(line, 293, ' ')));
    expect(error).toMatchObject({ line: A0021, column: 'ACTION_CD (pos 293)', problem: 'missing value' });
  });

  it('fails on unknown coverage, pricing and multiple-pricing indicators', async () => {
    expect(await failure(changeLine(A0021, (line) => put(line, 230, 'Q')))).toMatchObject({
      column: 'COV (pos 230)',
      value: 'Q',
      expected: 'one of C, D, I, M, S',
    });
    const price = await failure(changeLine(A0021, (line) => put(line, 122, '98')));
    expect(price).toMatchObject({ column: 'PRICE2 (pos 122-123)', value: '98' });
    expect(price.expected).toMatch(/^one of 00, 11, 12, 13, 21, 22, 31, .*, 99$/);
    expect(await failure(changeLine(A0021, (line) => put(line, 128, 'Z')))).toMatchObject({ column: 'MULT_PI (pos 128)', value: 'Z' });
  });

  it('fails on a code that is not a letter and 4 digits', async () => {
    const error = await failure(changeLine(A0021, (line) => put(line, 1, 'A00X1')));
    expect(error).toMatchObject({ line: A0021, column: 'HCPC (pos 1-5)', value: 'A00X1', expected: 'a letter and 4 digits (A0021)' });
  });

  it('fails on a modifier that is not 2 characters', async () => {
    const error = await failure(changeLine(QS, (line) => put(line, 1, '  QSX')), hcpcsModifierDataset);
    expect(error).toMatchObject({ line: QS, column: 'HCPC (pos 1-5)', value: 'QSX', expected: '2 letters or digits (GA, 59)' });
  });

  it('fails on a modifier record with a pricing indicator (no column to keep it in)', async () => {
    const error = await failure(changeLine(GA, (line) => put(line, 120, '00')), hcpcsModifierDataset);
    expect(error).toMatchObject({ line: GA, column: 'PRICE1 (pos 120-121)', problem: 'a value in a modifier record' });
  });

  it('fails on a malformed list value (lab certification)', async () => {
    const G0124 = 66;
    const error = await failure(changeLine(G0124, (line) => put(line, 184, '6X')));
    expect(error).toMatchObject({ line: G0124, column: 'LABCERT2 (pos 184-186)', value: '6X' });
  });
});

describe('ANWEB workbook records', () => {
  const XLS = '2020/HCPC2020_ANWEB_w_disclaimer.xls';
  function cells(): unknown[][] {
    const workbook = XLSX.read(readFileSync(fixturePath(XLS)));
    return XLSX.utils.sheet_to_json<unknown[]>(workbook.Sheets[workbook.SheetNames[0]!]!, { header: 1, raw: false, defval: '', blankrows: true });
  }
  function xlsOf(rows: unknown[][]): Buffer {
    const workbook = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(workbook, XLSX.utils.aoa_to_sheet(rows), 'A');
    return XLSX.write(workbook, { type: 'buffer', bookType: 'biff8', bookSST: true }) as Buffer;
  }

  it('fails on a continuation row with no first row, naming the sheet row', async () => {
    const rows = cells();
    const at = rows.findIndex((row) => row[2] === '4');
    rows.splice(at - 1, 1); // drop G0503's first row
    const error = await failure(xlsOf(rows), hcpcsCodeDataset, XLS);
    expect(error).toMatchObject({ file: XLS, line: at, column: 'HCPC', problem: 'a continuation record without its first record' });
  });

  it('fails on a bad date with the workbook header as column', async () => {
    const rows = cells();
    const at = rows.findIndex((row) => String(row[0]).trim() === 'A0021');
    rows[at]![44] = '1985-01-01';
    const error = await failure(xlsOf(rows), hcpcsCodeDataset, XLS);
    expect(error).toMatchObject({ file: XLS, line: at + 1, column: 'ADD DT', value: '1985-01-01' });
  });
});
