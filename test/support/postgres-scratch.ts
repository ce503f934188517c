/**
 * Scratch databases on the TEST_DATABASE_URL server (no vitest import: global setup uses these
 * too, outside any test file).
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { forgetDatabase, recordDatabase } from './run-folder.js';

/** The prefix of the scratch databases this run's workers may keep between test files (test/support/db.ts). */
export const keptDatabasePrefix = (runId: string): string => `cms_ingest_kept_${runId}`;

/**
 * A new database on the TEST_DATABASE_URL server: empty, or a copy of `template` (the migrated
 * one global setup made: copying it is much cheaper than migrating).
 */
export async function createScratchDatabase(prefix = 'cms_ingest_test', template?: string): Promise<string> {
  const admin = process.env.TEST_DATABASE_URL;
  if (!admin) throw new Error('TEST_DATABASE_URL is not set');
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  try {
    // recorded first: a run killed now still has it dropped by the next run's global setup
    await recordDatabase(name);
    await client.query(template ? `create database ${name} template ${template}` : `create database ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function dropScratchDatabase(url: string): Promise<void> {
  await dropDatabases([new URL(url).pathname.slice(1)]);
}

/** Drop these databases on TEST_DATABASE_URL's server (those that exist), and forget them. */
export async function dropDatabases(names: readonly string[]): Promise<void> {
  const client = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
  await client.connect();
  try {
    for (const name of names) {
      await client.query(`drop database if exists ${pg.escapeIdentifier(name)} with (force)`);
      await forgetDatabase(name);
    }
  } finally {
    await client.end();
  }
}
