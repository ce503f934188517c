/** The columns of a snapshot table and their types, as the database has them (from the catalog). */
import { sql, type Kysely } from 'kysely';
import type { Schema } from '../../db/schema.js';

export interface TableColumn {
  readonly name: string;
  /** `numeric`, `text`, `boolean`, `date`, `text[]` … */
  readonly type: string;
}

/** `table` is schema-qualified (`cms.pfs_rvu`); an unknown table has no columns. */
export async function tableColumns(db: Kysely<Schema>, table: string): Promise<TableColumn[]> {
  const { rows } = await sql<TableColumn>`
    select a.attname::text as name, format_type(a.atttypid, null) as type
    from pg_attribute a
    where a.attrelid = to_regclass(${table}) and a.attnum > 0 and not a.attisdropped
    order by a.attnum`.execute(db);
  return rows;
}

/** The columns of several tables in one round trip (the change feed plans every dataset of a family). */
export async function tablesColumns(db: Kysely<Schema>, tables: readonly string[]): Promise<Map<string, TableColumn[]>> {
  const byTable = new Map<string, TableColumn[]>(tables.map((table) => [table, []]));
  if (tables.length === 0) return byTable;
  const { rows } = await sql<TableColumn & { table: string }>`
    select t.name as table, a.attname::text as name, format_type(a.atttypid, null) as type
    from unnest(${[...tables]}::text[]) as t(name)
    join pg_attribute a on a.attrelid = to_regclass(t.name) and a.attnum > 0 and not a.attisdropped
    order by t.name, a.attnum`.execute(db);
  for (const { table, name, type } of rows) byTable.get(table)!.push({ name, type });
  return byTable;
}
