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

/** Empty every table of schema cms (between tests that must not see each other's releases). */
export async function resetDatabase(database: Database): Promise<void> {
  const { rows } = await sql<{ name: string }>`
    select format('%I.%I', schemaname, tablename) as name from pg_tables
    where schemaname = 'cms' and tablename <> 'kysely_migration' and tablename <> 'kysely_migration_lock'`.execute(database.db);
  if (rows.length === 0) return;
  await sql.raw(`truncate ${rows.map((row) => row.name).join(', ')} restart identity cascade`).execute(database.db);
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
