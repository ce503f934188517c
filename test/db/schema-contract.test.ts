/**
 * The three places a table is described agree: the migrated database (migrations/, the source of
 * truth), the Kysely types (src/db/schema.ts), and each dataset's declaration in pipelines/
 * (its columns and key). Everything is enumerated, so a new dataset, table or migration is
 * covered without editing this file.
 */
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { families } from '../../pipelines/index.js';
import { backends } from '../support/db.js';
import { useFreshDatabase } from '../support/db.js';
import { declaredSchema, type DeclaredColumn, type ValueKind } from '../support/schema-types.js';

interface MigratedColumn {
  table: string;
  column: string;
  data_type: string;
  udt_name: string;
  is_nullable: 'YES' | 'NO';
  table_type: 'BASE TABLE' | 'VIEW';
}

/** What a value of a Postgres type arrives as through src/db (pg and PGlite alike). */
function kindOfPostgres(column: MigratedColumn): ValueKind {
  switch (column.data_type) {
    case 'text':
    case 'character varying':
    case 'numeric': // exact decimals as strings
    case 'bigint': // ids: strings, never rounded through a float
    case 'date': // ISO text (src/db sets the parser)
      return 'string';
    case 'integer':
    case 'smallint':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'timestamp with time zone':
      return 'Date';
    case 'jsonb':
    case 'json':
      return 'json';
    case 'ARRAY':
      return column.udt_name === '_text' ? 'string[]' : `other: ${column.udt_name}`;
    default:
      return `other: ${column.data_type}`;
  }
}

const declared = declaredSchema();

describe.each(backends)('declared columns match the migrated tables (%s)', (backend) => {
  const db = useFreshDatabase(backend);
  let migrated: Map<string, MigratedColumn[]>;
  let primaryKeys: Map<string, string[]>;

  beforeAll(async () => {
    const { rows } = await sql<MigratedColumn>`
      select c.table_schema || '.' || c.table_name as table, c.column_name as column, c.data_type, c.udt_name, c.is_nullable, t.table_type
      from information_schema.columns c
      join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
      where c.table_schema = 'cms' and c.table_name not like 'kysely_migration%'
      order by c.table_name, c.ordinal_position`.execute(db.database.db);
    migrated = new Map();
    for (const row of rows) migrated.set(row.table, [...(migrated.get(row.table) ?? []), row]);

    const keys = await sql<{ table: string; column: string }>`
      select k.table_schema || '.' || k.table_name as table, k.column_name as column
      from information_schema.table_constraints c
      join information_schema.key_column_usage k
        on k.constraint_schema = c.constraint_schema and k.constraint_name = c.constraint_name and k.table_name = c.table_name
      where c.table_schema = 'cms' and c.constraint_type = 'PRIMARY KEY'
      order by k.table_name, k.ordinal_position`.execute(db.database.db);
    primaryKeys = new Map();
    for (const row of keys.rows) primaryKeys.set(row.table, [...(primaryKeys.get(row.table) ?? []), row.column]);
  });

  it('finds the migrated tables and the declared types (the checks below are not vacuous)', () => {
    expect(migrated.get('cms.releases')?.length).toBeGreaterThan(5);
    expect(declared.get('cms.releases')?.get('archive_sha256')).toEqual({ kind: 'string', nullable: false });
    expect(declared.get('cms.pfs_rvu')?.get('work_rvu')).toEqual({ kind: 'string', nullable: true });
  });

  it('src/db/schema.ts names every table and view of schema cms (a dataset table may go untyped), and nothing else', () => {
    // A new family needs no edit in src/: its snapshot tables are checked against its declared
    // columns below, and typed in schema.ts only where TypeScript code queries them.
    const datasetTables = new Set(families.flatMap((family) => family.datasets.flatMap((d) => [`cms.${d.table}`, `cms.${d.table}_current`])));
    expect([...migrated.keys()].filter((table) => !declared.has(table) && !datasetTables.has(table))).toEqual([]);
    expect([...declared.keys()].filter((table) => !migrated.has(table))).toEqual([]);
  });

  it('each table has the columns schema.ts declares, with matching value kinds and NULL rules', () => {
    const mismatches: string[] = [];
    for (const [table, columns] of migrated) {
      const types = declared.get(table);
      if (!types) continue; // reported by the test above
      const names = columns.map((column) => column.column);
      for (const name of types.keys()) if (!names.includes(name)) mismatches.push(`${table}.${name}: in schema.ts, not in the database`);
      for (const column of columns) {
        const type: DeclaredColumn | undefined = types.get(column.column);
        if (!type) {
          mismatches.push(`${table}.${column.column}: in the database, not in schema.ts`);
          continue;
        }
        const kind = kindOfPostgres(column);
        if (type.kind !== kind) mismatches.push(`${table}.${column.column}: ${column.data_type} arrives as ${kind}, schema.ts says ${type.kind}`);
        // Postgres reports every view column as nullable; only tables state a NOT NULL rule.
        if (column.table_type === 'BASE TABLE' && type.nullable !== (column.is_nullable === 'YES')) {
          mismatches.push(`${table}.${column.column}: ${column.is_nullable === 'YES' ? 'nullable' : 'not null'} in the database, ${type.nullable ? 'nullable' : 'not null'} in schema.ts`);
        }
      }
    }
    expect(mismatches).toEqual([]);
  });

  const datasets = families.flatMap((family) => family.datasets.map((dataset) => ({ family: family.name, dataset })));

  it.each(datasets.map(({ family, dataset }) => [`${family}/${dataset.name}`, dataset] as const))(
    'dataset %s: the table holds release_id plus exactly the declared columns, keyed by release_id plus the declared key',
    (_name, dataset) => {
      const table = `cms.${dataset.table}`;
      const columns = migrated.get(table)?.map((column) => column.column);
      expect(columns, `${table} is not migrated`).toBeDefined();
      expect([...columns!].sort()).toEqual(['release_id', ...dataset.columns].sort());
      expect(primaryKeys.get(table)).toEqual(['release_id', ...dataset.key]);
      // and its `_current` view shows the same columns
      expect(migrated.get(`${table}_current`)?.map((column) => column.column)).toEqual(columns);
    },
  );
});
