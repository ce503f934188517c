/**
 * The session settings every connection to PostgreSQL starts with (src/db/postgres.ts
 * sessionOptions): JIT off, the user's PGOPTIONS kept.
 */
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres, sessionOptions } from '../../src/db/postgres.js';
import { createScratchDatabase, dropScratchDatabase } from '../support/db.js';

describe('sessionOptions', () => {
  it('turns JIT off and keeps the user\'s PGOPTIONS after it, so that theirs win', () => {
    expect(sessionOptions(undefined)).toBe('-c jit=off');
    expect(sessionOptions('  ')).toBe('-c jit=off');
    expect(sessionOptions('-c statement_timeout=5min -c jit=on')).toBe('-c jit=off -c statement_timeout=5min -c jit=on');
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

  async function settings(): Promise<{ jit: string; statement_timeout: string }> {
    const database = await openPostgres(url);
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
});
