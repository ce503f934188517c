/**
 * Once per test run:
 * - the build the CLI runs (dist/, so that a test spawning bin/cms-ingest.js never runs a stale
 *   one);
 * - one run-wide scratch folder (first removing those dead runs left: run-folder.ts). Every
 *   temporary file of the run goes under it: `scratchDir()`
 *   folders, the test sites, the CLI's child processes and anything else that asks the OS for a
 *   temporary directory (TMPDIR is pointed at it before the workers start), so nothing can
 *   outlive the run in the real temporary directory. Teardown fails the run if a test file left
 *   anything in it (each file must clean up after itself, so a run's disk use stays bounded),
 *   then removes it whatever happened;
 * - a migrated PGlite data directory, dumped to a tarball that every test file restores (much
 *   cheaper than creating and migrating a fresh database per file);
 * - with TEST_DATABASE_URL, a migrated template database on that server: a test file's scratch
 *   database is a copy of it (CREATE DATABASE … TEMPLATE), not migrated again. Dropped at teardown.
 */
import './wasm-setup.js';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { pgliteDatabase } from '../../src/db/pglite.js';
import { migrate } from '../../src/db/migrate.js';
import { openPostgres } from '../../src/db/postgres.js';
import { createScratchDatabase, dropDatabases, dropScratchDatabase, keptDatabasePrefix } from './postgres-scratch.js';
import { makeRunFolder, recordedDatabases, removeStaleRunFolders } from './run-folder.js';
import { SNAPSHOT_NAME, allowedAtEnd } from './scratch.js';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteSnapshot: string;
    /** the migrated template database on TEST_DATABASE_URL's server ('' without one) */
    postgresTemplate: string;
    /** whether a worker runs file after file in one module cache (test/support/db.ts keeps a PGlite between them) */
    reusePglite: boolean;
    /** this run's id: the names of the PostgreSQL scratch databases workers keep between files carry it */
    runId: string;
  }
}

/** dist/, built by the build script in a child process (its errors on this run's stderr). */
async function build(): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, [fileURLToPath(new URL('../../scripts/build.mjs', import.meta.url)), '--quiet'], { stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('error', reject);
    child.on('close', (code, signal) => (code === 0 ? resolve() : reject(new Error(`the build (scripts/build.mjs) failed: ${code ?? signal}`))));
  });
}

/** The PGlite snapshot: a migrated data directory, dumped to `file`. */
async function makePgliteSnapshot(file: string): Promise<void> {
  const pglite = await PGlite.create();
  const database = pgliteDatabase(pglite, 'memory://', async () => undefined);
  await migrate(database.db);
  await database.close();
  const dump = await pglite.dumpDataDir('none');
  await writeFile(file, Buffer.from(await dump.arrayBuffer()));
  await pglite.close();
}

/** The scratch databases this run's workers kept between test files (test/support/db.ts). */
async function dropKeptDatabases(runId: string): Promise<void> {
  const client = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string }>(`select datname as name from pg_database where starts_with(datname, $1)`, [keptDatabasePrefix(runId)]);
    await dropDatabases(rows.map((row) => row.name));
  } finally {
    await client.end();
  }
}

/** A migrated database on TEST_DATABASE_URL's server, closed (a template must have no connections). */
async function makePostgresTemplate(): Promise<string> {
  const url = await createScratchDatabase('cms_ingest_template');
  const database = await openPostgres(url);
  try {
    await migrate(database.db);
  } finally {
    await database.close();
  }
  return url;
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const systemTmp = tmpdir();
  // a run that never reached its teardown (killed, or under Stryker's runner) left its folder,
  // and its scratch databases on the server
  await removeStaleRunFolders(systemTmp, Date.now(), process.env.TEST_DATABASE_URL ? dropDatabases : undefined);
  const runFolder = await makeRunFolder(systemTmp);
  // Workers and their child processes inherit this, so os.tmpdir() is the run folder everywhere.
  process.env.TMPDIR = runFolder;

  const snapshot = path.join(runFolder, SNAPSHOT_NAME);
  // the three are independent: esbuild builds and the server migrates its template while PGlite
  // migrates in here
  const made = await Promise.allSettled([build(), makePgliteSnapshot(snapshot), process.env.TEST_DATABASE_URL ? makePostgresTemplate() : undefined]);
  const failed = made.find((result) => result.status === 'rejected');
  const template = made[2].status === 'fulfilled' ? made[2].value : undefined;
  if (failed) {
    // nothing of a run that never starts is left behind
    if (template) await dropScratchDatabase(template);
    await rm(runFolder, { recursive: true, force: true });
    process.env.TMPDIR = systemTmp;
    throw failed.reason;
  }
  project.provide('pgliteSnapshot', snapshot);
  project.provide('postgresTemplate', template ? new URL(template).pathname.slice(1) : '');
  project.provide('reusePglite', !project.config.isolate);
  const runId = randomBytes(4).toString('hex');
  project.provide('runId', runId);
  if (!process.env.TEST_DATABASE_URL) {
    console.warn('TEST_DATABASE_URL is not set: tests run on PGlite only (CI sets it to test PostgreSQL too).');
  }
  return async () => {
    if (template) {
      await dropKeptDatabases(runId);
      await dropScratchDatabase(template);
    }
    // a scratch database a test file made and did not drop
    const databasesLeft = await recordedDatabases(runFolder);
    if (databasesLeft.length > 0) await dropDatabases(databasesLeft);
    const left = [...(await readdir(runFolder)).filter((name) => !allowedAtEnd(name)), ...databasesLeft.map((name) => `database ${name}`)];
    await rm(runFolder, { recursive: true, force: true });
    process.env.TMPDIR = systemTmp;
    if (left.length > 0) {
      // a teardown error is only printed; the exit code is what CI and landing look at
      console.error(`test files left scratch data behind (removed now): ${left.join(', ')}`);
      process.exitCode = 1;
    }
  };
}
