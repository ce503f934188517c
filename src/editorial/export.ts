/**
 * `editorial export --to FILE`: the current entries in exactly the import layout (the columns of
 * fields.ts; lists `; `-joined in csv and xlsx, arrays in json), so editors can round-trip a
 * workbook: export, edit, import. Codes first, then categories, each in key order. The csv is
 * UTF-8 with a byte-order mark (what Excel needs to open UTF-8); the xlsx has one sheet, every
 * cell text (codes keep their leading zeros), and is refused before anything is written when a
 * value is longer than an Excel cell holds (csv and json hold any length). The file is written
 * whole or not at all.
 */
import path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import type { Kysely } from 'kysely';
import { sheetjs } from '../parse/sheetjs.js';
import type { Schema } from '../db/schema.js';
import { UsageError } from '../errors.js';
import { writeWholeFile } from '../write-file.js';
import { COLUMNS, LIST_SEPARATOR } from './fields.js';
import { currentEntries, type StoredEntry } from './store.js';

export const EXPORT_FORMATS = ['xlsx', 'csv', 'json'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportResult {
  file: string;
  format: ExportFormat;
  entries: number;
}

export async function exportEditorial(db: Kysely<Schema>, file: string): Promise<ExportResult> {
  const format = path.extname(file).slice(1).toLowerCase() as ExportFormat;
  if (!(EXPORT_FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(`--to ${file}: expected a file ending .${EXPORT_FORMATS.join(', .')}`);
  }
  const entries = await currentEntries(db);
  const bytes = format === 'json' ? toJson(entries) : format === 'csv' ? toCsv(entries) : toXlsx(entries, file);
  await writeWholeFile(file, bytes);
  return { file, format, entries: entries.length };
}


function cellsOf(entry: StoredEntry): string[] {
  return COLUMNS.map((column) => {
    if (column === 'code') return entry.entry_type === 'code' ? entry.entry_key : '';
    if (column === 'category') return entry.entry_type === 'category' ? entry.entry_key : '';
    const value = entry[column];
    return Array.isArray(value) ? value.join(`${LIST_SEPARATOR} `) : ((value as string | null) ?? '');
  });
}

function toCsv(entries: readonly StoredEntry[]): string {
  // A line break inside a cell is quoted whatever its kind (Excel and csv-parse both read it back).
  return stringify([[...COLUMNS], ...entries.map(cellsOf)], { bom: true, record_delimiter: 'windows', quoted_match: /[\r\n]/ });
}

/** Excel's limit on the characters of one cell (SheetJS refuses to write more). */
const MAX_XLSX_CELL_CHARS = 32_767;

function toXlsx(entries: readonly StoredEntry[], file: string): Buffer {
  const rows = entries.map(cellsOf);
  refuseOverlongCells(entries, rows, file);
  const XLSX = sheetjs();
  const sheet = XLSX.utils.aoa_to_sheet([[...COLUMNS], ...rows]);
  const book = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(book, sheet, 'editorial');
  return XLSX.write(book, { type: 'buffer', bookType: 'xlsx', compression: true }) as Buffer;
}

/** A value longer than an Excel cell holds: named (the first, and how many more), before anything is written. */
function refuseOverlongCells(entries: readonly StoredEntry[], rows: readonly string[][], file: string): void {
  const overlong = rows.flatMap((cells, row) =>
    cells.flatMap((cell, column) => (cell.length > MAX_XLSX_CELL_CHARS ? [{ entry: entries[row]!, field: COLUMNS[column]!, length: cell.length }] : [])),
  );
  if (overlong.length === 0) return;
  const { entry, field, length } = overlong[0]!;
  const name = entry.entry_type === 'code' ? entry.entry_key : `category ${entry.entry_key}`;
  const more = overlong.length > 1 ? ` (and ${overlong.length - 1} more value${overlong.length === 2 ? '' : 's'} as long)` : '';
  throw new UsageError(
    `--to ${file}: the ${field} of ${name} is ${length.toLocaleString('en-US')} characters${more}, and an Excel cell holds at most ` +
      `${MAX_XLSX_CELL_CHARS.toLocaleString('en-US')}; export to .csv or .json, which hold any length (nothing was written)`,
  );
}

/** One object per entry: `code` or `category`, then every field (null or [] when empty). */
function toJson(entries: readonly StoredEntry[]): string {
  const objects = entries.map((entry) => {
    const object: Record<string, unknown> = entry.entry_type === 'code' ? { code: entry.entry_key } : { category: entry.entry_key };
    for (const column of COLUMNS) {
      if (column === 'code' || column === 'category') continue;
      if (entry.entry_type === 'category' && column !== 'billing_notes' && column !== 'notes') continue;
      object[column] = entry[column];
    }
    return object;
  });
  return `${JSON.stringify(objects, null, 2)}\n`;
}
