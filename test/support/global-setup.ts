/**
 * Once per test run: the build the CLI runs (dist/, so that a test spawning bin/cms-ingest.js
 * never runs a stale one), and a migrated PGlite data directory, dumped to a tarball that every
 * test file restores (much cheaper than creating and migrating a fresh database per file).
 */
import { execFileSync } from 'node:child_process';
import { writeFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import type { TestProject } from 'vitest/node';
import { pgliteDatabase } from '../../src/db/pglite.js';
import { migrate } from '../../src/db/migrate.js';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteSnapshot: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  execFileSync(process.execPath, [fileURLToPath(new URL('../../scripts/build.mjs', import.meta.url)), '--quiet'], { stdio: ['ignore', 'ignore', 'inherit'] });
  const folder = await mkdtemp(path.join(tmpdir(), 'cms-ingest-test-'));
  const pglite = await PGlite.create();
  const database = pgliteDatabase(pglite, 'memory://', async () => undefined);
  await migrate(database.db);
  await database.close();
  const dump = await pglite.dumpDataDir('none');
  const snapshot = path.join(folder, 'migrated.tar');
  await writeFile(snapshot, Buffer.from(await dump.arrayBuffer()));
  await pglite.close();
  project.provide('pgliteSnapshot', snapshot);
  if (!process.env.TEST_DATABASE_URL) {
    console.warn('TEST_DATABASE_URL is not set: tests run on PGlite only (CI sets it to test PostgreSQL too).');
  }
  return async () => rm(folder, { recursive: true, force: true });
}
