/** A real PostgreSQL server through `pg`; bulk loads through pg-copy-streams (`COPY … FROM STDIN`). */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { LockHeldError, UsageError, errorMessage, redactUrl } from '../errors.js';
import type { Database } from './database.js';
import { registerConnectionSecrets } from './redact.js';
import { advisoryKey, isConnectionLoss, copyOutSql, copySql, kyselyOverPool, runTransaction, typeParsers, type CopyAdapter } from './pool.js';

const postgresCopy: CopyAdapter = {
  analyzeEveryColumn: false,
  // A sample of 3,000 rows instead of 30,000: the row count and the key columns' statistics a fresh
  // release needs, at a sixth of the server's time; autovacuum's full ANALYZE refines them soon after.
  analyzeStatisticsTarget: 10,
  out(client, query) {
    return cancelledWhenLeft(client, () => client.query(copyTo(copyOutSql(query, 'STDOUT'))));
  },
  async text(client, table, columns, chunks) {
    await pipeline(Readable.from(chunks), client.query(copyFrom(copySql(table, columns, 'STDIN'))));
  },
};

/**
 * A COPY TO's chunks. When the reader stops before the end (a write that failed, SIGINT), the
 * COPY is cancelled and what the server still sends is read and dropped, so the connection is
 * ready for the rollback. Leaving the stream instead (destroying it) left the connection in COPY
 * mode with its socket paused: the rollback never ran, and Node exited with code 13 and no
 * message (an export to a full disk, 2026-12-02). The COPY is sent when the first chunk is asked
 * for: a reader that never asks (stopped before it began) leaves nothing running.
 */
async function* cancelledWhenLeft(client: pg.PoolClient, start: () => AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  const chunks = start()[Symbol.asyncIterator]();
  let settled = false;
  try {
    for (;;) {
      let next: IteratorResult<Buffer>;
      try {
        next = await chunks.next();
      } catch (error) {
        settled = true;
        throw error;
      }
      if (next.done) {
        settled = true;
        return;
      }
      yield next.value;
    }
  } finally {
    if (!settled) await cancelAndDrain(client, chunks);
  }
}

interface CancelConnection {
  connect(port: number | string, host?: string): void;
  cancel(processID: number, secretKey: number): void;
  on(event: 'connect' | 'error', listener: (error?: Error) => void): void;
  readonly stream: { destroy(): void };
}

async function cancelAndDrain(client: pg.PoolClient, chunks: AsyncIterator<Buffer>): Promise<void> {
  // A cancel request goes on a connection of its own to the same server, naming the backend by
  // its process id and secret key (what pg's Client.cancel does, without its deprecated getter).
  const { host, port, processID, secretKey } = client as unknown as { host: string; port: number; processID: number; secretKey: number };
  const connection = new (pg as unknown as { Connection: new () => CancelConnection }).Connection();
  connection.on('error', () => undefined); // the COPY then runs to its end, and is read to it
  connection.on('connect', () => connection.cancel(processID, secretKey));
  if (host.startsWith('/')) connection.connect(`${host}/.s.PGSQL.${port}`);
  else connection.connect(port, host);
  try {
    while (!(await chunks.next()).done);
  } catch {
    // "canceling statement due to user request": the end of the COPY we asked for
  } finally {
    // A cancel not yet sent (the COPY ended on its own first) must not reach the next statement.
    connection.stream.destroy();
  }
}

/**
 * Only what pg reads as a PostgreSQL connection: a postgres:// or postgresql:// URL (or a socket
 * path). Anything else (mysql://, a libpq keyword/value string, which pg would take for a host
 * named "base") is a UsageError naming --database-url / DATABASE_URL, its password redacted.
 */
export function checkDatabaseUrl(url: string): void {
  const shown = JSON.stringify(redactUrl(url));
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url.trim())?.[1]?.toLowerCase();
  if (scheme === 'postgres' || scheme === 'postgresql' || scheme === 'socket' || url.trim().startsWith('/')) {
    try {
      if (scheme !== undefined && scheme !== 'socket') new URL(url);
      return;
    } catch {
      throw new UsageError(`--database-url / DATABASE_URL ${shown} is not a readable URL; expected a postgres:// or postgresql:// URL such as postgres://cms@db.example:5432/cms (percent-encode special characters)`);
    }
  }
  const what = scheme !== undefined ? `a ${scheme}: URL, not PostgreSQL` : /\w+\s*=/.test(url) ? 'a keyword/value string, which this tool does not read' : 'not a PostgreSQL URL';
  throw new UsageError(`--database-url / DATABASE_URL ${shown} is ${what}; expected a postgres:// or postgresql:// URL such as postgres://cms@db.example:5432/cms`);
}

/**
 * The settings of every session this tool opens, sent in the startup packet (no round trip).
 *
 * JIT off: PostgreSQL compiles a statement's expressions with LLVM once the planner's estimate
 * passes `jit_above_cost`, and inlines and optimises them past `jit_optimize_above_cost`. For
 * these statements (a few tens of thousands of rows, numeric arithmetic) the compiling costs
 * far more than it saves, and the estimates grow with every release kept: with RVU24B and
 * RVU25D loaded, the payment formula for one locality took 1.2 s, 1.0 s of it compiling, against
 * 0.14 s without (`cms-ingest price --all`, a publish's payments).
 *
 * The user's own options are kept, after ours, so a `-c jit=on` there wins: the URL's `options`
 * parameter, else PGOPTIONS (libpq's order). node-postgres would let a URL's `options` replace
 * ours, so `connection` takes it out of the URL and hands it back here.
 */
export function sessionOptions(userOptions: string | undefined): string {
  return ['-c jit=off', userOptions?.trim()].filter(Boolean).join(' ');
}

/** The connection string without its `options` parameter, and the session options with it (sessionOptions). */
export function connection(url: string, environment: string | undefined = process.env.PGOPTIONS): { connectionString: string; options: string } {
  if (/^postgres(ql)?:\/\//i.test(url.trim())) {
    const parsed = new URL(url.trim());
    const own = parsed.searchParams.get('options');
    if (own !== null) {
      parsed.searchParams.delete('options');
      return { connectionString: parsed.toString(), options: sessionOptions(own) };
    }
  }
  return { connectionString: url, options: sessionOptions(environment) };
}

export async function openPostgres(url: string): Promise<Database> {
  registerConnectionSecrets(url);
  checkDatabaseUrl(url);
  const location = redactUrl(url);
  const pool = new pg.Pool({
    ...connection(url),
    max: 4,
    types: typeParsers,
    application_name: 'cms-ingest',
    connectionTimeoutMillis: 15_000,
    // A server that goes silent (a network partition, a host gone) while we wait for its answer
    // sends nothing, so without keepalive probes the wait never ends: a publish or an import
    // hung for ever. Probes start after 30 s of silence; the OS's interval and count end it
    // (Linux: 9 probes 75 s apart).
    keepAlive: true,
    keepAliveInitialDelayMillis: 30_000,
  });
  // An idle client losing its server must not crash the process; the next query reports it.
  pool.on('error', () => undefined);
  // Nor a client in use (an autocommit query, when its connection drops or its keepalive probes
  // go unanswered): pg fails the query with the error, then emits it, with no listener, as an
  // uncaught exception. The query's own failure is what the command reports.
  pool.on('connect', (client) => client.on('error', () => undefined));
  try {
    const client = await pool.connect();
    client.release();
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw new Error(`cannot connect to PostgreSQL at ${location}: ${errorMessage(error)}`);
  }
  const db = kyselyOverPool(explainingConnectionLoss(pool, location));
  return {
    kind: 'postgres',
    location,
    db,
    transaction: (work, options) => runTransaction(pool, postgresCopy, work, options),
    async withExclusiveLock(name, work) {
      // A session-level advisory lock, held on a dedicated connection for the whole run: it
      // excludes every other process, on any machine, that uses this database.
      const client = await pool.connect();
      const key = advisoryKey(name);
      try {
        const { rows } = await client.query<{ locked: boolean }>('select pg_try_advisory_lock($1::bigint) as locked', [key]);
        if (!rows[0]?.locked) {
          const holder = await lockHolder(client, key);
          const which = holder ? `: ${holder} holds its advisory lock ${key}` : ` (advisory lock ${key})`;
          throw new LockHeldError(`another cms-ingest ${name} is running against ${location}${which}`);
        }
        try {
          return await work();
        } finally {
          await client.query('select pg_advisory_unlock($1::bigint)', [key]).catch(() => undefined);
        }
      } finally {
        client.release();
      }
    },
    async close() {
      await db.destroy();
    },
  };
}

/**
 * `PostgreSQL backend 4242 (user cms, application "cms-ingest", from 10.0.0.7, connected since
 * 2026-12-02T06:00:01Z)`: who holds the session advisory lock `key` in this database, as far as
 * pg_stat_activity shows it to this role (another role's sessions: pid, user and application
 * only). Undefined when nobody does any more (released meanwhile) or the lookup fails.
 */
async function lockHolder(client: pg.PoolClient, key: string): Promise<string | undefined> {
  try {
    // A bigint key is classid (its high 32 bits) and objid (its low 32), objsubid 1 (PostgreSQL's pg_locks documentation).
    const { rows } = await client.query<{ pid: number; usename: string | null; application_name: string | null; client: string | null; since: string | null }>(
      `select l.pid, a.usename, a.application_name, case when a.client_addr is not null then host(a.client_addr) when a.backend_start is not null then 'a local socket' end as client,
              to_char(a.backend_start at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as since
         from pg_locks l left join pg_stat_activity a on a.pid = l.pid
        where l.locktype = 'advisory' and l.granted and l.objsubid = 1 and l.pid is not null
          and l.database = (select oid from pg_database where datname = current_database())
          and ((l.classid::bigint << 32) | l.objid::bigint) = $1::bigint
        limit 1`,
      [key],
    );
    const holder = rows[0];
    if (holder === undefined) return undefined;
    const about = [
      holder.usename && `user ${holder.usename}`,
      holder.application_name && `application ${JSON.stringify(holder.application_name)}`,
      holder.client && `from ${holder.client}`,
      holder.since && `connected since ${holder.since}`,
    ].filter(Boolean);
    return `PostgreSQL backend ${holder.pid}${about.length > 0 ? ` (${about.join(', ')})` : ''}`;
  } catch {
    return undefined;
  }
}

/**
 * The pool as Kysely's queries outside a transaction see it: a query that fails because its
 * connection was lost says so, and where, instead of a bare "read ECONNRESET".
 */
function explainingConnectionLoss(pool: pg.Pool, location: string): pg.Pool {
  const explained = (error: unknown) =>
    isConnectionLoss(error)
      ? new Error(`lost the connection to PostgreSQL at ${location} during a query (${(error as Error).message})`, { cause: error })
      : error;
  const borrowed = {
    async connect() {
      const client = await pool.connect();
      return {
        query: (...args: Parameters<pg.PoolClient['query']>) => {
          const result = (client.query as (...a: unknown[]) => unknown)(...args);
          return result instanceof Promise
            ? result.catch((error: unknown) => {
                throw explained(error);
              })
            : result;
        },
        release: (destroy?: boolean | Error) => client.release(destroy),
      };
    },
    end: () => pool.end(),
  };
  return borrowed as unknown as pg.Pool;
}
