/**
 * The counts of a diff in one scan of the joined releases: keys added, removed and changed, per
 * compared column how many changed keys differ in it, and per declared category how many keys
 * (of those that differ: a category is a kind of change).
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Schema } from '../../db/schema.js';
import type { DiffPlan } from '../plan.js';
import { anyCondition, anyDiffers, differs, inBoth, pairSource } from '../sql.js';

export interface DiffCounts {
  added: number;
  removed: number;
  changed: number;
  /** compared column → changed keys differing in it (zero counts left out), in table order */
  fields: Record<string, number>;
  /** category → keys (every declared category, zeros included) */
  categories: Record<string, number>;
}

export function countsSelect(plan: DiffPlan, fromId: string, toId: string): RawBuilder<Record<string, string | number>> {
  const names = plan.compared.map((column) => column.name);
  const perField = names.map((name, index) => sql`count(*) filter (where ${inBoth} and ${differs(name, plan)}) as ${sql.id(`f${index}`)}`);
  const perCategory = plan.categories.map(
    (category, index) => sql`count(*) filter (where ${anyCondition(plan, category.when)}) as ${sql.id(`c${index}`)}`,
  );
  // Only keys that differ pass the WHERE (it stops at the first differing column), so the
  // per-column counts are not evaluated for the unchanged majority.
  return sql<Record<string, string | number>>`
    select
      count(*) filter (where a.release_id is null) as added,
      count(*) filter (where b.release_id is null) as removed,
      count(*) filter (where ${inBoth}) as changed
      ${perField.length > 0 ? sql`, ${sql.join(perField)}` : sql``}
      ${perCategory.length > 0 ? sql`, ${sql.join(perCategory)}` : sql``}
    ${pairSource(plan, fromId, toId)}
    where not ${inBoth} or ${anyDiffers(names, plan)}`;
}

export async function countChanges(db: Kysely<Schema>, plan: DiffPlan, fromId: string, toId: string): Promise<DiffCounts> {
  const names = plan.compared.map((column) => column.name);
  const { rows } = await countsSelect(plan, fromId, toId).execute(db);
  const row = rows[0] ?? {};
  const fields: Record<string, number> = {};
  names.forEach((name, index) => {
    const count = Number(row[`f${index}`] ?? 0);
    if (count > 0) fields[name] = count;
  });
  const categories: Record<string, number> = {};
  plan.categories.forEach((category, index) => (categories[category.name] = Number(row[`c${index}`] ?? 0)));
  return { added: Number(row.added ?? 0), removed: Number(row.removed ?? 0), changed: Number(row.changed ?? 0), fields, categories };
}
