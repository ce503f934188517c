/**
 * An editorial workbook → the rows of its sheet of entries, as cell text (what the spreadsheet
 * displays, as src/parse/xlsx.ts reads CMS's workbooks). The sheet of entries is the first sheet
 * that is not hidden (a hidden sheet of lists for data validation may come first). What a sheet
 * shows but its cells do not hold is refused rather than read as something else or as nothing:
 * entries on another sheet (they would not be read), a merged range (its text is in its first
 * cell alone, the others read as empty), a cell showing a formula's error (`#N/A`: it reads as
 * empty), a date (a number that each reader's Excel shows in its own locale's way).
 */
import * as XLSX from 'xlsx';
import { InputError } from '../../errors.js';
import { MAX_FIELD_CHARS, fieldTooLong } from '../../parse/limits.js';
import type { RawRow } from '../../parse/rows.js';
import { cleanCell } from '../../parse/text.js';
import { fieldName } from './record.js';

interface Cell {
  t: string;
  v?: unknown;
  w?: string;
  z?: string | number;
  f?: string;
}
type Rows = readonly ((Cell | undefined)[] | undefined)[];

export function readEntrySheet(bytes: Buffer, file: string): RawRow[] {
  if (!(bytes[0] === 0x50 && bytes[1] === 0x4b)) {
    const start = bytes.subarray(0, 64).toString('latin1').replace(/^\s+/, '').split(/[\r\n]/)[0]!.slice(0, 20);
    throw new InputError(`not a workbook: it starts with \`${start}\``, { file, expected: 'an Excel workbook (an xlsx file starts with "PK")' });
  }
  let workbook: XLSX.WorkBook;
  try {
    workbook = XLSX.read(bytes, { dense: true, cellDates: false, cellNF: true });
  } catch (error) {
    throw new InputError(`not a readable workbook (${(error as Error).message})`, { file });
  }
  const names = workbook.SheetNames;
  const hidden = (index: number) => Boolean(workbook.Workbook?.Sheets?.[index]?.Hidden);
  let entriesIndex = names.findIndex((_, index) => !hidden(index));
  if (entriesIndex === -1) entriesIndex = 0;
  const sheetOf = (index: number) => workbook.Sheets[names[index]!];
  const entries = sheetOf(entriesIndex);
  if (!entries) throw new InputError('the workbook has no sheet', { file });
  const data = dataOf(entries);
  const headerIndex = data.findIndex((row) => row !== undefined && row.some((cell) => cellText(cell).trim() !== ''));

  // Entries on another sheet would not be read: refused, not left out.
  names.forEach((name, index) => {
    if (index === entriesIndex) return;
    const other = sheetOf(index);
    const rows = other ? dataOf(other) : [];
    const header = rows.findIndex((row) => row !== undefined && row.some((cell) => cellText(cell).trim() !== ''));
    const keyColumn = header === -1 ? undefined : rows[header]!.find((cell) => ['code', 'category'].includes(fieldName(cellText(cell))));
    if (keyColumn === undefined) return;
    throw new InputError(
      `sheet "${name}"${hidden(index) ? ' (hidden)' : ''} holds entries too (a ${cellText(keyColumn).trim()} column on its row ${header + 1}), but only the sheet "${names[entriesIndex]}" is read`,
      {
        file,
        line: header + 1,
        column: cellText(keyColumn).trim(),
        expected: `one sheet of entries (the first visible one): move these rows to "${names[entriesIndex]}", or save the sheet as a workbook of its own and import both`,
      },
    );
  });
  if (headerIndex === -1) return [];

  const header = data[headerIndex]!;
  const columnOf = (index: number) => {
    const label = cellText(header[index]).trim();
    return label !== '' ? label : `#${index + 1}`;
  };
  for (const range of entries['!merges'] ?? []) {
    if (range.e.r < headerIndex) continue;
    throw new InputError(`merged cells ${XLSX.utils.encode_range(range)}: the text is in ${XLSX.utils.encode_cell(range.s)} alone, the other cells read as empty`, {
      file,
      line: range.s.r + 1,
      column: columnOf(range.s.c),
      expected: 'one value per cell: unmerge them (Home › Merge & Center › Unmerge Cells) and give each row its own value',
    });
  }

  const rows: RawRow[] = [];
  data.forEach((row, index) => {
    if (!row) return;
    const cells = Array.from(row, (cell, column) => {
      if (index > headerIndex) refuseUnreadable(cell, file, index + 1, columnOf(column));
      const text = cleanCell(cellText(cell));
      if (text.length > MAX_FIELD_CHARS) throw fieldTooLong(file, index + 1, column, text.length);
      return text;
    });
    while (cells.length > 0 && cells[cells.length - 1] === '') cells.pop();
    if (cells.length > 0) rows.push({ line: index + 1, cells });
  });
  return rows;
}

function dataOf(sheet: XLSX.WorkSheet): Rows {
  return (sheet as unknown as { '!data'?: Rows })['!data'] ?? [];
}

/** A cell whose text is not what the sheet shows: a formula's error, a date. */
function refuseUnreadable(cell: Cell | undefined, file: string, line: number, column: string): void {
  if (!cell) return;
  if (cell.t === 'e') {
    throw new InputError(`a cell showing the error ${cell.w ?? '#VALUE!'}${cell.f ? ` (its formula: =${cell.f})` : ''}: it would read as empty`, {
      file,
      line,
      column,
      expected: 'text: correct the formula, or replace it by the text it should give (Paste Special › Values)',
    });
  }
  if (cell.t === 'd' || (cell.t === 'n' && typeof cell.z === 'string' && XLSX.SSF.is_date(cell.z))) {
    throw new InputError('a date cell, not text: Excel stores a date as a number and shows it as each reader\'s locale does (1/15/2025, 15/01/2025)', {
      file,
      line,
      column,
      value: cellText(cell),
      expected: "text: format the column as Text and type the date again, or start it with an apostrophe ('2025-01-15)",
    });
  }
}

function cellText(cell: Cell | undefined): string {
  if (!cell || cell.t === 'z' || cell.t === 'e') return '';
  if (typeof cell.w === 'string') return cell.w;
  if (cell.v === undefined || cell.v === null) return '';
  return String(cell.v);
}
