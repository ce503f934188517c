/**
 * A workbook's first sheet → rows of cells as text. Cells are read as the spreadsheet displays
 * them (`w`), which keeps CMS's decimals as written (`0.10`, `32.3465`) instead of the binary
 * floats stored underneath (`32.346499999999999`).
 */
import * as XLSX from 'xlsx';
import { InputError } from '../errors.js';
import { MAX_FIELD_CHARS, fieldTooLong, nulInValue } from './limits.js';
import { cleanCell } from './text.js';
import type { RawRow } from './rows.js';

interface DenseCell {
  t: string;
  v?: unknown;
  w?: string;
}

/**
 * `nul`: a NUL character in a cell is refused here (CMS files: their values go to COPY), or left
 * to the caller's validation, which names the field (editorial input).
 */
export function readWorkbookRows(bytes: Buffer, file: string, format: 'xlsx' | 'xls' = 'xlsx', nul: 'refuse' | 'caller' = 'refuse'): RawRow[] {
  checkWorkbookBytes(bytes, file, format);
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
  // A row's width is where its cells end only in a sheet that stores blank cells; the old binary
  // xls, and workbooks that leave blank cells out, cannot tell a short row from blank trailing cells.
  const widthKnown = format === 'xlsx' && storesBlankCells(data);
  data.forEach((row, index) => {
    if (!row) return;
    const cells = Array.from(row, (cell) => cleanCell(cellText(cell)));
    cells.forEach((cell, column) => {
      if (cell.length > MAX_FIELD_CHARS) throw fieldTooLong(file, index + 1, column, cell.length);
      if (nul === 'refuse' && cell.includes('\u0000')) throw nulInValue(file, index + 1, `#${column + 1}`, cell);
    });
    const width = widthKnown ? cells.length : undefined;
    while (cells.length > 0 && cells[cells.length - 1] === '') cells.pop();
    if (cells.length > 0) rows.push(width === undefined ? { line: index + 1, cells } : { line: index + 1, cells, width });
  });
  return rows;
}

/**
 * Whether the sheet keeps its blank cells as cells: more of them stored (as "") than left out
 * (holes before a row's last cell). One stray empty cell does not make a sheet that leaves
 * blanks out into one that keeps them (the counts of real workbooks are in test/parse/xlsx.test.ts).
 */
function storesBlankCells(data: readonly ((DenseCell | undefined)[] | undefined)[]): boolean {
  let stored = 0;
  let missing = 0;
  for (const row of data) {
    if (!row) continue;
    // An index loop: a hole in a sparse array is what `some`/`forEach` would skip.
    for (let column = 0; column < row.length; column++) {
      const cell = row[column];
      if (cell === undefined) missing++;
      else if (cellText(cell) === '') stored++;
    }
  }
  return stored > missing;
}

function cellText(cell: DenseCell | undefined): string {
  if (!cell || cell.t === 'z' || cell.t === 'e') return '';
  if (typeof cell.w === 'string') return cell.w;
  if (cell.v === undefined || cell.v === null) return '';
  // No display text: a number's shortest round-trip form is the decimal that was typed.
  return String(cell.v);
}

/**
 * An xlsx is a zip (`PK`), an old xls an OLE2 file (D0 CF 11 E0). SheetJS reads many other things
 * as a sheet (an HTML page saved under the name, a csv renamed), which would then fail later as
 * "header row not found", or load: say what the file is instead.
 */
function checkWorkbookBytes(bytes: Buffer, file: string, format: 'xlsx' | 'xls'): void {
  const zip = bytes[0] === 0x50 && bytes[1] === 0x4b;
  const ole2 = bytes[0] === 0xd0 && bytes[1] === 0xcf && bytes[2] === 0x11 && bytes[3] === 0xe0;
  if (format === 'xlsx' ? zip : zip || ole2) return;
  const start = bytes.subarray(0, 64).toString('latin1').replace(/^\s+/, '').split(/[\r\n]/)[0]!.slice(0, 20);
  throw new InputError(`not a workbook: it starts with \`${start}\``, {
    file,
    expected: format === 'xlsx' ? 'an Excel workbook (an xlsx file starts with "PK")' : 'an Excel 97-2003 workbook',
  });
}
