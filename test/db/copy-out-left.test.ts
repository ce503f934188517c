/**
 * A COPY out that its reader leaves before the end because something failed (a write, SIGINT):
 * the transaction rolls back with that failure, at once, and the connection serves the next
 * statement. On PostgreSQL the COPY is cancelled and what the server still sends is dropped
 * (src/db/postgres.ts). Destroying the stream instead left the connection in COPY mode with its
 * socket paused: the rollback never ran and Node exited with code 13, no message.
 */
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { backends, useFreshDatabase } from '../support/db.js';

// ≈ 20 MB of COPY text: far more than one chunk, and than the socket buffers hold.
const BIG = `select g, repeat('x', 100) as filler from generate_series(1, 200000) g`;

/**
 * `work`, or a failure after 15 s. The defect this guards against left nothing for Node to wait
 * on: without a timer of its own the test's worker would drain and stop, and the run with it.
 */
async function within<T>(work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const stalled = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('the transaction never settled: the COPY left half read holds the connection')), 15_000);
  });
  try {
    return await Promise.race([work, stalled]);
  } finally {
    clearTimeout(timer);
  }
}

describe.each(backends)('a COPY out left half read on %s', (backend) => {
  const test = useFreshDatabase(backend);

  it('the transaction fails with the reader\'s own error, soon, and the connection goes on serving', async () => {
    const started = performance.now();
    const failure = await within(test.database
      .transaction(async (tx) => {
        let chunks = 0;
        for await (const chunk of tx.copyOut(BIG)) {
          expect(chunk.length).toBeGreaterThan(0);
          if (++chunks === 2) throw new Error('ENOSPC: no space left on device, write');
        }
      })
      .catch((error: unknown) => error));
    expect((failure as Error).message).toBe('ENOSPC: no space left on device, write');
    expect((await within(sql<{ one: number }>`select 1 as one`.execute(test.database.db))).rows).toEqual([{ one: 1 }]);
    // Cancelled, not read to its end.
    expect(performance.now() - started).toBeLessThan(20_000);
  });

  it('a COPY out asked for and never read sends nothing: the rollback runs', async () => {
    const failure = await within(test.database
      .transaction(async (tx) => {
        tx.copyOut(BIG);
        throw new Error('interrupted by SIGINT');
      })
      .catch((error: unknown) => error));
    expect((failure as Error).message).toBe('interrupted by SIGINT');
    expect((await within(sql<{ one: number }>`select 1 as one`.execute(test.database.db))).rows).toEqual([{ one: 1 }]);
  });
});
