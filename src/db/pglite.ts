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
import { LockHeldError } from '../errors.js';
import type { Database } from './database.js';
import { acquireLockFile } from './lockfile.js';
import { copyChunks, copySql, kyselyOverPool, runTransaction, typeParsers, type CopyIntoClient } from './pool.js';

export async function openEmbedded(home: string): Promise<Database> {
  await mkdir(home, { recursive: true });
  const lock = await acquireLockFile(path.join(home, 'db.lock'), `cms-ingest ${process.argv.slice(2, 3).join(' ')}`.trim());
  try {
    const dataDir = path.join(home, 'pgdata');
    const pglite = await PGlite.create(dataDir);
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
  const copy: CopyIntoClient = async (_client, table, columns, rows) => {
    // PGlite has one session: this runs inside the transaction the bridge client opened.
    const counter = { rows: 0 };
    const sql = copySql(table, columns, `'/dev/blob'`);
    for await (const chunk of copyChunks(rows, 4 << 20, counter)) {
      await pglite.query(sql, [], { blob: new Blob([chunk]) });
    }
    return counter.rows;
  };
  const heldLocks = new Set<string>();
  return {
    kind: 'pglite',
    location,
    db,
    transaction: (work) => runTransaction(pool, copy, work),
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
