/** Connections to PostgreSQL keep TCP keepalive on: a server that goes silent is found out, not waited on for ever. */
import { readFile } from 'node:fs/promises';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.js';
import { openPostgres } from '../../src/db/postgres.js';
import { createScratchDatabase, dropScratchDatabase } from '../support/db.js';

/** The timer of the TCP connection from local `port` (Linux's /proc/net/tcp, `tr`: 2 is the keepalive timer). */
async function timerOf(port: number): Promise<string | undefined> {
  const local = `:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  const lines = [...(await readFile('/proc/net/tcp', 'utf8')).split('\n'), ...(await readFile('/proc/net/tcp6', 'utf8').catch(() => '')).split('\n')];
  const fields = lines.map((line) => line.trim().split(/\s+/)).find((parts) => parts[1]?.endsWith(local));
  return fields?.[5]?.split(':')[0];
}

describe.runIf(process.env.TEST_DATABASE_URL)('connections to PostgreSQL', () => {
  let url: string;
  let database: Database;
  beforeAll(async () => {
    url = await createScratchDatabase();
    // over TCP (a Unix socket has no keepalive): the scratch URL's host, or 127.0.0.1
    const tcp = new URL(url);
    if (tcp.hostname === '' || tcp.hostname === 'localhost') tcp.hostname = '127.0.0.1';
    database = await openPostgres(tcp.toString());
  });
  afterAll(async () => {
    await database.close();
    await dropScratchDatabase(url);
  });

  it('probe a silent server: the keepalive timer runs on an idle connection', async () => {
    const { rows } = await sql<{ port: number }>`select inet_client_port() as port`.execute(database.db);
    const port = rows[0]!.port;
    expect(port).toBeGreaterThan(0);
    expect(await timerOf(port)).toBe('02');
  });
});
