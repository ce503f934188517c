/**
 * Editorial tests share one database per test file and backend (a fresh PGlite costs seconds):
 * the releases a file needs are loaded once; the editorial tables are emptied before each test.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, expect } from 'vitest';
import type { Database } from '../../src/db/database.js';
import { InputError } from '../../src/errors.js';
import { importEditorial, importRelease } from '../../src/index.js';
import { openTestDatabase, type Backend, type TestDatabase } from '../support/db.js';
import { fixture, pfsZip } from '../support/fixtures.js';

export const HCPCS_2020 = fixture('hcpcs', '2020-Alpha-Numeric-HCPCS-File.zip');
export const HCPCS_2025 = fixture('hcpcs', 'october-2025-alpha-numeric-hcpcs-file.zip');
export { pfsZip };

export async function emptyEditorial(database: Database): Promise<void> {
  await sql`truncate cms.review_item, cms.editorial_entry, cms.editorial_version restart identity`.execute(database.db);
}

/** One database for the describe block, with `releases` loaded once; editorial tables emptied before each test. */
export function useEditorialDatabase(backend: Backend, releases: readonly string[]): { readonly database: Database } {
  let test: TestDatabase | undefined;
  beforeAll(async () => {
    test = await openTestDatabase(backend);
    for (const release of releases) await importRelease(test.database, release);
  });
  afterAll(() => test?.close());
  beforeEach(() => emptyEditorial(test!.database));
  return {
    get database() {
      return test!.database;
    },
  };
}

/** Row counts of the editorial tables: what "nothing written" is checked against. */
export async function editorialCounts(database: Database): Promise<{ entries: number; versions: number; items: number }> {
  const { rows } = await sql<{ entries: number; versions: number; items: number }>`
    select (select count(*)::int from cms.editorial_entry) as entries,
      (select count(*)::int from cms.editorial_version) as versions,
      (select count(*)::int from cms.review_item) as items`.execute(database.db);
  return rows[0]!;
}

/** The import must fail with an InputError at this place, and write nothing. */
export async function refusedImport(
  database: Database,
  paths: string[],
  where: Partial<InputError>,
  options: Parameters<typeof importEditorial>[2] = {},
): Promise<InputError> {
  const before = await editorialCounts(database);
  const error = await importEditorial(database, paths, options).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(InputError);
  expect(error).toMatchObject(where);
  expect(await editorialCounts(database)).toEqual(before);
  return error as InputError;
}
