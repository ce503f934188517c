/**
 * The embedded database starts with small shared memory for the commands of a few seconds, and
 * with initdb's for the long ones (src/db/pglite.ts, startParamsFor), given on PostgreSQL's command
 * line: the data directory's postgresql.conf stays as initdb wrote it.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEmbedded, type EmbeddedOptions } from '../../src/db/pglite.js';

let home: string;
beforeAll(async () => {
  home = await mkdtemp(path.join(tmpdir(), 'cms-ingest-embedded-'));
});
afterAll(async () => {
  v8.setFlagsFromString('--liftoff-only'); // as test/support/wasm-setup.ts left it for the files after this one
  await rm(home, { recursive: true, force: true });
});

async function settingsOf(options: EmbeddedOptions): Promise<Record<string, string>> {
  const database = await openEmbedded(home, options);
  try {
    const { rows } = await sql<Record<string, string>>`
      select current_setting('shared_buffers') as shared_buffers, current_setting('max_connections') as max_connections,
             current_setting('TimeZone') as timezone, current_setting('DateStyle') as datestyle`.execute(database.db);
    return rows[0]!;
  } finally {
    await database.close();
  }
}

describe('the embedded database’s start', () => {
  it('opens with 16 MB of shared buffers by default and initdb’s 128 MB for long commands, leaving postgresql.conf alone', async () => {
    expect(await settingsOf({})).toEqual({ shared_buffers: '16MB', max_connections: '5', timezone: 'UTC', datestyle: 'ISO, MDY' });
    const conf = await readFile(path.join(home, 'pgdata', 'postgresql.conf'), 'utf8');
    expect(conf).toMatch(/^shared_buffers = 128MB/m);
    expect(conf).toMatch(/^max_connections = 100/m);
    expect(await settingsOf({ wasm: 'optimizing' })).toEqual({ shared_buffers: '128MB', max_connections: '100', timezone: 'UTC', datestyle: 'ISO, MDY' });
    expect(await readFile(path.join(home, 'pgdata', 'postgresql.conf'), 'utf8')).toBe(conf);
  });
});
