/**
 * The largest moves: for each key in both releases, the declared numeric column that moved the
 * most (absolute, exact), and the keys with the biggest such moves, biggest first.
 */
import { sql, type Kysely } from 'kysely';
import type { Schema } from '../../db/schema.js';
import type { DiffPlan } from '../plan.js';
import { col, keyJson, keyOrder, pairSource } from '../sql.js';

export interface MoveRow {
  key: Record<string, string>;
  field: string;
  from: string;
  to: string;
  delta: string;
}

export async function largestMoves(db: Kysely<Schema>, plan: DiffPlan, fromId: string, toId: string, limit: number): Promise<MoveRow[]> {
  if (plan.moves.length === 0 || limit <= 0) return [];
  const candidates = sql.join(plan.moves.map((column) => sql`(${sql.lit(column)}, ${col('a', column)}, ${col('b', column)})`));
  const { rows } = await sql<MoveRow>`
    select ${keyJson(plan)} as key, m.field, m.old::text as "from", m.new::text as "to", (m.new - m.old)::text as delta
    ${pairSource(plan, fromId, toId, 'inner')}
    cross join lateral (
      select v.field, v.old, v.new
      from (values ${candidates}) v (field, old, new)
      where v.old <> v.new
      order by abs(v.new - v.old) desc, v.field collate "C"
      limit 1
    ) m
    order by abs(m.new - m.old) desc, ${keyOrder(plan)}
    limit ${limit}`.execute(db);
  return rows;
}
