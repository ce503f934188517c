/**
 * The database a test file closes (PGlite, or a PostgreSQL scratch database) is kept for the next
 * file of its worker (test/support/db.ts) only when it is again exactly what the snapshot or the
 * template gives: these check that a file never sees what an earlier one left.
 */
import { sql } from 'kysely';
import { describe, expect, test } from 'vitest';
import type { Database } from '../../src/db/database.js';
import { backends, openTestDatabase } from './db.js';

/** What a test could notice of an earlier file: the migrations' rows, releases, the next identity value. */
async function seen(database: Database) {
  const rows = async (table: string) => (await sql.raw<Record<string, unknown>>(`select * from ${table} order by 1, 2`).execute(database.db)).rows;
  return {
    categories: await rows('cms.code_category'),
    statuses: await rows('cms.pfs_status'),
    scheduleStatuses: await rows('cms.code_schedule_status'),
    releases: await rows('cms.releases'),
    tables: (await sql<{ name: string }>`select tablename as name from pg_tables where schemaname = 'cms' order by 1`.execute(database.db)).rows.map((row) => row.name),
  };
}

describe.each(backends)('%s databases kept between test files', (backend) => {
  test('the next database opened holds what the snapshot holds, whatever the last one did to its rows', async () => {
    const first = await openTestDatabase(backend);
    const pristine = await seen(first.database);
    expect(pristine.categories.length).toBeGreaterThan(0);
    expect(pristine.scheduleStatuses.length).toBeGreaterThan(0);
    expect(pristine.releases).toEqual([]);
    await sql`delete from cms.code_category`.execute(first.database.db);
    await sql`update cms.pfs_status set meaning = 'changed by a test'`.execute(first.database.db);
    await sql`set statement_timeout = 1234`.execute(first.database.db);
    await first.close();

    const second = await openTestDatabase(backend);
    try {
      expect(await seen(second.database)).toEqual(pristine);
      expect((await sql<{ timeout: string }>`select current_setting('statement_timeout') as timeout`.execute(second.database.db)).rows).toEqual([{ timeout: '0' }]);
    } finally {
      await second.close();
    }
  });

  test('a database whose schema a test changed is not kept', async () => {
    const first = await openTestDatabase(backend);
    const pristine = await seen(first.database);
    await sql`create table cms.left_by_a_test (id int)`.execute(first.database.db);
    await sql`alter table cms.pfs_status add column note text`.execute(first.database.db);
    await first.close();

    const second = await openTestDatabase(backend);
    try {
      expect(await seen(second.database)).toEqual(pristine);
      expect((await sql<{ n: string }>`select count(*) as n from information_schema.columns where table_schema = 'cms' and table_name = 'pfs_status' and column_name = 'note'`.execute(second.database.db)).rows).toEqual([{ n: '0' }]);
    } finally {
      await second.close();
    }
  });
});
