/**
 * Databases for tests: PGlite always (restored from the migrated snapshot), PostgreSQL as well
 * when TEST_DATABASE_URL is set — each test file gets its own fresh Postgres database, a copy of
 * the migrated template global setup made. A configured server that is down fails the tests; it
 * is never skipped.
 */
import { readFile } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, inject } from 'vitest';
import type { Database } from '../../src/db/database.js';
import { pgliteDatabase } from '../../src/db/pglite.js';
import { openPostgres } from '../../src/db/postgres.js';
import { createScratchDatabase, dropScratchDatabase } from './postgres-scratch.js';

export { createScratchDatabase, dropScratchDatabase } from './postgres-scratch.js';

export type Backend = 'pglite' | 'postgres';

export const backends: Backend[] = process.env.TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];

export interface TestDatabase {
  database: Database;
  /** a connection string to this database (postgres only) */
  url: string | undefined;
  close(): Promise<void>;
}

export async function openTestDatabase(backend: Backend): Promise<TestDatabase> {
  if (backend === 'pglite') {
    const snapshot = await readFile(inject('pgliteSnapshot'));
    const pglite = await PGlite.create({ loadDataDir: new Blob([snapshot]) });
    const database = pgliteDatabase(pglite, 'memory://', () => pglite.close());
    return { database, url: undefined, close: () => database.close() };
  }
  const url = await createScratchDatabase('cms_ingest_test', inject('postgresTemplate'));
  const database = await openPostgres(url);
  return {
    database,
    url,
    async close() {
      await database.close();
      await dropScratchDatabase(url);
    },
  };
}

/**
 * Empty every table of schema cms (between tests that must not see each other's releases), and
 * set each of their identity sequences back to its start: what `truncate … restart identity` of
 * them all does. TRUNCATE gives each table it names new files and catalog rows, 0.5 s and more for
 * the ~40 tables on PostgreSQL, most of them already empty: only the tables holding rows get it.
 */
export async function resetDatabase(database: Database): Promise<void> {
  const { rows: tables } = await sql<{ name: string }>`
    select format('%I.%I', schemaname, tablename) as name from pg_tables
    where schemaname = 'cms' and tablename <> 'kysely_migration' and tablename <> 'kysely_migration_lock'`.execute(database.db);
  if (tables.length === 0) return;
  const holding = tables.map(({ name }) => `select '${name.replace(/'/g, "''")}' as name where exists (select from ${name})`).join(' union all ');
  const { rows: full } = await sql.raw<{ name: string }>(holding).execute(database.db);
  if (full.length > 0) await sql.raw(`truncate ${full.map((row) => row.name).join(', ')} cascade`).execute(database.db);
  await sql`
    select setval(s.seqrelid, s.seqstart, false) from pg_sequence s
    join pg_depend d on d.classid = 'pg_class'::regclass and d.objid = s.seqrelid and d.refclassid = 'pg_class'::regclass and d.deptype in ('a', 'i')
    join pg_class t on t.oid = d.refobjid join pg_namespace n on n.oid = t.relnamespace
    where n.nspname = 'cms' and t.relname <> 'kysely_migration' and t.relname <> 'kysely_migration_lock'`.execute(database.db);
}

/**
 * One database for the describe block that calls this (opened before its tests, closed after),
 * emptied before each test. Read `.database` / `.url` inside tests and hooks.
 */
export function useFreshDatabase(backend: Backend): { readonly database: Database; readonly url: string | undefined } {
  let test: TestDatabase | undefined;
  beforeAll(async () => {
    test = await openTestDatabase(backend);
  });
  afterAll(() => test?.close());
  beforeEach(() => resetDatabase(test!.database));
  return {
    get database() {
      return test!.database;
    },
    get url() {
      return test!.url;
    },
  };
}
