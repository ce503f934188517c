/**
 * The embedded database: PGlite (PostgreSQL compiled to WebAssembly) in `$CMS_INGEST_HOME`,
 * behind a lock file because PGlite itself has no cross-process locking. Bulk loads use
 * `COPY … FROM '/dev/blob'`, the only COPY PGlite supports.
 */
import path from 'node:path';
import v8 from 'node:v8';
import { PGlite } from '@electric-sql/pglite';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import pg from 'pg';
import { LockHeldError, UsageError } from '../errors.js';
import { makeDirectory } from '../make-directory.js';
import { EmbeddedDatabaseStopped, ServerLog, openFailure, refusingAfterPanic, type PgliteSession } from './pglite-server-log.js';
import type { Database } from './database.js';
import { controlFileDigest, embeddedDataDir } from './control-file.js';
import { acquireLockFile } from './lockfile.js';
import { copyOutSql, copySql, kyselyOverPool, quoteIdentifier, runTransaction, typeParsers, type CopyAdapter } from './pool.js';

export interface EmbeddedOptions {
  /**
   * How V8 compiles PGlite's PostgreSQL (9 MB of WebAssembly). `baseline` (the default): with its
   * baseline compiler (Liftoff) only. By default V8 also recompiles the functions that run hot
   * with its optimising compiler (TurboFan) in background threads, and Node waits for those
   * compilations before it exits: measured on this machine, `releases` took 0.48–0.65 s against
   * 0.66–0.89 s and half the CPU, `diff` of two PFS releases 1.2–1.6 s against 1.6–1.7 s, the demo
   * 5.0–5.4 s against 7.0 s. `optimizing`: for commands whose queries run for minutes, where
   * optimised code pays back its compilation (an export of one release's payments for every
   * locality: 142 s against 168 s baseline-only). It also sizes PostgreSQL's shared memory
   * (startParamsFor): small for `baseline`, initdb's for `optimizing`.
   */
  readonly wasm?: 'baseline' | 'optimizing';
}

/** What the system says when a folder cannot be made or written in (ENOENT: under /proc, say). */
const UNWRITABLE = new Set(['EACCES', 'EPERM', 'EROFS', 'ENOENT']);

/** A home the embedded database cannot be made or written in: a UsageError naming it and what to do, not `EACCES: …, open '/srv/cms/db.lock'`. */
function unusableHome(home: string, what: string, error: Error): UsageError {
  return new UsageError(
    `the home directory ${JSON.stringify(home)} (--home / CMS_INGEST_HOME) ${what} (${error.message}); ` +
      'give a directory this user can write: --home DIR or CMS_INGEST_HOME=DIR',
    { cause: error },
  );
}

export async function openEmbedded(home: string, options: EmbeddedOptions = {}): Promise<Database> {
  try {
    await makeDirectory(home);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' || code === 'ENOTDIR') {
      throw new UsageError(`the home directory ${JSON.stringify(home)} (--home / CMS_INGEST_HOME) is a file, or lies under one; give a directory`);
    }
    if (code !== undefined && UNWRITABLE.has(code)) throw unusableHome(home, 'cannot be created', error as Error);
    throw new Error(`cannot create the home directory ${JSON.stringify(home)} (--home / CMS_INGEST_HOME): ${(error as Error).message}`, { cause: error });
  }
  const lock = await acquireLockFile(path.join(home, 'db.lock'), `cms-ingest ${commandOf(process.argv.slice(2))}`.trim()).catch((error: unknown) => {
    // the lock file is the first thing written in the home: a read-only or another user's folder fails here
    const code = (error as NodeJS.ErrnoException).code;
    throw code !== undefined && UNWRITABLE.has(code) ? unusableHome(home, 'cannot be written', error as Error) : error;
  });
  try {
    const dataDir = embeddedDataDir(home);
    let pglite: PGlite;
    const serverLog = new ServerLog();
    try {
      // Read when PGlite compiles its module, inside create(); the flag is V8's, for the whole process.
      v8.setFlagsFromString(options.wasm === 'optimizing' ? '--no-liftoff-only' : '--liftoff-only');
      pglite = await PGlite.create({ dataDir, startParams: startParamsFor(options), onStderr: serverLog.add });
    } catch (error) {
      throw openFailure(dataDir, error, serverLog);
    }
    const afterCleanClose: ((controlDigest: string) => Promise<void>)[] = [];
    const database = pgliteDatabase(
      pglite,
      dataDir,
      async () => {
        try {
          // A panicked instance is not closed: anything sent to it may never return (pglite-server-log.ts).
          if (serverLog.panic !== undefined) return;
          await pglite.close();
          // Still holding the lock: no other process can have opened the database since the close.
          const digest = afterCleanClose.length > 0 ? await controlFileDigest(dataDir) : undefined;
          if (digest !== undefined) for (const work of afterCleanClose) await work(digest);
        } finally {
          await lock.release();
        }
      },
      { serverLog },
    );
    return { ...database, afterCleanClose: (work) => void afterCleanClose.push(work) };
  } catch (error) {
    await lock.release();
    throw error;
  }
}

/** Global options that take a value: what follows them is not the command. */
const VALUED_GLOBAL_OPTIONS = new Set(['--home', '--database-url']);

/**
 * The command a process runs (`sync`), for the lock file: what another process names when it
 * finds the database in use, whatever global options come first (`--home DIR sync`). The name
 * only, never an option value (a `--to` URL may carry a password) or a path.
 */
export function commandOf(argv: readonly string[]): string {
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index]!;
    if (VALUED_GLOBAL_OPTIONS.has(arg)) index++;
    else if (!arg.startsWith('-')) return arg;
  }
  return '';
}

export interface PgliteOptions {
  /** rows per COPY TO '/dev/blob' when reading a query out (tests make it small) */
  readonly copyOutPageRows?: number;
  /** PostgreSQL's stderr (the instance's onStderr): after a PANIC, nothing more is sent to it */
  readonly serverLog?: ServerLog;
}

/** A Database over an open PGlite (tests pass an in-memory one). `onClose` releases what the caller opened. */
export function pgliteDatabase(instance: PGlite, location: string, onClose: () => Promise<void>, options: PgliteOptions = {}): Database {
  const { serverLog } = options;
  const pglite = serverLog ? refusingAfterPanic(instance, serverLog, location) : instance;
  const pool = new pg.Pool(Object.assign(createPgConfig(pglite as PGlite), { types: typeParsers }) as unknown as pg.PoolConfig);
  // The bridge reports a refused statement (after a PANIC) once per protocol message: the query
  // running gets the first; the others would be unhandled 'error' events that end the process.
  pool.on('connect', (client) => client.on('error', () => undefined));
  pool.on('error', () => undefined);
  const db = kyselyOverPool(pool);
  // PGlite has one session: each COPY runs inside the transaction the bridge client opened.
  // '/dev/blob' is the only COPY it has: a whole Blob in, or a whole Blob out.
  const copy: CopyAdapter = {
    analyzeEveryColumn: true,
    out: (_client, query) => copyOutInPages(pglite, query, options.copyOutPageRows ?? COPY_OUT_PAGE_ROWS),
    async text(_client, table, columns, chunks) {
      // In Blobs of about 4 MiB, each cut after the last line feed of a chunk (in COPY text one
      // always ends a row): memory stays bounded however much text comes, and nothing is copied.
      const sql = copySql(table, columns, `'/dev/blob'`);
      let parts: Buffer[] = [];
      let size = 0;
      for await (const chunk of chunks) {
        const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
        parts.push(bytes);
        size += bytes.length;
        const cut = bytes.lastIndexOf(0x0a) + 1;
        if (size < 4 << 20 || cut === 0) continue;
        parts[parts.length - 1] = bytes.subarray(0, cut);
        await pglite.query(sql, [], { blob: new Blob(parts) });
        parts = cut < bytes.length ? [bytes.subarray(cut)] : [];
        size = bytes.length - cut;
      }
      if (size > 0) await pglite.query(sql, [], { blob: new Blob(parts) });
    },
  };
  const heldLocks = new Set<string>();
  return {
    kind: 'pglite',
    location,
    db,
    async transaction(work, options) {
      try {
        return await runTransaction(pool, copy, work, options);
      } catch (error) {
        // A PANIC inside: say that, not what the statement or the refused rollback said.
        if (serverLog?.panic !== undefined && !(error instanceof EmbeddedDatabaseStopped)) {
          throw new EmbeddedDatabaseStopped(location, serverLog.panic, { cause: error });
        }
        throw error;
      }
    },
    async withExclusiveLock(name, work) {
      // Other processes are kept out by the lock file; this keeps out a second run in this one.
      if (heldLocks.has(name)) throw new LockHeldError(`another cms-ingest ${name} is running in this process`);
      heldLocks.add(name);
      try {
        return await work();
      } finally {
        heldLocks.delete(name);
      }
    },
    async close() {
      await db.destroy();
      await onClose();
    },
  };
}

/**
 * 50,000 rows of the widest published table (pfs_payment as JSON arrays, ≈ 350 bytes a row) make
 * ≈ 18 MB of text per page.
 */
const COPY_OUT_PAGE_ROWS = 50_000;
let copyOutTables = 0;

/**
 * The rows of `query` as COPY text, a page of rows at a time. PGlite's COPY TO '/dev/blob' returns
 * a whole result as one Blob: the payments of one release for every locality (≈ 2 million rows)
 * came to more text than a JavaScript string can hold, after minutes and gigabytes. So the rows are
 * numbered, in the query's order, into a temporary table (dropped at the end of the transaction,
 * or at once when read to the end) and copied out by ranges of that number.
 */
async function* copyOutInPages(pglite: PgliteSession, query: string, pageRows: number): AsyncGenerator<Buffer> {
  const name = `cms_ingest_copy_out_${++copyOutTables}`;
  const table = `pg_temp.${name}`;
  await pglite.exec(
    `create temporary table ${name} on commit drop as ` +
      `select row_number() over () as cms_ingest_row, q.* from (${query}) q`,
  );
  const { rows } = await pglite.query<{ name: string }>(
    `select a.attname as name from pg_attribute a
     where a.attrelid = '${table}'::regclass and a.attnum > 1 and not a.attisdropped order by a.attnum`,
  );
  const columns = rows.map((row) => quoteIdentifier(row.name)).join(', ');
  const count = Number((await pglite.query<{ count: string }>(`select count(*)::text as count from ${table}`)).rows[0]!.count);
  if (count > pageRows) await pglite.exec(`create index on ${table} (cms_ingest_row)`);
  for (let first = 1; first <= count; first += pageRows) {
    const page = `select ${columns} from ${table} where cms_ingest_row between ${first} and ${first + pageRows - 1} order by cms_ingest_row`;
    const result = await pglite.query(copyOutSql(page, `'/dev/blob'`));
    if (result.blob) yield Buffer.from(await result.blob.arrayBuffer());
  }
  await pglite.exec(`drop table ${table}`);
}

/**
 * PostgreSQL's start inside WebAssembly sets up its shared memory, sized by initdb's 128 MB of
 * shared buffers and 100 connections; PGlite has one session. For the commands of a few seconds
 * (`baseline`), 16 MB and 5 cut ≈ 100 ms from every open (PGlite.create on this machine: 222–296
 * against 311–358 ms). Given on the command line, not written into the data directory's
 * postgresql.conf, so the directory stays as initdb made it.
 */
function startParamsFor(options: EmbeddedOptions): string[] {
  const params = [...PGlite.defaultStartParams];
  if (options.wasm !== 'optimizing') params.push('-c', 'shared_buffers=16MB', '-c', 'max_connections=5');
  return params;
}
