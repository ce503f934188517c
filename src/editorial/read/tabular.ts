/**
 * Editorial csv and xlsx: one header row of field names (row 1), one entry per row below it; a
 * blank row is skipped; a file without a header row (empty, or only blank lines) is refused, not
 * read as no entries. csv is read through src/parse (csv-parse), a workbook's sheet of entries
 * through workbook.ts. csv is decoded strictly first (text.ts: UTF-8, or cp1252 on request), and
 * read without the line and value bounds of CMS files: the file is already in memory whole, and
 * a value as long as any format accepts must read back from the csv `editorial export` wrote.
 */
import { Readable } from 'node:stream';
import { InputError } from '../../errors.js';
import { readDelimited } from '../../parse/delimited.js';
import type { TextEncoding } from '../../parse/encoding.js';
import { isBlankRow, type RawRow } from '../../parse/rows.js';
import { KNOWN_FIELDS } from '../fields.js';
import { fieldName, type RawRecord } from './record.js';
import { decodeEditorialText } from './text.js';

export async function readCsvRecords(bytes: Buffer, file: string, encoding: TextEncoding): Promise<RawRecord[]> {
  const text = decodeEditorialText(bytes, file, encoding);
  refuseOtherSeparators(text, file);
  const rows: RawRow[] = [];
  const open = async () => Readable.from([Buffer.from(text, 'utf8')]);
  try {
    for await (const batch of readDelimited(open, file, 'utf-8', 'none')) for (const row of batch) rows.push(row);
  } catch (error) {
    throw quoteProblem(error, rows, text, file);
  }
  return recordsOf(rows, file, 'csv');
}

/**
 * csv-parse's quote errors (`INVALID_OPENING_QUOTE: Invalid Opening Quote: a quote is found on
 * field 1 …`), worded for whoever wrote the csv: the column, and how quotes are written. A quote
 * never closed is named where its record starts (csv-parse names the end of the file).
 */
function quoteProblem(error: unknown, rows: readonly RawRow[], text: string, file: string): unknown {
  if (!(error instanceof InputError)) return error;
  const code = /^not valid delimited text \((\w+):/.exec(error.problem)?.[1];
  // csv-parse may fail before it hands over the header row: then the header as the text has it.
  const header = rows.find((row) => !isBlankRow(row.cells)) ?? {
    cells: (text.split('\n').find((line) => line.trim() !== '') ?? '').split(',').map((cell) => cell.replace(/^\s*"|"\s*$/g, '')),
  };
  const doubled = 'each quote inside a quoted value doubled, as Excel writes it: "He said ""yes"""';
  const at = error.line !== undefined ? { line: error.line } : {};
  if (code === 'INVALID_OPENING_QUOTE') {
    const index = Number(/on field (\d+)/.exec(error.problem)?.[1] ?? Number.NaN);
    const label = Number.isInteger(index) ? header.cells[index]?.trim() || `#${index + 1}` : undefined;
    return new InputError('a quote inside a value that does not start with one', {
      file,
      ...at,
      ...(label !== undefined ? { column: label } : {}),
      expected: `a value with quotes in it wholly in quotes, ${doubled}`,
    });
  }
  if (code === 'CSV_INVALID_CLOSING_QUOTE') {
    return new InputError('text after the closing quote of a quoted value', { file, ...at, expected: `a comma or the line's end right after a closing quote, and ${doubled}` });
  }
  if (code === 'CSV_QUOTE_NOT_CLOSED') {
    const start = rows.length > 0 ? rows[rows.length - 1]!.line + 1 : 1;
    const end = error.line !== undefined ? ` (line ${error.line})` : '';
    return new InputError(`a quote opened on line ${start} or after is never closed: the value runs to the end of the file${end}`, {
      file,
      line: start,
      expected: `its closing quote, and ${doubled}`,
    });
  }
  return error;
}

export async function readXlsxRecords(bytes: Buffer, file: string): Promise<RawRecord[]> {
  // SheetJS only when a workbook is read
  const { readEntrySheet } = await import('./workbook.js');
  return recordsOf(readEntrySheet(bytes, file), file, 'xlsx');
}

/**
 * A csv whose separator is not the comma: Excel where the list separator is `;` (most of Europe)
 * saves its "CSV" so, and may put a `sep=;` line first. Read with commas, its header would be one
 * unknown column, or its first quoted value a parse error naming no separator; and `;` separates
 * the items of a list cell, so such a file cannot be read as written. Refused, saying what to do.
 */
function refuseOtherSeparators(text: string, file: string): void {
  const lines = text.split('\n', 50);
  const index = lines.findIndex((line) => line.trim() !== '');
  if (index === -1) return;
  const first = lines[index]!.replace(/\r$/, '');
  const sep = /^"?sep=(.)"?,*$/i.exec(first.trim());
  const bySemicolon = first.split(';').map(fieldName);
  if (sep || (!KNOWN_FIELDS.has(fieldName(first.split(',')[0]!)) && bySemicolon.length > 1 && KNOWN_FIELDS.has(bySemicolon[0]!))) {
    throw new InputError(sep ? `Excel's separator line "${first.trim()}" instead of a header row` : 'the header is separated by semicolons, not commas', {
      file,
      line: index + 1,
      value: first.length > 80 ? `${first.slice(0, 80)}…` : first,
      expected:
        'a comma-separated csv (Excel saves ";" where the list separator of the region settings is ";"): import the workbook itself (.xlsx), ' +
        'or save the csv with "," as the list separator' + (sep ? ' and without the sep= line' : ''),
    });
  }
}

/** A row of known field names only, one of them `code` or `category`. */
function isHeaderRow(row: RawRow): boolean {
  const names = row.cells.map(fieldName).filter((name) => name !== '');
  return names.length > 0 && names.every((name) => KNOWN_FIELDS.has(name)) && (names.includes('code') || names.includes('category'));
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
      // A title row above the header ("Editorial content, Q4"): say where the header is.
      const below = rows.slice(rows.indexOf(header) + 1, rows.indexOf(header) + 10).find(isHeaderRow);
      throw new InputError(`unknown column "${cell.trim()}" (column ${index + 1})${below ? `; line ${below.line} looks like the header row` : ''}`, {
        file,
        line: header.line,
        column: cell.trim(),
        value: cell,
        expected: below
          ? `the header row first: delete the line${below.line - header.line > 1 ? 's' : ''} above line ${below.line}`
          : `the columns ${[...KNOWN_FIELDS].join(', ')}`,
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
