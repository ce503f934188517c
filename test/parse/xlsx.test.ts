/**
 * Workbook rows (src/parse/xlsx.ts) without a database: what is not a workbook is named by how it
 * starts; cells are the text the sheet shows; a row's width is known only where the sheet stores
 * blank cells; trailing blanks and empty rows are dropped; sheet rows keep their numbers.
 * Workbooks are built with SheetJS from real rows, or are the fixtures.
 */
import { readFileSync } from 'node:fs';
import * as XLSX from 'xlsx';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { readWorkbookRows } from '../../src/parse/xlsx.js';
import { OPPS_JUL_2022 } from '../fee-schedules/support.js';
import { fixture } from '../support/fixtures.js';

function book(rows: unknown[][], bookType: XLSX.BookType = 'xlsx', cells?: (sheet: XLSX.WorkSheet) => void): Buffer {
  const workbook = XLSX.utils.book_new();
  const sheet = XLSX.utils.aoa_to_sheet(rows);
  cells?.(sheet);
  XLSX.utils.book_append_sheet(workbook, sheet, 'Sheet1');
  return XLSX.write(workbook, { type: 'buffer', bookType }) as Buffer;
}

function refusal(read: () => unknown) {
  try {
    read();
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    const { file, problem, expected } = error as InputError;
    return { file, problem, expected };
  }
  return expect.unreachable('read');
}

describe('readWorkbookRows', () => {
  it('an HTML page or a csv under a workbook name is refused, naming how it starts', () => {
    expect(refusal(() => readWorkbookRows(Buffer.from('\r\n  <!DOCTYPE html>\n<html>'), 'OPPSCAP_Oct.xlsx'))).toEqual({
      file: 'OPPSCAP_Oct.xlsx', problem: 'not a workbook: it starts with `<!DOCTYPE html>`', expected: 'an Excel workbook (an xlsx file starts with "PK")',
    });
    expect(refusal(() => readWorkbookRows(Buffer.from('HCPCS Code,Short Description,HCPCS Code Dosage\r\n'), 'ASP.xls', 'xls'))).toEqual({
      file: 'ASP.xls', problem: 'not a workbook: it starts with `HCPCS Code,Short Des`', expected: 'an Excel 97-2003 workbook',
    });
  });

  it('an old xls (OLE2) named .xlsx is not an xlsx; a zip named .xls is read', () => {
    const xls = readFileSync(fixture('asp', 'january-2025-asp-pricing-file-12_19_24-final-file', 'Jan 2025 ASP Pricing File updated 030725.xls'));
    expect(refusal(() => readWorkbookRows(xls, 'ASP.xlsx'))).toMatchObject({ problem: expect.stringMatching(/^not a workbook: it starts with `/) });
    expect(readWorkbookRows(xls, 'ASP.xls', 'xls').length).toBeGreaterThan(14);
    expect(readWorkbookRows(book([['HCPCS Code']]), 'ASP.xls', 'xls')).toEqual([{ line: 1, cells: ['HCPCS Code'] }]);
  });

  it('a zip that is no workbook is refused as unreadable', () => {
    // a zip (PK) holding no workbook parts
    const zip = Buffer.from('504b0506' + '00'.repeat(18), 'hex');
    expect(refusal(() => readWorkbookRows(zip, 'x.xlsx'))).toMatchObject({ file: 'x.xlsx', problem: expect.stringMatching(/^not a readable workbook \(|^the workbook has no sheet$/) });
  });

  it('cells as the sheet shows them, the sheet row as line; blank trailing cells and empty rows dropped', () => {
    const bytes = book(
      [
        ['Payment Allowance Limits for Medicare Part B Drugs'],
        [],
        ['HCPCS Code', 'Payment Limit', 'Clotting Factor', null],
        ['J9035', 73.19, null, null],
      ],
      'xlsx',
      (sheet) => {
        sheet['B4'] = { t: 'n', v: 73.19, z: '0.000' };
        sheet['C5'] = { t: 'n', v: 1.5420000000000001 };
        sheet['A5'] = { t: 's', v: 'J7192' };
        sheet['!ref'] = 'A1:D5';
      },
    );
    expect(readWorkbookRows(bytes, 'asp.xlsx')).toEqual([
      { line: 1, cells: ['Payment Allowance Limits for Medicare Part B Drugs'] },
      { line: 3, cells: ['HCPCS Code', 'Payment Limit', 'Clotting Factor'] },
      { line: 4, cells: ['J9035', '73.190'] },
      { line: 5, cells: ['J7192', '', '1.542'] },
    ]);
  });

  it('a sheet that stores blank cells gives each row its width; a blank cell is text ""', () => {
    const bytes = book([['A', 'B', 'C'], ['1', '', '3'], ['4', '5', '']]);
    expect(readWorkbookRows(bytes, 'w.xlsx')).toEqual([
      { line: 1, cells: ['A', 'B', 'C'], width: 3 },
      { line: 2, cells: ['1', '', '3'], width: 3 },
      { line: 3, cells: ['4', '5'], width: 3 },
    ]);
    // the same rows in an old xls: no width
    expect(readWorkbookRows(book([['A', 'B', 'C'], ['1', '', '3']], 'biff8'), 'w.xls', 'xls').every((row) => row.width === undefined)).toBe(true);
  });

  it('one stray "" cell in a sheet that leaves its blanks out gives no widths (the real July 2022 Addendum B: D10536)', () => {
    // As in the 2022 workbook: rows end at their last value, blanks inside a row are holes, and
    // one cell somewhere holds an empty string. Its rows are not short rows. Counted in the real
    // workbooks (storesBlankCells): the July 2022 Addendum B has one "" cell and 1,821 holes; the
    // ANWEB xlsx 293,673 "" cells and 3 holes; OPPSCAP_Oct 7,245 and none.
    const rows = [
      ['HCPCS Code', 'Short Descriptor', 'SI', 'APC', 'Relative Weight', 'Payment Rate'],
      ['0001A', 'Adm sarscov2 30mcg/0.3ml 1st', 'S', '9397', '0.4752', '$40.00'],
      ['0001F', 'Heart failure composite', 'E1'],
      ['J9035', 'Bevacizumab injection', 'K', '9214', null, '$69.225'],
      ['C9399', 'Unclassified drugs or biolog', 'A', ''],
    ];
    const read = readWorkbookRows(book(rows), 'July_2022_Web_Addendum_B.062222.xlsx');
    expect(read.map((row) => row.width)).toEqual([undefined, undefined, undefined, undefined, undefined]);
    expect(read[3]).toEqual({ line: 4, cells: ['J9035', 'Bevacizumab injection', 'K', '9214', '', '$69.225'] });
    // More blanks stored than left out: the sheet keeps its blank cells, and rows have widths.
    const kept = [rows[0]!, ['0001F', 'Heart failure composite', 'E1', '', '', ''], ['J9035', 'Bevacizumab injection', 'K', '9214', null, '$69.225']];
    expect(readWorkbookRows(book(kept), 'w.xlsx').map((row) => row.width)).toEqual([6, 6, 6]);
  });

  it('the 2022 Addendum B workbook stores no blank cells: no width; the deductible header and $69.225 as shown', () => {
    const rows = readWorkbookRows(readFileSync(OPPS_JUL_2022), 'July_2022_Web_Addendum_B.062222.xlsx');
    expect(rows.every((row) => row.width === undefined)).toBe(true);
    expect(rows.find((row) => row.line === 4)!.cells[8]).toBe(
      'Note: Actual copayments would be lower due to the cap on copayments at the Inpatient Deductible of $1,556.00',
    );
    expect(rows.find((row) => row.cells[0] === 'J9035')).toEqual({ line: 26, cells: ['J9035', 'Bevacizumab injection', 'K', '9214', '', '$69.225', '.', '$13.85', '', '', '*'] });
  });

  it('an error cell and a number without display text: "" and the number as typed', () => {
    const bytes = book([['x']], 'xlsx', (sheet) => {
      sheet['A1'] = { t: 'e', v: 0x07 };
      sheet['B1'] = { t: 'n', v: 32.3465 };
      sheet['C1'] = { t: 's', v: 'A9606_x001A_' };
      sheet['!ref'] = 'A1:C1';
    });
    expect(readWorkbookRows(bytes, 'e.xlsx')).toEqual([{ line: 1, cells: ['', '32.3465', 'A9606'], width: 3 }]);
  });
});
