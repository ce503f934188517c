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
