/**
 * The session settings every connection to PostgreSQL starts with (src/db/postgres.ts
 * sessionOptions, connection): JIT off, the user's own options (the URL's, else PGOPTIONS) kept.
 */
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connection, openPostgres, sessionOptions } from '../../src/db/postgres.js';
import { createScratchDatabase, dropScratchDatabase } from '../support/db.js';

describe('sessionOptions', () => {
  it('turns JIT off and keeps the user\'s PGOPTIONS after it, so that theirs win', () => {
    expect(sessionOptions(undefined)).toBe('-c jit=off');
    expect(sessionOptions('  ')).toBe('-c jit=off');
    expect(sessionOptions('-c statement_timeout=5min -c jit=on')).toBe('-c jit=off -c statement_timeout=5min -c jit=on');
  });

  it('takes a URL\'s own options out of it (node-postgres would let them replace ours) and keeps them after ours, over PGOPTIONS', () => {
    expect(connection('postgres://cms@db.example:5432/cms?sslmode=require&options=-c%20statement_timeout%3D5min', '-c work_mem=1GB')).toEqual({
      connectionString: 'postgres://cms@db.example:5432/cms?sslmode=require',
      options: '-c jit=off -c statement_timeout=5min',
    });
    expect(connection('postgresql://cms:p%40ss@db.example/cms?options=-c+jit%3Don')).toEqual({
      connectionString: 'postgresql://cms:p%40ss@db.example/cms',
      options: '-c jit=off -c jit=on',
    });
    // no options in the URL: the URL as given, PGOPTIONS after ours
    expect(connection('postgres://cms@db.example/cms?sslmode=require', '-c work_mem=1GB')).toEqual({
      connectionString: 'postgres://cms@db.example/cms?sslmode=require',
      options: '-c jit=off -c work_mem=1GB',
    });
    expect(connection('/var/run/postgresql', undefined)).toEqual({ connectionString: '/var/run/postgresql', options: '-c jit=off' });
  });
});

describe.runIf(process.env.TEST_DATABASE_URL)('sessions on PostgreSQL', () => {
  let url: string;
  const before = process.env.PGOPTIONS;
  beforeAll(async () => {
    url = await createScratchDatabase();
  });
  afterEach(() => {
    if (before === undefined) delete process.env.PGOPTIONS;
    else process.env.PGOPTIONS = before;
  });
  afterAll(async () => {
    await dropScratchDatabase(url);
  });

  async function settings(at: string = url): Promise<{ jit: string; statement_timeout: string }> {
    const database = await openPostgres(at);
    try {
      // inside a transaction and outside it: every connection of the pool starts the same
      const outside = await sql<{ jit: string; statement_timeout: string }>`select current_setting('jit') as jit, current_setting('statement_timeout') as statement_timeout`.execute(database.db);
      const inside = await database.transaction((tx) => sql<{ jit: string }>`select current_setting('jit') as jit`.execute(tx.db));
      expect(inside.rows[0]!.jit).toBe(outside.rows[0]!.jit);
      return outside.rows[0]!;
    } finally {
      await database.close();
    }
  }

  it('run without JIT, whatever the server\'s default', async () => {
    delete process.env.PGOPTIONS;
    expect((await settings()).jit).toBe('off');
  });

  it('keep the user\'s PGOPTIONS, and their own jit setting wins', async () => {
    process.env.PGOPTIONS = '-c statement_timeout=4321';
    expect(await settings()).toEqual({ jit: 'off', statement_timeout: '4321ms' });
    process.env.PGOPTIONS = '-c jit=on';
    expect((await settings()).jit).toBe('on');
  });

  it('keep a URL\'s own options, over PGOPTIONS, with JIT still off', async () => {
    process.env.PGOPTIONS = '-c statement_timeout=1111';
    const withOptions = new URL(url);
    withOptions.searchParams.set('options', '-c statement_timeout=2222');
    expect(await settings(withOptions.toString())).toEqual({ jit: 'off', statement_timeout: '2222ms' });
  });
});
