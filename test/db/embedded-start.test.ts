/**
 * The embedded database keeps the event loop alive while it starts (src/db/pglite.ts: otherwise
 * Node waits idle for PGlite's background WebAssembly compilation), and lets go of it when it is
 * closed, or when it fails to open: a command never lingers because of it.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { START_KEEP_ALIVE_MS, openEmbedded } from '../../src/db/pglite.js';
import { scratchDir } from '../support/fixtures.js';

/** The timers openEmbedded starts (its own, by their length) and whether each was cleared. */
function watchTimers(): { started: unknown[]; cleared: Set<unknown> } {
  const started: unknown[] = [];
  const cleared = new Set<unknown>();
  const realSet = globalThis.setTimeout;
  const realClear = globalThis.clearTimeout;
  vi.spyOn(globalThis, 'setTimeout').mockImplementation(((callback: () => void, ms?: number) => {
    const handle = realSet(callback, ms);
    if (ms === START_KEEP_ALIVE_MS) started.push(handle);
    return handle;
  }) as typeof setTimeout);
  vi.spyOn(globalThis, 'clearTimeout').mockImplementation(((handle: Parameters<typeof clearTimeout>[0]) => {
    cleared.add(handle);
    realClear(handle);
  }) as typeof clearTimeout);
  return { started, cleared };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('the embedded database start', () => {
  it('holds a bounded keep-alive timer while it starts, cleared when the database is closed', async () => {
    const home = await scratchDir();
    const timers = watchTimers();
    const database = await openEmbedded(home);
    try {
      expect(timers.started).toHaveLength(1);
      expect(timers.cleared.has(timers.started[0])).toBe(false);
      const { rows } = await sql<{ one: number }>`select 1 as one`.execute(database.db);
      expect(rows).toEqual([{ one: 1 }]);
    } finally {
      await database.close();
    }
    expect(timers.cleared.has(timers.started[0])).toBe(true);
  }, 60_000);

  it('clears it when the data directory cannot be opened', async () => {
    const home = path.join(await scratchDir(), 'broken');
    await mkdir(path.join(home, 'pgdata', 'global'), { recursive: true });
    await writeFile(path.join(home, 'pgdata', 'PG_VERSION'), '17\n');
    await writeFile(path.join(home, 'pgdata', 'global', 'pg_control'), Buffer.alloc(8192, 0x5a));
    const timers = watchTimers();
    const error = await openEmbedded(home).catch((caught: unknown) => caught);
    expect((error as Error).message).toContain(`the embedded database in ${path.join(home, 'pgdata')} cannot be opened`);
    expect(timers.started).toHaveLength(1);
    expect(timers.cleared.has(timers.started[0])).toBe(true);
  }, 60_000);
});
