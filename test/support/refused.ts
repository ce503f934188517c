/**
 * An import that must fail: afterwards every table of schema cms holds what it held before
 * (nothing of the release is visible, whatever tables other stages add), and the attempt is
 * recorded in cms.import_runs as failed, with the error's own message.
 */
import { sql } from 'kysely';
import { expect } from 'vitest';
import type { Database } from '../../src/db/database.js';

async function tableCounts(database: Database): Promise<Record<string, number>> {
  const { rows: tables } = await sql<{ name: string }>`
    select format('%I.%I', schemaname, tablename) as name from pg_tables
    where schemaname = 'cms' and tablename not in ('import_runs', 'kysely_migration', 'kysely_migration_lock')
    order by 1`.execute(database.db);
  const counts: Record<string, number> = {};
  for (const { name } of tables) {
    counts[name] = Number((await sql<{ n: string }>`select count(*) as n from ${sql.raw(name)}`.execute(database.db)).rows[0]!.n);
  }
  return counts;
}

export async function expectImportRefused(database: Database, attempt: () => Promise<unknown>): Promise<Error> {
  const before = await tableCounts(database);
  const outcome = await attempt().then(
    (result) => ({ result }),
    (error: unknown) => ({ error }),
  );
  if (!('error' in outcome)) throw new Error(`the import was expected to fail; it returned ${JSON.stringify(outcome.result)}`);
  const error = outcome.error as Error;
  expect(error).toBeInstanceOf(Error);
  expect(await tableCounts(database)).toEqual(before);
  const last = await database.db.selectFrom('cms.import_runs').select(['outcome', 'error', 'release_id']).orderBy('id', 'desc').limit(1).execute();
  expect(last).toEqual([{ outcome: 'failed', error: error.message, release_id: null }]);
  return error;
}
