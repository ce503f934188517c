/**
 * The embedded database after PostgreSQL panics (src/db/pglite-server-log.ts). On a full disk
 * PostgreSQL PANICs ("could not write to file pg_wal/xlogtemp…: No space left on device"), PGlite
 * prints `Aborted()`, and the next statement sent to that instance (the load's rollback) looped at
 * full CPU for ever: an import hung. Here a real PGlite gets PostgreSQL's PANIC line on its stderr
 * in the middle of a transaction, as it does on a full disk: nothing more may reach the instance,
 * the command fails naming the disk, no 'error' event goes unhandled, and nothing was committed.
 */
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { pgliteDatabase } from '../../src/db/pglite.js';
import { EmbeddedDatabaseStopped, ServerLog, openFailure } from '../../src/db/pglite-server-log.js';

const WAL_PANIC = '2026-12-02 20:48:41.380 UTC [42] PANIC:  could not write to file "pg_wal/xlogtemp.42": No space left on device';

describe('ServerLog', () => {
  it('keeps the first PANIC, and the last problem the server wrote, from its last 20 lines', () => {
    const log = new ServerLog();
    log.add('2026-12-02 20:45:42.465 UTC [42] LOG:  database system was not properly shut down; automatic recovery in progress');
    expect([log.panic, log.lastProblem()]).toEqual([undefined, undefined]);
    log.add('2026-12-02 20:45:42.882 UTC [42] ERROR:  could not write to file "base/pgsql_tmp/pgsql_tmp42.0": No space left on device');
    expect([log.panic, log.lastProblem()]).toEqual([undefined, 'could not write to file "base/pgsql_tmp/pgsql_tmp42.0": No space left on device']);
    log.add(WAL_PANIC);
    log.add('Aborted()');
    log.add('2026-12-02 20:48:41.384 UTC [42] PANIC:  cannot drop active portal ""');
    expect(log.panic).toBe('could not write to file "pg_wal/xlogtemp.42": No space left on device');
    expect(log.lastProblem()).toBe('cannot drop active portal ""');
    for (let line = 0; line < 20; line++) log.add(`LOG:  line ${line}`);
    expect(log.lastProblem()).toBeUndefined();
    expect(log.panic).toBe('could not write to file "pg_wal/xlogtemp.42": No space left on device');
  });

  it('an abort without a PANIC line is a stop too', () => {
    const log = new ServerLog();
    log.add('Aborted()');
    expect(log.panic).toBe('PostgreSQL aborted');
  });

  it('a start that fails on a full disk says so and does not advise moving the database aside', () => {
    const full = new ServerLog();
    full.add('2026-12-02 20:34:46.505 UTC [42] FATAL:  could not write to file "pg_wal/xlogtemp.42": No space left on device');
    const message = openFailure('/data/pgdata', new Error('PGlite failed to initialize properly'), full).message;
    expect(message).toBe(
      'the embedded database in /data/pgdata cannot be opened (PGlite failed to initialize properly: could not write to file ' +
        '"pg_wal/xlogtemp.42": No space left on device): the disk it is on is full. Free space there (PostgreSQL writes its log ' +
        'in segments of 16 MB) and run again; the database is not damaged',
    );
    const other = openFailure('/data/pgdata', new Error('PGlite failed to initialize properly'), new ServerLog()).message;
    expect(other).toBe(
      'the embedded database in /data/pgdata cannot be opened (PGlite failed to initialize properly); if it is damaged, move it aside ' +
        '(mv "/data/pgdata" "/data/pgdata.broken") and the next run starts a fresh, empty database',
    );
  });
});

describe('a PGlite whose PostgreSQL panicked', () => {
  let instance: PGlite;
  beforeAll(async () => {
    instance = await PGlite.create();
    await instance.exec('create table loaded (id int primary key)');
  });
  afterAll(() => instance.close());

  it('gets nothing more: the transaction fails naming the full disk, nothing is committed, no error goes unhandled', async () => {
    const log = new ServerLog();
    const onClose = vi.fn(async () => undefined);
    const database = pgliteDatabase(instance, '/data/pgdata', onClose, { serverLog: log });
    const sent = vi.spyOn(instance, 'execProtocolStream');
    const direct = vi.spyOn(instance, 'query');
    let sentAtPanic = -1;
    const failure = await database
      .transaction(async (tx) => {
        await sql`insert into loaded values (1), (2)`.execute(tx.db);
        // What PostgreSQL writes when it cannot extend its WAL; the instance is dead from here on.
        log.add(WAL_PANIC);
        log.add('Aborted()');
        sentAtPanic = sent.mock.calls.length;
        await sql`insert into loaded values (3)`.execute(tx.db);
      })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(EmbeddedDatabaseStopped);
    expect((failure as Error).message).toBe(
      'the embedded database in /data/pgdata stopped (PostgreSQL PANIC: could not write to file "pg_wal/xlogtemp.42": No space left on ' +
        'device); nothing of this command was committed, and PostgreSQL recovers the database from its log when it next opens. The disk ' +
        'it is on is full: free space there (PostgreSQL writes its log in segments of 16 MB) and run again',
    );
    // Neither the statement after the PANIC nor the rollback reached PostgreSQL.
    expect(sentAtPanic).toBeGreaterThan(0);
    expect(sent.mock.calls.length).toBe(sentAtPanic);
    // Statements outside a transaction (with parameters: one refusal per protocol message), and
    // COPYs, are refused the same way.
    await expect(sql`select * from loaded where id = ${1}`.execute(database.db)).rejects.toBeInstanceOf(EmbeddedDatabaseStopped);
    await database.db.connection().execute(async (connection) => {
      await expect(sql`select * from loaded where id = ${2}`.execute(connection)).rejects.toBeInstanceOf(EmbeddedDatabaseStopped);
      // held while the refusals of the statement's other protocol messages arrive
      await new Promise((resolve) => setTimeout(resolve, 50));
    });
    await expect(database.transaction(async (tx) => tx.copyText('loaded', ['id'], (async function* () { yield '4\n'; })()))).rejects.toBeInstanceOf(EmbeddedDatabaseStopped);
    expect(sent.mock.calls.length).toBe(sentAtPanic);
    expect(direct).not.toHaveBeenCalled();
    await database.close();
    expect(onClose).toHaveBeenCalledOnce();
    // Nothing was committed: the instance still holds the open transaction, which a real PANIC loses.
    sent.mockRestore();
    direct.mockRestore();
    await instance.exec('rollback');
    expect((await instance.query<{ n: number }>('select count(*)::int as n from loaded')).rows).toEqual([{ n: 0 }]);
  });
});
