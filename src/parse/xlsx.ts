/**
 * A workbook's first sheet → rows of cells as text. Cells are read as the spreadsheet displays
 * them (`w`), which keeps CMS's decimals as written (`0.10`, `32.3465`) instead of the binary
 * floats stored underneath (`32.346499999999999`).
 */
import * as XLSX from 'xlsx';
import { InputError } from '../errors.js';
import { MAX_FIELD_CHARS, fieldTooLong } from './limits.js';
import { cleanCell } from './text.js';
import type { RawRow } from './rows.js';

interface DenseCell {
  t: string;
  v?: unknown;
  w?: string;
}

export function readWorkbookRows(bytes: Buffer, file: string, format: 'xlsx' | 'xls' = 'xlsx'): RawRow[] {
  let workbook: XLSX.WorkBook;
  try {
    workbook = XLSX.read(bytes, { dense: true, cellDates: false });
  } catch (error) {
    throw new InputError(`not a readable workbook (${(error as Error).message})`, { file });
  }
  const sheetName = workbook.SheetNames[0];
  const sheet = sheetName === undefined ? undefined : workbook.Sheets[sheetName];
  if (!sheet) throw new InputError('the workbook has no sheet', { file });
  const data = ((sheet as unknown as { '!data'?: (DenseCell | undefined)[][] })['!data'] ?? []);
  const rows: RawRow[] = [];
  data.forEach((row, index) => {
    if (!row) return;
    const cells = Array.from(row, (cell) => cleanCell(cellText(cell)));
    cells.forEach((cell, column) => {
      if (cell.length > MAX_FIELD_CHARS) throw fieldTooLong(file, index + 1, column, cell.length);
    });
    // CMS's xlsx files hold every cell of a data row, blank ones too, so a row's width is where
    // its cells end; the old binary xls stores no blank cells, so there it cannot be told.
    const width = format === 'xlsx' ? cells.length : undefined;
    while (cells.length > 0 && cells[cells.length - 1] === '') cells.pop();
    if (cells.length > 0) rows.push(width === undefined ? { line: index + 1, cells } : { line: index + 1, cells, width });
  });
  return rows;
}

function cellText(cell: DenseCell | undefined): string {
  if (!cell || cell.t === 'z' || cell.t === 'e') return '';
  if (typeof cell.w === 'string') return cell.w;
  if (cell.v === undefined || cell.v === null) return '';
  // No display text: a number's shortest round-trip form is the decimal that was typed.
  return String(cell.v);
}
