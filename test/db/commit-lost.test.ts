/**
 * A transaction whose connection is lost, said as it is: lost while COMMIT was in flight means
 * the server may have committed (it did here), not "nothing of it was committed"; and a
 * transaction on another connection that lost its own (a publish target's, inside the source's
 * snapshot) fails the outer one as an ordinary error: the outer connection rolls back and is
 * fine, and the message is not wrapped twice.
 */
import net from 'node:net';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.js';
import { TransactionConnectionLost } from '../../src/db/pool.js';
import { openPostgres } from '../../src/db/postgres.js';
import { createScratchDatabase, dropScratchDatabase } from '../support/postgres-scratch.js';

/** A simple-protocol Query message ('Q') whose text is COMMIT. */
const isCommit = (bytes: Buffer): boolean => bytes[0] === 0x51 && /^commit\b/i.test(bytes.subarray(5).toString('latin1'));

/**
 * A TCP proxy to `server` that, once armed, cuts the client's connection at its next COMMIT:
 * `before` drops it unsent; `after` sends it, lets the server answer, and drops the answer.
 */
interface CuttingProxy {
  url(): string;
  arm(mode: 'before' | 'after'): void;
  /** cut every connection now */
  cut(): void;
  close(): Promise<void>;
}

async function cuttingProxy(server: URL): Promise<CuttingProxy> {
  let armed: 'before' | 'after' | undefined;
  const open = new Set<net.Socket>();
  const proxy = net.createServer((client) => {
    const upstream = net.connect(Number(server.port || 5432), server.hostname || '127.0.0.1');
    open.add(client);
    client.on('close', () => open.delete(client));
    let cut = false;
    for (const socket of [client, upstream]) socket.on('error', () => undefined);
    client.on('data', (bytes) => {
      if (cut) return;
      if (armed && isCommit(bytes)) {
        const mode = armed;
        armed = undefined;
        cut = true;
        if (mode === 'before') {
          client.destroy();
          upstream.destroy();
          return;
        }
        upstream.write(bytes);
        // the server's answer to COMMIT (it has committed) is read and never passed on
        upstream.once('data', () => {
          client.destroy();
          upstream.destroy();
        });
        return;
      }
      upstream.write(bytes);
    });
    upstream.on('data', (bytes) => {
      if (!cut) client.write(bytes);
    });
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  return {
    url() {
      const url = new URL(server);
      url.hostname = '127.0.0.1';
      url.port = String((proxy.address() as net.AddressInfo).port);
      return url.toString();
    },
    arm(mode) {
      armed = mode;
    },
    cut() {
      for (const socket of open) socket.destroy();
    },
    close: () => new Promise((resolve) => proxy.close(() => resolve())),
  };
}

describe.runIf(process.env.TEST_DATABASE_URL)('a transaction whose connection is lost', () => {
  let scratch: string;
  let proxy: CuttingProxy | undefined;
  let direct: Database;
  let proxied: Database;
  beforeAll(async () => {
    scratch = await createScratchDatabase();
    proxy = await cuttingProxy(new URL(scratch));
    direct = await openPostgres(scratch);
    proxied = await openPostgres(proxy.url());
    await sql`create table probe (note text not null)`.execute(direct.db);
  });
  afterAll(async () => {
    await proxied?.close().catch(() => undefined);
    await direct?.close().catch(() => undefined);
    await proxy?.close();
    if (scratch) await dropScratchDatabase(scratch);
  });

  const notes = async () => (await sql<{ note: string }>`select note from probe order by note`.execute(direct.db)).rows.map((row) => row.note);

  it('says the server may have committed when COMMIT was sent and its answer lost (here it had)', async () => {
    proxy!.arm('after');
    const lost = proxied.transaction(async (tx) => {
      await sql`insert into probe values ('committed, answer lost')`.execute(tx.db);
    });
    await expect(lost).rejects.toThrow(TransactionConnectionLost);
    await expect(lost).rejects.toThrow(/^the database connection was lost while the transaction was committing \(.+\); the server may or may not have committed it/);
    await expect(lost).rejects.toMatchObject({ committing: true });
    expect(await notes()).toContain('committed, answer lost');
  });

  it('cannot tell when COMMIT never reached the server either, and says so (here it had not)', async () => {
    proxy!.arm('before');
    const lost = proxied.transaction(async (tx) => {
      await sql`insert into probe values ('never committed')`.execute(tx.db);
    });
    await expect(lost).rejects.toMatchObject({ committing: true, message: expect.stringContaining('may or may not have committed it') });
    expect(await notes()).not.toContain('never committed');
  });

  it('says nothing was committed when the connection went before COMMIT was sent', async () => {
    const lost = proxied.transaction(async (tx) => {
      await sql`insert into probe values ('lost mid-work')`.execute(tx.db);
      setTimeout(() => proxy!.cut(), 100);
      await sql`select pg_sleep(5)`.execute(tx.db);
    });
    await expect(lost).rejects.toThrow(/^the database connection was lost during the transaction \(.+\); nothing of it was committed$/);
    await expect(lost).rejects.toMatchObject({ committing: false });
    expect(await notes()).not.toContain('lost mid-work');
  });

  it('rolls back an outer transaction whose inner one, on another connection, lost its own; the message is wrapped once', async () => {
    const outer = direct.transaction(async (tx) => {
      await sql`insert into probe values ('outer')`.execute(tx.db);
      await proxied.transaction(async (inner) => {
        await sql`insert into probe values ('inner')`.execute(inner.db);
        setTimeout(() => proxy!.cut(), 100);
        await sql`select pg_sleep(5)`.execute(inner.db);
      });
    });
    const error = await outer.catch((caught: Error) => caught);
    expect(error).toBeInstanceOf(TransactionConnectionLost);
    expect((error as Error).message.match(/connection was lost/g)).toHaveLength(1);
    expect(await notes()).not.toContain('outer');
    expect(await notes()).not.toContain('inner');
    // the outer connection was fine and went back to the pool
    await direct.transaction(async (tx) => {
      await sql`insert into probe values ('outer, again')`.execute(tx.db);
    });
    expect(await notes()).toContain('outer, again');
  });
});
