/** The columns of a snapshot table and their types, as the database has them. */
import { sql, type Kysely } from 'kysely';
import type { Schema } from '../../db/schema.js';

export interface TableColumn {
  readonly name: string;
  /** `numeric`, `text`, `boolean`, `date`, `ARRAY` … (information_schema's data_type) */
  readonly type: string;
}

export async function tableColumns(db: Kysely<Schema>, schema: string, table: string): Promise<TableColumn[]> {
  const { rows } = await sql<TableColumn>`
    select column_name::text as name, data_type::text as type
    from information_schema.columns
    where table_schema = ${schema} and table_name = ${table}
    order by ordinal_position`.execute(db);
  return rows;
}
