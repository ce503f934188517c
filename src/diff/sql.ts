/**
 * SQL fragments every diff query is built from. The rows of release `a` (the older side, or
 * `from`) and release `b` are joined on the dataset's key; a side is absent when its
 * `release_id` is NULL. Values are compared with IS DISTINCT FROM, so numbers compare exactly as
 * numbers (`1.50` equals `1.5`) and NULL equals NULL.
 */
import { sql, type RawBuilder } from 'kysely';
import type { DiffCondition } from '../pipeline.js';
import type { DiffColumn, DiffPlan } from './plan.js';

type Fragment = RawBuilder<unknown>;
export type Side = 'a' | 'b';

export const col = (side: Side, column: string): Fragment => sql.ref(`${side}.${column}`);
export const inBoth = sql`(a.release_id is not null and b.release_id is not null)`;

const rowsOf = (plan: DiffPlan, releaseId: string) => sql`(select * from ${sql.table(plan.table)} where release_id = ${releaseId}::bigint)`;

/** `from (rows of a) a <join> (rows of b) b on <key>` */
export function pairSource(plan: DiffPlan, aId: string, bId: string, join: 'full' | 'inner' | 'right' = 'full'): Fragment {
  const on = sql.join(plan.key.map((column) => sql`${col('a', column)} = ${col('b', column)}`), sql` and `);
  const kind = join === 'full' ? sql`full join` : join === 'inner' ? sql`join` : sql`right join`;
  return sql`from ${rowsOf(plan, aId)} a ${kind} ${rowsOf(plan, bId)} b on ${on}`;
}

/** The key column's value from whichever side has the row. */
export const keyValue = (column: string): Fragment => sql`coalesce(${col('b', column)}, ${col('a', column)})`;

/** `order by` the key, byte order (the same on every database, whatever its collation). */
export const keyOrder = (plan: DiffPlan): Fragment => sql.join(plan.key.map((column) => sql`${keyValue(column)} collate "C"`));

/** The key as a JSON object, column → value. */
export const keyJson = (plan: DiffPlan): Fragment =>
  sql`jsonb_build_object(${sql.join(plan.key.flatMap((column) => [sql.lit(column), keyValue(column)]))})`;

/**
 * The column differs between the two sides. Text the dataset declares whitespace-insensitive (a
 * long description CMS re-wraps) is compared with every run of whitespace as one space.
 */
export function differs(column: string, plan: DiffPlan): Fragment {
  if (plan.whitespaceInsensitive.has(column)) {
    return sql`${spaced(col('a', column))} is distinct from ${spaced(col('b', column))}`;
  }
  return sql`${col('a', column)} is distinct from ${col('b', column)}`;
}

/** Text with every run of whitespace as one space, trimmed. */
export const spaced = (value: Fragment): Fragment => sql`btrim(regexp_replace(${value}, '[[:space:]]+', ' ', 'g'))`;

export function anyDiffers(columns: readonly string[], plan: DiffPlan): Fragment {
  return columns.length === 0 ? sql`false` : sql`(${sql.join(columns.map((column) => differs(column, plan)), sql` or `)})`;
}

export const changeKind = sql<string>`case when a.release_id is null then 'added' when b.release_id is null then 'removed' else 'changed' end`;

/**
 * A value as JSON text: numbers as their exact decimal in a JSON string (`"1.30"`), NULL as
 * `null`, everything else as the column's JSON (text escaped, flags true/false, dates ISO, lists
 * as arrays).
 */
export const jsonText = (side: Side, column: DiffColumn): Fragment =>
  column.numeric
    ? sql`coalesce('"' || ${col(side, column.name)}::text || '"', 'null')`
    : sql`coalesce(to_json(${col(side, column.name)})::text, 'null')`;

/**
 * `{"column": {"from": …, "to": …}, …}` as JSON text, for each of `columns` whose `keep`
 * predicate holds. Only the pairs that qualify are built, as text joined by concat_ws (which skips
 * NULLs); callers cast to jsonb where they store it. Building a jsonb per pair costs about twice as
 * much on a full PPRRVU diff (bench/diff.ts).
 */
export function fieldsJson(columns: readonly DiffColumn[], keep: (column: DiffColumn) => Fragment): Fragment {
  if (columns.length === 0) return sql`'{}'`;
  const pairs = columns.map((column) => {
    if (!/^[a-z_][a-z0-9_]*$/.test(column.name)) throw new Error(`unexpected column name ${column.name}`);
    return sql`case when coalesce(${keep(column)}, false) then ${sql.lit(`"${column.name}":{"from":`)} || ${jsonText('a', column)} || ',"to":' || ${jsonText('b', column)} || '}' end`;
  });
  return sql`('{' || concat_ws(',', ${sql.join(pairs)}) || '}')`;
}

/** A declared condition (pipelines/) as SQL over the joined row. */
export function condition(plan: DiffPlan, when: DiffCondition): Fragment {
  if ('change' in when) return when.change === 'added' ? sql`a.release_id is null` : sql`b.release_id is null`;
  if ('unchanged' in when) return sql`(${inBoth} and not ${anyDiffers(plan.compared.map((column) => column.name), plan)})`;
  if ('anyOf' in when) return sql`(${inBoth} and ${anyDiffers(when.anyOf, plan)})`;
  if ('set' in when) return sql`(${col('b', when.set)} is not null and ${differs(when.set, plan)})`;
  return sql`(${inBoth} and ${col('a', when.cleared)} is not null and ${col('b', when.cleared)} is null)`;
}

/** Any of several conditions (none: false). */
export function anyCondition(plan: DiffPlan, conditions: readonly DiffCondition[]): Fragment {
  return conditions.length === 0 ? sql`false` : sql`(${sql.join(conditions.map((when) => condition(plan, when)), sql` or `)})`;
}

/** The names of the dataset's categories that hold for the row, as text[]. */
export function tagsArray(plan: DiffPlan): Fragment {
  if (plan.categories.length === 0) return sql`'{}'::text[]`;
  const tags = plan.categories.map((category) => sql`case when ${anyCondition(plan, category.when)} then ${sql.lit(category.name)} end`);
  return sql`array_remove(array[${sql.join(tags)}]::text[], null)`;
}
