/**
 * A PostgreSQL connection that drops while a query outside any transaction runs on it (a diff, a
 * price, a publish's read): the query fails with an error that says so, and the process goes on. pg emitted
 * the error a second time on the client, with no listener: an uncaught exception that ended the
 * process in the middle of whatever else it was doing.
 */
import net from 'node:net';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.js';
import { openPostgres } from '../../src/db/postgres.js';

describe.runIf(process.env.TEST_DATABASE_URL)('a PostgreSQL connection lost mid-query', () => {
  const sockets: net.Socket[] = [];
  let proxy: net.Server;
  let database: Database;
  beforeAll(async () => {
    const server = new URL(process.env.TEST_DATABASE_URL!);
    // a TCP proxy in front of the test server, whose connections the test cuts
    proxy = net.createServer((client) => {
      const upstream = net.connect(Number(server.port || 5432), server.hostname || '127.0.0.1');
      for (const socket of [client, upstream]) {
        socket.on('error', () => undefined);
        sockets.push(socket);
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const url = new URL(server);
    url.hostname = '127.0.0.1';
    url.port = String((proxy.address() as net.AddressInfo).port);
    database = await openPostgres(url.toString());
  });
  afterAll(async () => {
    await database.close().catch(() => undefined);
    await new Promise((resolve) => proxy.close(resolve));
  });

  it('fails the query with an error naming the lost connection; the next query gets a new one', async () => {
    const running = sql`select pg_sleep(5)`.execute(database.db);
    // once the query is on the server: cut every connection with a reset
    await expect.poll(async () => sockets.length, { timeout: 5_000 }).toBeGreaterThan(0);
    await new Promise((resolve) => setTimeout(resolve, 300));
    for (const socket of sockets.splice(0)) socket.resetAndDestroy();
    await expect(running).rejects.toThrow(/^lost the connection to PostgreSQL at postgres:\/\/postgres@127\.0\.0\.1:\d+\/\w+ during a query \((read ECONNRESET|Connection terminated unexpectedly)\)$/);
    const { rows } = await sql<{ one: number }>`select 1 as one`.execute(database.db);
    expect(rows).toEqual([{ one: 1 }]);
  });
});
