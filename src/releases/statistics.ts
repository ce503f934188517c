/**
 * Planner statistics for the tables a load wrote. A bulk COPY leaves PostgreSQL without them
 * until autovacuum comes by (a minute or more later); meanwhile the planner takes a fresh
 * release's tables for nearly empty and picks nested loops: `select * from cms.code_catalog`
 * took 28 s right after loading RVU25D, 0.3 s once analysed.
 *
 * Each table is analysed inside the load's transaction, right after its rows: on PostgreSQL the
 * server runs the ANALYZE while the client reads the next files, instead of after the commit with
 * nothing left to overlap (on PGlite, in the same thread, it only moves). ANALYZE sees the
 * transaction's own rows. Its statistics commit with the release, and roll back with it, but for
 * the row estimate in pg_class, which PostgreSQL writes in place: after a failed load it may count
 * the rows rolled back until the next ANALYZE (autovacuum's, or the next load's). The lock ANALYZE
 * takes (SHARE UPDATE EXCLUSIVE) is held to the commit: it keeps out only another ANALYZE, VACUUM
 * or schema change of those tables, never readers or writers.
 *
 * On PostgreSQL only the columns queries join and filter a snapshot table on are analysed:
 * release_id and the dataset's key (its primary key). A full ANALYZE of a fresh PPRRVU (34
 * columns) cost the server more than its COPY, on the load's critical path; the key columns
 * alone about a sixth of it, and from a sample of 3,000 rows rather than 30,000 (postgres.ts): a
 * fifth again. The row estimate is written either way, and a partial ANALYZE leaves the table's
 * count of changed rows as it was, so autovacuum analyses every column, with the server's own
 * sample, within its next rounds (see Transaction.analyze).
 */
import type { Transaction } from '../db/database.js';
import type { InFlight } from '../db/in-flight.js';

/** ANALYZE `table` (in schema cms), at least release_id and `key`, in the load's transaction, after the statements already in flight. */
export function analyzeLoaded(tx: Transaction, table: string, key: readonly string[], inFlight: InFlight): void {
  inFlight.add(() => tx.analyze(`cms.${table}`, ['release_id', ...key]));
}
