/**
 * The embedded database: PGlite (PostgreSQL compiled to WebAssembly) in `$CMS_INGEST_HOME`,
 * behind a lock file because PGlite itself has no cross-process locking. Bulk loads use
 * `COPY … FROM '/dev/blob'`, the only COPY PGlite supports.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import pg from 'pg';
import { LockHeldError, UsageError } from '../errors.js';
import type { Database } from './database.js';
import { acquireLockFile } from './lockfile.js';
import { copyChunks, copyOutSql, copySql, kyselyOverPool, runTransaction, typeParsers, type CopyAdapter } from './pool.js';

export async function openEmbedded(home: string): Promise<Database> {
  try {
    await mkdir(home, { recursive: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' || code === 'ENOTDIR') {
      throw new UsageError(`the home directory ${JSON.stringify(home)} (--home / CMS_INGEST_HOME) is a file, or lies under one; give a directory`);
    }
    throw new Error(`cannot create the home directory ${JSON.stringify(home)} (--home / CMS_INGEST_HOME): ${(error as Error).message}`, { cause: error });
  }
  const lock = await acquireLockFile(path.join(home, 'db.lock'), `cms-ingest ${process.argv.slice(2, 3).join(' ')}`.trim());
  try {
    const dataDir = path.join(home, 'pgdata');
    let pglite: PGlite;
    try {
      pglite = await PGlite.create(dataDir);
    } catch (error) {
      // PGlite's own message (often a bare WebAssembly abort) says neither where nor what to do
      throw new Error(
        `the embedded database in ${dataDir} cannot be opened (${(error as Error).message || String(error)}); if it is damaged, ` +
          `move it aside (mv ${JSON.stringify(dataDir)} ${JSON.stringify(`${dataDir}.broken`)}) and the next run starts a fresh, empty database`,
        { cause: error },
      );
    }
    return pgliteDatabase(pglite, dataDir, async () => {
      await pglite.close();
      await lock.release();
    });
  } catch (error) {
    await lock.release();
    throw error;
  }
}

/** A Database over an open PGlite (tests pass an in-memory one). `onClose` releases what the caller opened. */
export function pgliteDatabase(pglite: PGlite, location: string, onClose: () => Promise<void>): Database {
  const pool = new pg.Pool(Object.assign(createPgConfig(pglite), { types: typeParsers }) as unknown as pg.PoolConfig);
  const db = kyselyOverPool(pool);
  // PGlite has one session: each COPY runs inside the transaction the bridge client opened.
  // '/dev/blob' is the only COPY it has: a whole Blob in, or a whole Blob out.
  const copy: CopyAdapter = {
    analyzeEveryColumn: true,
    async rows(_client, table, columns, rows) {
      const counter = { rows: 0 };
      const sql = copySql(table, columns, `'/dev/blob'`);
      for await (const chunk of copyChunks(rows, 4 << 20, counter)) {
        await pglite.query(sql, [], { blob: new Blob([chunk]) });
      }
      return counter.rows;
    },
    async *out(_client, query) {
      const result = await pglite.query(copyOutSql(query, `'/dev/blob'`));
      if (result.blob) yield Buffer.from(await result.blob.arrayBuffer());
    },
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
    transaction: (work, options) => runTransaction(pool, copy, work, options),
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
