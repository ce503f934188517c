/**
 * Planner statistics for the tables a load wrote. A bulk COPY leaves PostgreSQL without them
 * until autovacuum comes by (a minute or more later); meanwhile the planner takes a fresh
 * release's tables for nearly empty and picks nested loops: `select * from cms.code_catalog`
 * took 28 s right after loading RVU25D, 0.3 s once analysed. Run after the commit, so the load's
 * own transaction holds no extra lock.
 */
import { sql, type Kysely } from 'kysely';
import type { Schema } from '../db/schema.js';

export async function refreshStatistics(db: Kysely<Schema>, tables: readonly string[]): Promise<void> {
  for (const table of new Set(tables)) await sql`analyze ${sql.table(`cms.${table}`)}`.execute(db);
}
