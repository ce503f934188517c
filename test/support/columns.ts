/**
 * Value-level column checks: rows loaded from a fixture, compared with every column written out by
 * hand from the file. A column-mapping bug (two columns swapped, one read from its neighbour)
 * passes a test only where the chosen rows hold the same value in both columns, so the chosen
 * rows are checked for that too.
 */
import { sql } from 'kysely';
import type { Database } from '../../src/db/database.js';

export type Row = Record<string, unknown>;

/**
 * Pairs of columns that hold the same value in every chosen row: a swap of the two would go
 * unseen. Columns null in every row are left out (an era without the column: they are checked
 * to be null, and a value read into one would show).
 */
export function hiddenSwaps(rows: readonly Row[]): string[] {
  const columns = Object.keys(rows[0] ?? {}).filter((column) => rows.some((row) => row[column] !== null));
  const hidden: string[] = [];
  for (const [index, a] of columns.entries()) {
    for (const b of columns.slice(index + 1)) {
      if (rows.every((row) => JSON.stringify(row[a]) === JSON.stringify(row[b]))) hidden.push(`${a} = ${b}`);
    }
  }
  return hidden;
}

/** Every column but release_id of a release's rows in `table`, keyed by `key`. */
export async function loadedRows(database: Database, table: string, releaseId: number | string, key: readonly string[]): Promise<Map<string, Row>> {
  const { rows } = await sql<Row>`select * from ${sql.table(`cms.${table}`)} where release_id = ${releaseId}`.execute(database.db);
  return new Map(
    rows.map(({ release_id: _release, ...row }) => [key.map((column) => String(row[column])).join('|'), normalizeDates(row)]),
  );
}

/** Dates as `yyyy-mm-dd` text whichever driver returned them (pg gives Date objects). */
function normalizeDates(row: Row): Row {
  return Object.fromEntries(
    Object.entries(row).map(([column, value]) => [column, value instanceof Date ? isoDay(value) : value]),
  );
}

function isoDay(date: Date): string {
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** The rows picked by key, in the order asked (a key not loaded fails the comparison as undefined). */
export function pick(rows: Map<string, Row>, ...keys: string[]): (Row | undefined)[] {
  return keys.map((key) => rows.get(key));
}
