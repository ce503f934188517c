/**
 * Keys of the newer release whose stated change (a column such as HCPCS's action code) disagrees
 * with the change computed against the older release. Each stated value has a rule (any one of
 * its conditions must hold); values without a rule, and keys only in the older release, are not
 * checked.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Schema } from '../../db/schema.js';
import type { DiffPlan } from '../plan.js';
import { anyCondition, anyDiffers, col, differs, keyJson, keyOrder, pairSource } from '../sql.js';

export interface MismatchRow {
  key: Record<string, string>;
  stated: string;
  computed: 'added' | 'changed' | 'unchanged';
  fields: string[];
}

export async function statedMismatches(db: Kysely<Schema>, plan: DiffPlan, olderId: string, newerId: string): Promise<MismatchRow[]> {
  if (!plan.reconcile || Object.keys(plan.reconcile.rules).length === 0) return [];
  return (await mismatchesSelect(plan, olderId, newerId).execute(db)).rows;
}

/** The statement (the plan must declare `reconcile` with at least one rule). */
export function mismatchesSelect(plan: DiffPlan, olderId: string, newerId: string): RawBuilder<MismatchRow> {
  const reconcile = plan.reconcile!;
  const rules = Object.entries(reconcile.rules);
  const stated = col('b', reconcile.column);
  const agrees = sql`case ${sql.join(
    rules.map(([value, rule]) => sql`when ${stated} = ${sql.lit(value)} then ${anyCondition(plan, rule.when)}`),
    sql` `,
  )} else true end`;
  const names = plan.compared.map((column) => column.name);
  const changedFields = names.length === 0
    ? sql`'{}'::text[]`
    : sql`array_remove(array[${sql.join(names.map((name) => sql`case when ${differs(name, plan)} then ${sql.lit(name)} end`))}]::text[], null)`;
  return sql<MismatchRow>`
    select ${keyJson(plan)} as key, ${stated}::text as stated,
      case when a.release_id is null then 'added' when ${anyDiffers(names, plan)} then 'changed' else 'unchanged' end as computed,
      case when a.release_id is null then '{}'::text[] else ${changedFields} end as fields
    ${pairSource(plan, olderId, newerId, 'right')}
    where ${stated} is not null and not coalesce(${agrees}, false)
    order by ${keyOrder(plan)}`;
}
