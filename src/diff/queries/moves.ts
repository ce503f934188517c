/**
 * The largest moves: for each key in both releases, the declared numeric column that moved the
 * most (absolute, exact), and the keys with the biggest such moves, biggest first.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Schema } from '../../db/schema.js';
import type { DiffPlan } from '../plan.js';
import { col, keyOrder, keyValue, pairSource } from '../sql.js';

/** `k0` … the key's values. */
export interface MoveRow {
  [keyColumn: `k${number}`]: string;
  field: string;
  from: string;
  to: string;
  delta: string;
}

export async function largestMoves(db: Kysely<Schema>, plan: DiffPlan, fromId: string, toId: string, limit: number): Promise<MoveRow[]> {
  if (plan.moves.length === 0 || limit <= 0) return [];
  return (await movesSelect(plan, fromId, toId, limit).execute(db)).rows;
}

/**
 * The statement (the plan must declare moves). The biggest absolute move of each key is found with
 * greatest() in one pass; which column made it is worked out only for the `limit` keys kept.
 */
export function movesSelect(plan: DiffPlan, fromId: string, toId: string, limit: number): RawBuilder<MoveRow> {
  const move = (column: string) => sql`abs(${col('b', column)} - ${col('a', column)})`;
  const candidates = sql.join(plan.moves.map((column) => sql`(${sql.lit(column)}, top.${sql.id(`a_${column}`)}, top.${sql.id(`b_${column}`)})`));
  return sql<MoveRow>`
    select ${sql.join(plan.key.map((_, index) => sql`top.${sql.id(`k${index}`)}`))}, m.field, m.old::text as "from", m.new::text as "to", (m.new - m.old)::text as delta
    from (
      select ${sql.join(plan.key.map((column, index) => sql`${keyValue(column)} as ${sql.id(`k${index}`)}`))},
        greatest(${sql.join(plan.moves.map(move))}) as biggest,
        ${sql.join(plan.moves.flatMap((column) => [sql`${col('a', column)} as ${sql.id(`a_${column}`)}`, sql`${col('b', column)} as ${sql.id(`b_${column}`)}`]))}
      ${pairSource(plan, fromId, toId, 'inner')}
      where greatest(${sql.join(plan.moves.map(move))}) > 0
      order by biggest desc, ${keyOrder(plan)}
      limit ${limit}
    ) top
    cross join lateral (
      select v.field, v.old, v.new
      from (values ${candidates}) v (field, old, new)
      where v.old <> v.new
      order by abs(v.new - v.old) desc, v.field collate "C"
      limit 1
    ) m
    order by abs(m.new - m.old) desc, ${sql.join(plan.key.map((_, index) => sql`top.${sql.id(`k${index}`)} collate "C"`))}`;
}
