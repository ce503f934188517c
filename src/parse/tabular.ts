/**
 * Declarative reading of CMS's tabular files (csv, xlsx): find the header row, map columns to
 * fields by header name (never by position), recognise the layout era, then hand each data row to
 * the dataset's normalizer through a RowReader that turns every bad value into an InputError
 * naming file, line, column, value and what was expected.
 */
import { InputError } from '../errors.js';
import { Batched, type MemberFile, type OutputRow, type ParseContext, type SourceRow } from '../pipeline.js';
import { FieldReader } from './fields.js';
import { isBlankRow, type RawRow } from './rows.js';
import { readTableRows } from './table.js';
import { normalizeDecimal } from './values.js';

export interface ColumnSpec {
  readonly field: string;
  /** the header as CMS writes it, for messages */
  readonly label: string;
  /** tested against the column's normalized header text (see `normalizeHeader`) */
  readonly header: RegExp;
}

/** A set of columns that some years' files have: a file must match one era exactly. */
export interface LayoutEra {
  readonly name: string;
  readonly fields: readonly string[];
}

export type RowKind = 'data' | 'skip' | 'end';

export interface TableContract {
  /** true for the header row (the last one, when the header is stacked over several rows) */
  isHeaderRow(cells: readonly string[]): boolean;
  /** what the header row starts with, for the "header not found" message */
  readonly headerHint: string;
  /** rows above the header row that hold more words of each column's name */
  readonly stackedRows?: number;
  /** how far into the file the header may be (default 40 rows) */
  readonly searchRows?: number;
  readonly columns: readonly ColumnSpec[];
  readonly eras: readonly LayoutEra[];
  /** the rows before the header (titles, the RELEASED date) */
  preamble?(rows: readonly RawRow[], ctx: ParseContext): void;
  /**
   * Whether a row after the header is data, a row to skip (blank separators) or the end of the
   * table (footnotes). Default: blank rows are skipped, every other row is data. A row that
   * looks like data after the end is an error: data is never silently dropped.
   */
  classify?(row: RowReader): RowKind;
  normalize(row: RowReader, ctx: ParseContext): OutputRow;
  /** fields that must hold the same value on every data row of one file (one CF per file) */
  readonly sameInEveryRow?: readonly string[];
  /** the member's rows, for a format the engine does not split itself (CLFS's `~` txt); default: csv or workbook by format */
  rows?(file: MemberFile): AsyncIterable<RawRow>;
}

/** Header text as matched: stacked words joined by spaces, `*` marks dropped, upper case. */
export function normalizeHeader(text: string): string {
  return text.replace(/\*/g, ' ').replace(/\s+/g, ' ').trim().toUpperCase();
}

interface Layout {
  readonly era: LayoutEra;
  /** field → column index */
  readonly index: ReadonlyMap<string, number>;
  /** field → header text as found */
  readonly headers: ReadonlyMap<string, string>;
  /** one past the last column that carries a field */
  readonly width: number;
  /** columns before `width` that carry no field; a value there (or beyond `width`) is unexpected */
  readonly gaps: readonly number[];
  readonly headerLine: number;
}

/**
 * One data row's cells by field, through the file's header; the checks are FieldReader's. One
 * reader per file, moved from row to row (`at`): no object per row.
 */
export class RowReader extends FieldReader {
  #line = 0;
  #cells: readonly string[] = [];

  constructor(
    readonly file: string,
    private readonly layout: Layout,
  ) {
    super();
  }

  /** @internal move to a row */
  at(line: number, cells: readonly string[]): this {
    this.#line = line;
    this.#cells = cells;
    return this;
  }

  get line(): number {
    return this.#line;
  }

  get cells(): readonly string[] {
    return this.#cells;
  }

  get era(): string {
    return this.layout.era.name;
  }

  /** the column exists in this file's layout */
  has(field: string): boolean {
    return this.layout.index.has(field);
  }

  /** the header of a field's column as found in the file */
  header(field: string): string {
    return this.layout.headers.get(field) ?? field;
  }

  column(field: string): string {
    return this.header(field);
  }

  /** trimmed cell text; '' when the column is absent or the cell empty */
  raw(field: string): string {
    const index = this.layout.index.get(field);
    return index === undefined ? '' : (this.#cells[index] ?? '').trim();
  }
}

/** Read a tabular member through a contract: the `read` of a tabular Dataset (its rows in batches). */
export function readTabular(contract: TableContract, file: MemberFile, ctx: ParseContext): Batched<SourceRow> {
  return new Batched(() => tabularBatches(contract, file, ctx));
}

async function* tabularBatches(contract: TableContract, file: MemberFile, ctx: ParseContext): AsyncGenerator<readonly SourceRow[]> {
  const searchRows = contract.searchRows ?? 40;
  const before: RawRow[] = [];
  let layout: Layout | undefined;
  let endedAt: number | undefined;
  const constants = new Map<string, { raw: string; value: string; line: number }>();
  let anyText = false;
  let dataRows = 0;
  let reader: RowReader | undefined;
  const sameInEveryRow = contract.sameInEveryRow ?? [];

  let stop = false;
  for await (const batch of contract.rows ? inBatches(contract.rows(file)) : readTableRows(file)) {
    const out: SourceRow[] = [];
    try {
      for (const row of batch) {
        if (!anyText && !isBlankRow(row.cells)) anyText = true;
        if (!layout || !reader) {
          if (contract.isHeaderRow(row.cells)) {
            layout = resolveLayout(contract, file.path, row, before);
            reader = new RowReader(file.path, layout);
            contract.preamble?.(before.slice(0, Math.max(0, before.length - (contract.stackedRows ?? 0))), ctx);
            continue;
          }
          before.push(row);
          if (before.length >= searchRows) {
            stop = true;
            break;
          }
          continue;
        }

        reader.at(row.line, row.cells);
        const kind = contract.classify ? contract.classify(reader) : isBlankRow(row.cells) ? 'skip' : 'data';
        if (kind === 'skip') continue;
        if (kind === 'end') {
          endedAt ??= row.line;
          continue;
        }
        if (endedAt !== undefined) {
          throw new InputError(`a data row after the end of the table (the notes start on line ${endedAt})`, {
            file: file.path,
            line: row.line,
            value: row.cells.join(','),
            expected: 'no data after the footnotes',
          });
        }
        checkRowWidth(row, layout, file.path);
        checkNoStrayCells(reader, layout);
        dataRows++;
        for (const field of sameInEveryRow) {
          const raw = reader.raw(field);
          const first = constants.get(field);
          if (first?.raw === raw) continue;
          const value = normalizeDecimal(raw) ?? raw;
          if (!first) constants.set(field, { raw, value, line: row.line });
          else if (first.value !== value) {
            // a blank is a missing value, not a second one
            reader.fail(field, raw === '' ? 'missing value' : 'a second value in one file', `${first.value}, as on line ${first.line}: one value per file`);
          }
        }
        out.push({ line: row.line, values: contract.normalize(reader, ctx) });
      }
    } catch (error) {
      // The rows before a bad one go first, as one at a time they would (a duplicate key among them is named first).
      if (out.length > 0) yield out;
      throw error;
    }
    if (out.length > 0) yield out;
    if (stop) break;
  }

  if (!anyText) {
    throw new InputError(file.size === 0 ? 'empty file (0 bytes)' : 'empty file: nothing but blank lines', {
      file: file.path,
      expected: `a header row starting ${contract.headerHint}, then the data rows`,
    });
  }
  if (!layout) {
    throw new InputError(`header row not found in the first ${searchRows} rows`, {
      file: file.path,
      expected: `a header row starting ${contract.headerHint}`,
    });
  }
  if (dataRows === 0) {
    throw new InputError(`no data rows: the header on line ${layout.headerLine} is followed by none`, {
      file: file.path,
      line: layout.headerLine,
      expected: 'at least one data row; a file with none would empty the current data',
    });
  }
}

/**
 * A data row must reach the last column of the layout: fewer values than that means a value
 * is missing (and every one after it would be read from the wrong column, or as NULL). Not
 * checkable in a workbook that stores no blank cells (old xls; some xlsx), see xlsx.ts.
 */
function checkRowWidth(row: RawRow, layout: Layout, file: string): void {
  const width = row.width;
  if (width === undefined || width >= layout.width) return;
  throw new InputError(`a short row: ${width} values`, {
    file,
    line: row.line,
    value: `${width} values`,
    expected: `${layout.width} values, one per column of the header on line ${layout.headerLine}`,
  });
}

function checkNoStrayCells(reader: RowReader, layout: Layout): void {
  // Only unmapped columns can hold a stray value: the gaps between mapped ones, and beyond them.
  for (const index of layout.gaps) checkUnmappedCell(reader, layout, index);
  for (let index = layout.width; index < reader.cells.length; index++) checkUnmappedCell(reader, layout, index);
}

function checkUnmappedCell(reader: RowReader, layout: Layout, index: number): void {
  const cell = reader.cells[index]?.trim() ?? '';
  if (cell === '') return;
  throw new InputError('a value in a column without a header', {
    file: reader.file,
    line: reader.line,
    column: `#${index + 1}`,
    value: cell,
    expected: `values only under the headers on line ${layout.headerLine}`,
  });
}

function resolveLayout(contract: TableContract, file: string, headerRow: RawRow, before: readonly RawRow[]): Layout {
  const stack = [...before.slice(before.length - (contract.stackedRows ?? 0)), headerRow];
  const width = Math.max(...stack.map((row) => row.cells.length));
  const found: { index: number; text: string }[] = [];
  for (let index = 0; index < width; index++) {
    const words = stack.map((row) => (row.cells[index] ?? '').trim()).filter((word) => word !== '');
    const text = normalizeHeader(words.join(' '));
    if (text !== '') found.push({ index, text });
  }

  const where = { file, line: headerRow.line };
  const foundList = found.map((column) => column.text).join(' | ');
  const index = new Map<string, number>();
  const headers = new Map<string, string>();
  const unknown: { index: number; text: string }[] = [];
  for (const column of found) {
    const specs = contract.columns.filter((spec) => spec.header.test(column.text));
    if (specs.length === 0) {
      unknown.push(column);
      continue;
    }
    if (specs.length > 1) {
      throw new InputError(
        `ambiguous column "${column.text}" (column ${column.index + 1}): it matches ${specs.map((s) => s.label).join(' and ')}`,
        { ...where, value: foundList, expected: describeEras(contract) },
      );
    }
    const field = specs[0]!.field;
    if (index.has(field)) {
      throw new InputError(
        `ambiguous header: columns ${index.get(field)! + 1} and ${column.index + 1} are both ${specs[0]!.label}`,
        { ...where, value: foundList, expected: describeEras(contract) },
      );
    }
    index.set(field, column.index);
    headers.set(field, column.text);
  }

  if (unknown.length > 0) {
    // What is unknown and what is then missing come first; the full expected list after them.
    const closest = [...contract.eras].sort((a, b) => distance(a, index) - distance(b, index))[0]!;
    const missing = closest.fields.filter((field) => !index.has(field)).map((field) => labelOf(contract, field));
    const names = unknown.map((column) => `"${column.text}" (column ${column.index + 1})`).join(', ');
    throw new InputError(`unknown column${unknown.length > 1 ? 's' : ''} ${names}${missing.length > 0 ? `; missing ${missing.join(', ')}` : ''}`, {
      ...where,
      value: foundList,
      expected: describeEras(contract),
    });
  }
  const era = contract.eras.find(
    (candidate) => candidate.fields.length === index.size && candidate.fields.every((field) => index.has(field)),
  );
  if (!era) {
    const closest = [...contract.eras].sort((a, b) => distance(a, index) - distance(b, index))[0]!;
    const missing = closest.fields.filter((field) => !index.has(field)).map((field) => labelOf(contract, field));
    const extra = [...index.keys()].filter((field) => !closest.fields.includes(field)).map((f) => labelOf(contract, f));
    const problems = [
      missing.length > 0 ? `missing ${missing.join(', ')}` : '',
      extra.length > 0 ? `not expected with them: ${extra.join(', ')}` : '',
    ].filter((part) => part !== '');
    throw new InputError(`the columns match no known layout (closest: ${closest.name}; ${problems.join('; ')})`, {
      ...where,
      value: foundList,
      expected: describeEras(contract),
    });
  }
  const mapped = new Set(index.values());
  const dataWidth = Math.max(...mapped) + 1;
  const gaps = Array.from({ length: dataWidth }, (_, column) => column).filter((column) => !mapped.has(column));
  return { era, index, headers, width: dataWidth, gaps, headerLine: headerRow.line };
}

function distance(era: LayoutEra, index: ReadonlyMap<string, number>): number {
  const missing = era.fields.filter((field) => !index.has(field)).length;
  const extra = [...index.keys()].filter((field) => !era.fields.includes(field)).length;
  return missing + extra;
}

function labelOf(contract: TableContract, field: string): string {
  return contract.columns.find((spec) => spec.field === field)?.label ?? field;
}

function describeEras(contract: TableContract): string {
  return contract.eras
    .map((era) => `${era.name}: ${era.fields.map((field) => labelOf(contract, field)).join(' | ')}`)
    .join(' — or — ');
}

/** A contract's own rows (one at a time) in the batches the rest of the read expects. */
async function* inBatches(rows: AsyncIterable<RawRow>, size = 1000): AsyncGenerator<readonly RawRow[]> {
  let batch: RawRow[] = [];
  for await (const row of rows) {
    batch.push(row);
    if (batch.length >= size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}
