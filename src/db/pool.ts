/**
 * What both backends share: a node-postgres pool (real, or PGlite's bridge), transactions on one
 * pooled client, and a Kysely bound to that client for queries inside the transaction.
 */
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Transaction, TransactionOptions } from './database.js';
import type { Schema } from './schema.js';

/** Dates stay ISO text (`2025-10-01`) instead of becoming local-time JS Dates; numeric and int8 stay strings. */
const DATE_OID = 1082;
export const typeParsers = {
  getTypeParser: ((oid: number, format?: string) =>
    oid === DATE_OID ? (value: string) => value : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

export function kyselyOverPool(pool: pg.Pool): Kysely<Schema> {
  return new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) });
}

/** A Kysely whose every query runs on one already-checked-out client (inside its transaction). */
export function kyselyOverClient(client: pg.PoolClient): Kysely<Schema> {
  const borrowed = {
    connect: async () => ({ query: client.query.bind(client), release: () => undefined }),
    end: async () => undefined,
  };
  return new Kysely<Schema>({ dialect: new PostgresDialect({ pool: borrowed as unknown as pg.Pool }) });
}

/** How a backend moves COPY text in and out on the transaction's client, and analyses what it loaded. */
export interface CopyAdapter {
  /** every column (true), or only the ones asked for (see Transaction.analyze) */
  analyzeEveryColumn: boolean;
  /** the sample a load's ANALYZE takes (`default_statistics_target`), when not the server's own */
  analyzeStatisticsTarget?: number;
  out(client: pg.PoolClient, query: string): AsyncIterable<Buffer>;
  text(client: pg.PoolClient, table: string, columns: readonly string[], chunks: AsyncIterable<Buffer | string>): Promise<void>;
}

/**
 * The connection of a transaction was lost. `committing`: it was lost while COMMIT was in flight,
 * so the server may have committed; otherwise it rolled back whatever it had.
 */
export class TransactionConnectionLost extends Error {
  constructor(
    readonly committing: boolean,
    cause: Error,
  ) {
    super(
      committing
        ? `the database connection was lost while the transaction was committing (${cause.message}); the server may or may not have ` +
            'committed it: the next run finds out (a committed import or publish is then "nothing changed" / "up to date")'
        : `the database connection was lost during the transaction (${cause.message}); nothing of it was committed`,
      { cause },
    );
  }
}

export async function runTransaction<T>(
  pool: pg.Pool,
  copy: CopyAdapter,
  work: (tx: Transaction) => Promise<T>,
  options: TransactionOptions = {},
): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  let committing = false;
  const onError = (error: Error) => {
    broken = error;
  };
  client.on('error', onError);
  try {
    await client.query(options.isolation === 'repeatable read' ? 'begin isolation level repeatable read' : 'begin');
    const db = kyselyOverClient(client);
    const result = await work({
      db,
      copyOut: (query) => copy.out(client, query),
      copyText: (table, columns, chunks) => copy.text(client, table, columns, chunks),
      analyze: async (table, columns) => {
        const target = copy.analyzeStatisticsTarget;
        // One round trip: the setting lasts to the end of the transaction and matters only to ANALYZE.
        const setting = target === undefined ? '' : `set local default_statistics_target = ${target}; `;
        await client.query(`${setting}analyze ${quoteTable(table)}${copy.analyzeEveryColumn ? '' : ` (${quoteColumns(columns)})`}`);
      },
    });
    committing = true;
    await client.query('commit');
    return result;
  } catch (error) {
    // Another connection's lost transaction (a publish target's, inside the source's snapshot)
    // is an ordinary failure of this one's work: this connection is fine and rolls back.
    const lostHere = broken !== undefined || (isConnectionLoss(error) && !(error instanceof TransactionConnectionLost));
    if (!lostHere) await client.query('rollback').catch((rollbackError: Error) => (broken = rollbackError));
    if (lostHere) {
      broken ??= error as Error;
      // Say plainly what the server did rather than "write EPIPE".
      throw new TransactionConnectionLost(committing, error as Error);
    }
    throw error;
  } finally {
    client.off('error', onError);
    // A connection that failed is discarded rather than returned to the pool.
    client.release(broken);
  }
}

/** A socket that broke, or a server that ended the session (SQLSTATE 57P0x, class 08). */
/** An error that means the connection itself failed (not the statement). */
export function isConnectionLoss(error: unknown): boolean {
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && (/^(EPIPE|ECONNRESET|ECONNREFUSED|ETIMEDOUT)$/.test(code) || /^(57P0[1-3]|08)/.test(code))) return true;
  return typeof message === 'string' && /Connection terminated/i.test(message);
}

export function copySql(table: string, columns: readonly string[], source: string): string {
  return `COPY ${quoteTable(table)} (${quoteColumns(columns)}) FROM ${source}`;
}

/** An SQL identifier, double-quoted (its own quotes doubled): safe for any name. */
export const quoteIdentifier = (name: string): string => `"${name.replace(/"/g, '""')}"`;
const quoteColumns = (columns: readonly string[]): string => columns.map(quoteIdentifier).join(', ');
const quoteTable = (table: string): string => table.split('.').map(quoteIdentifier).join('.');

export function copyOutSql(query: string, sink: string): string {
  return `COPY (${query}) TO ${sink}`;
}

/** A stable 64-bit advisory lock key from a lock name. */
export function advisoryKey(name: string): string {
  let hash = 0xcbf29ce484222325n;
  for (const byte of Buffer.from(`cms-ingest:${name}`)) {
    hash ^= BigInt(byte);
    hash = (hash * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return BigInt.asIntN(64, hash).toString();
}
