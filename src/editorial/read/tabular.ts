/**
 * Editorial csv and xlsx: one header row of field names (row 1), one entry per row below it; a
 * blank row is skipped; a file without a header row (empty, or only blank lines) is refused, not
 * read as no entries. Read through src/parse (csv-parse for csv, SheetJS for a workbook's first
 * sheet); csv is decoded strictly first (UTF-8, or cp1252 on request), and read without the line
 * and value bounds of CMS files: the file is already in memory whole, and a value as long as
 * any format accepts must read back from the csv `editorial export` wrote.
 */
import { Readable } from 'node:stream';
import { InputError } from '../../errors.js';
import { readDelimited } from '../../parse/delimited.js';
import { decodeText, type TextEncoding } from '../../parse/encoding.js';
import { isBlankRow, type RawRow } from '../../parse/rows.js';
import { KNOWN_FIELDS } from '../fields.js';
import { fieldName, type RawRecord } from './record.js';

export async function readCsvRecords(bytes: Buffer, file: string, encoding: TextEncoding): Promise<RawRecord[]> {
  const text = decodeText(bytes, file, encoding);
  const rows: RawRow[] = [];
  const open = async () => Readable.from([Buffer.from(text, 'utf8')]);
  for await (const batch of readDelimited(open, file, 'utf-8', 'none')) for (const row of batch) rows.push(row);
  return recordsOf(rows, file, 'csv');
}

export async function readXlsxRecords(bytes: Buffer, file: string): Promise<RawRecord[]> {
  // SheetJS only when a workbook is read
  const { readWorkbookRows } = await import('../../parse/xlsx.js');
  return recordsOf(readWorkbookRows(bytes, file, 'xlsx', 'caller'), file, 'xlsx');
}

function recordsOf(rows: readonly RawRow[], file: string, kind: 'csv' | 'xlsx'): RawRecord[] {
  const header = rows.find((row) => !isBlankRow(row.cells));
  if (!header) {
    // Not a sheet of entries at all: read as none, it would let --replace retire every entry.
    throw new InputError(kind === 'csv' ? 'no header row: the file is empty or only blank lines' : 'no header row: the first sheet is empty', {
      file,
      expected: `a header row of field names (${[...KNOWN_FIELDS].join(', ')}), then one entry per row`,
    });
  }
  const columns = header.cells.map((cell, index) => {
    const name = fieldName(cell);
    if (name === '') return undefined;
    if (!KNOWN_FIELDS.has(name)) {
      throw new InputError(`unknown column "${cell.trim()}" (column ${index + 1})`, {
        file,
        line: header.line,
        column: cell.trim(),
        value: cell,
        expected: `the columns ${[...KNOWN_FIELDS].join(', ')}`,
      });
    }
    return { name, label: cell.trim(), index };
  });
  const seen = new Map<string, number>();
  for (const column of columns) {
    if (!column) continue;
    const before = seen.get(column.name);
    if (before !== undefined) {
      throw new InputError(`column ${column.name} appears twice (columns ${before + 1} and ${column.index + 1})`, {
        file,
        line: header.line,
        column: column.label,
        expected: 'each column once',
      });
    }
    seen.set(column.name, column.index);
  }

  const records: RawRecord[] = [];
  for (const row of rows) {
    if (row.line <= header.line || isBlankRow(row.cells)) continue;
    row.cells.forEach((cell, index) => {
      if (cell.trim() !== '' && !columns[index]) {
        throw new InputError('a value in a column without a header', {
          file,
          line: row.line,
          column: `#${index + 1}`,
          value: cell,
          expected: `values only under the headers on line ${header.line}`,
        });
      }
    });
    records.push({
      file,
      line: row.line,
      fields: columns.flatMap((column) =>
        column ? [{ field: column.name, column: column.label, line: row.line, value: row.cells[column.index] ?? '', structured: false }] : [],
      ),
    });
  }
  return records;
}
