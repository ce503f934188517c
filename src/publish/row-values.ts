/**
 * The values of a published table's rows as a writer gets them (SnapshotTable.valueBatches): each
 * row its values in column order, numerics as exact decimal strings, as JSON would give them. Read
 * from the database as one JSON array per row, or, where every column's COPY text is its value
 * (text, numeric, integers, booleans), as COPY text, which costs the server less to write.
 */
import { StringDecoder } from 'node:string_decoder';
import { quoteIdentifier as ident } from '../db/pool.js';

export interface SnapshotColumn {
  readonly name: string;
  /** the SQL type as PostgreSQL spells it (`numeric`, `text[]`, `timestamp with time zone`) */
  readonly type: string;
}

export const isNumeric = (column: SnapshotColumn) => /^numeric\b/.test(column.type);

/**
 * One JSON array per row, the columns in order and numerics as text so that no reader turns them
 * into floats. PostgreSQL converts each value as row_to_json would (both use its datum_to_json),
 * without repeating every column's name on every row: a release's payments for every locality
 * came to 2.1 GB of row_to_json text (42 s to produce, psql's \copy) and are 0.7 GB as arrays (28 s).
 */
export function jsonArraysQuery(query: string, columns: readonly SnapshotColumn[], key: readonly string[]): string {
  const projected = columns.map((column) => (isNumeric(column) ? `t.${ident(column.name)}::text` : `t.${ident(column.name)}`));
  const groups: string[] = [];
  for (let at = 0; at < projected.length; at += MAX_FUNCTION_ARGS) groups.push(`json_build_array(${projected.slice(at, at + MAX_FUNCTION_ARGS).join(', ')})`);
  const array = groups.length === 1 ? groups[0]! : `json_build_array(${groups.join(', ')})`;
  return `select ${array}::text from (${query}) t order by ${key.map((column) => `t.${ident(column)}`).join(', ')}`;
}

/** PostgreSQL's FUNC_MAX_ARGS: a row of more columns is an array of arrays of at most this many. */
const MAX_FUNCTION_ARGS = 100;

/** Rows per batch: PostgreSQL's COPY sends a row per message, PGlite a page at once. */
const BATCH_ROWS = 2_000;

export async function* decodeJsonArrays(chunks: AsyncIterable<Buffer>, columnCount: number): AsyncGenerator<unknown[][]> {
  const nested = columnCount > MAX_FUNCTION_ARGS;
  yield* linesInBatches(chunks, (line) => {
    const values = JSON.parse(unescapeCopyText(line)) as unknown[];
    return nested ? (values as unknown[][]).flat() : values;
  });
}

/** COPY text escapes (PostgreSQL writes only these): \\ \b \f \n \r \t \v. */
export function unescapeCopyText(field: string): string {
  if (!field.includes('\\')) return field;
  return field.replace(/\\(.)/g, (_match, char: string) => COPY_ESCAPES[char] ?? char);
}
const COPY_ESCAPES: Record<string, string> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' };

/** The rows of `query` in key order (as jsonArraysQuery orders them). */
export function orderedQuery(query: string, key: readonly string[]): string {
  return `select * from (${query}) t order by ${key.map((column) => `t.${ident(column)}`).join(', ')}`;
}

/** A column's COPY text (never `\\N`, which is NULL) → the value its JSON would give. */
type TextValue = (text: string) => unknown;

const asText: TextValue = (text) => unescapeCopyText(text);
const asInteger: TextValue = (text) => Number(text);
const asBoolean: TextValue = (text) => text === 't';

/**
 * How each column's COPY text becomes the value decodeJsonArrays would give, or undefined when a
 * column's text is not its JSON value (lists, JSON, dates and times, floats): such a table is read
 * as JSON arrays.
 */
export function copyTextValues(columns: readonly SnapshotColumn[]): TextValue[] | undefined {
  const decoders: TextValue[] = [];
  for (const column of columns) {
    const type = column.type;
    if (type.endsWith(']')) return undefined;
    if (/^(text|character varying|character)\b/.test(type) || isNumeric(column)) decoders.push(asText);
    else if (type === 'integer' || type === 'smallint' || type === 'bigint') decoders.push(asInteger);
    else if (type === 'boolean') decoders.push(asBoolean);
    else return undefined;
  }
  return decoders;
}

/** COPY text rows → batches of values, each field through its column's decoder (`\\N` is null). */
export async function* decodeCopyRows(chunks: AsyncIterable<Buffer>, decoders: readonly TextValue[]): AsyncGenerator<unknown[][]> {
  const valuesOf = (line: string) => {
    const fields = line.split('\t');
    if (fields.length !== decoders.length) throw new Error(`a COPY row of ${fields.length} fields, expected ${decoders.length}`);
    const values = new Array<unknown>(fields.length);
    for (let index = 0; index < fields.length; index++) {
      const field = fields[index]!;
      values[index] = field === '\\N' ? null : decoders[index]!(field);
    }
    return values;
  };
  yield* linesInBatches(chunks, valuesOf);
}

/** Each line of the COPY text through `valuesOf`, BATCH_ROWS lines a batch. */
async function* linesInBatches(chunks: AsyncIterable<Buffer>, valuesOf: (line: string) => unknown[]): AsyncGenerator<unknown[][]> {
  const decoder = new StringDecoder('utf8');
  let rest = '';
  let batch: unknown[][] = [];
  for await (const chunk of chunks) {
    const lines = (rest + decoder.write(chunk)).split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) batch.push(valuesOf(line));
    if (batch.length >= BATCH_ROWS) {
      yield batch;
      batch = [];
    }
  }
  if (rest !== '') batch.push(valuesOf(rest));
  if (batch.length > 0) yield batch;
}
