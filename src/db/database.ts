/**
 * One interface over both databases: a real Postgres through `pg`, or embedded PGlite through its
 * node-postgres bridge. Nothing above src/db/ branches on which one it is talking to.
 */
import type { Kysely } from 'kysely';
import type { CopyValue } from '../pipeline.js';
import type { Schema } from './schema.js';

export type CopyRows = AsyncIterable<readonly CopyValue[]> | Iterable<readonly CopyValue[]>;

export interface Transaction {
  /** queries inside the transaction */
  readonly db: Kysely<Schema>;
  /** bulk-load rows into `table` (schema-qualified) inside the transaction; returns the row count */
  copyRows(table: string, columns: readonly string[], rows: CopyRows): Promise<number>;
}

export interface Database {
  readonly kind: 'postgres' | 'pglite';
  /** where it is, for messages: a URL without credentials, or the data directory */
  readonly location: string;
  /** queries outside any transaction (autocommit) */
  readonly db: Kysely<Schema>;
  /** run `work` in one transaction on one connection: it commits if `work` resolves, else rolls back */
  transaction<T>(work: (tx: Transaction) => Promise<T>): Promise<T>;
  /**
   * Run `work` while holding an exclusive lock named `name` across every process using this
   * database; throws LockHeldError at once when someone else holds it.
   */
  withExclusiveLock<T>(name: string, work: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
