/**
 * One interface over both databases: a real Postgres through `pg`, or embedded PGlite through its
 * node-postgres bridge. Nothing above src/db/ branches on which one it is talking to.
 */
import type { Kysely } from 'kysely';
import type { Schema } from './schema.js';

export interface Transaction {
  /** queries inside the transaction */
  readonly db: Kysely<Schema>;
  /**
   * The rows of `query` in COPY text format (tab-separated, `\N` for NULL, backslash escapes), as
   * the database sends them: what a publish streams from one database into another unchanged.
   */
  copyOut(query: string): AsyncIterable<Buffer>;
  /** bulk-load COPY text as it is (the output of another database's copyOut) into `table` */
  copyText(table: string, columns: readonly string[], chunks: AsyncIterable<Buffer | string>): Promise<void>;
  /**
   * Planner statistics for `table` (schema-qualified) after a bulk load, at least for `columns`
   * (the ones queries join and filter on). PostgreSQL analyses only those: a full ANALYZE of a
   * freshly loaded PPRRVU costs the server more than its COPY, and a partial one does not reset
   * the table's count of changed rows, so autovacuum still analyses every column soon after.
   * PGlite analyses every column: no autovacuum runs there to complete the rest.
   */
  analyze(table: string, columns: readonly string[]): Promise<void>;
}

export interface TransactionOptions {
  /**
   * `repeatable read`: every statement sees the database as of the first one — one consistent
   * snapshot for a reader that reads several tables (a publish).
   */
  isolation?: 'read committed' | 'repeatable read';
}

export interface Database {
  readonly kind: 'postgres' | 'pglite';
  /** where it is, for messages: a URL without credentials, or the data directory */
  readonly location: string;
  /** queries outside any transaction (autocommit) */
  readonly db: Kysely<Schema>;
  /** run `work` in one transaction on one connection: it commits if `work` resolves, else rolls back */
  transaction<T>(work: (tx: Transaction) => Promise<T>, options?: TransactionOptions): Promise<T>;
  /**
   * Run `work` while holding an exclusive lock named `name` across every process using this
   * database; throws LockHeldError at once when someone else holds it.
   */
  withExclusiveLock<T>(name: string, work: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
  /**
   * The embedded database only: run `work` once close() has shut PostgreSQL down cleanly, before
   * the lock file is released, with the digest of its control file (src/db/control-file.ts), which
   * changes the next time anything opens the database. Not run when the close is not clean.
   */
  afterCleanClose?(work: (controlDigest: string) => Promise<void>): void;
}
