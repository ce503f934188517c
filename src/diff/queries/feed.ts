/**
 * The change feed's INSERT … SELECT for one dataset: the rows `changes.ts` selects for a diff
 * (the same key columns, kind of change, `fields` and tags), written to cms.code_change.
 *
 * Cheap tests first (issue 14): a pair is kept when one side is missing or the compared columns,
 * as one row, are distinct (`(a.x, a.y) is distinct from (b.x, b.y)`, which stops at the first
 * column that differs); `fields`, `key` and the tags are built only for the pairs kept, not for
 * every unchanged row of the join. `fields` is built as JSON text and parsed once: building a jsonb
 * per pair costs more (bench/diff.ts). `key` is built with jsonb_object(text[], text[]) when every
 * key column is text (all of them in pipelines/ today): measured at a third of jsonb_build_object's
 * cost, which looks up each argument's type on every row.
 */
import { sql, type RawBuilder } from 'kysely';
import type { DiffPlan } from '../plan.js';
import { changeKind, col, differs, fieldsJson, keyValue, pairSource, spaced, tagsArray, type Side } from '../sql.js';

export interface FeedTarget {
  readonly family: string;
  readonly dataset: string;
  readonly fromId: string;
  readonly toId: string;
}

export function feedInsert(plan: DiffPlan, target: FeedTarget): RawBuilder<unknown> {
  const keyColumn = (column: string | undefined) => (column === undefined ? sql`null` : keyValue(column));
  const fields = fieldsJson(plan.compared, (column) => differs(column.name, plan));
  return sql`
    insert into cms.code_change (family, dataset, from_release_id, to_release_id, hcpcs, modifier, key, change, fields, tags)
    select ${target.family}, ${target.dataset}, ${target.fromId}::bigint, ${target.toId}::bigint,
      ${keyColumn(plan.feed.hcpcs)}, ${keyColumn(plan.feed.modifier)}, ${feedKey(plan)},
      ${changeKind}, ${fields}::jsonb, ${tagsArray(plan)}
    ${pairSource(plan, target.fromId, target.toId)}
    where a.release_id is null or b.release_id is null or ${comparedRow(plan, 'a')} is distinct from ${comparedRow(plan, 'b')}`;
}

/** The compared columns of one side as a row (whitespace-insensitive text with its runs of whitespace as one space). */
function comparedRow(plan: DiffPlan, side: Side): RawBuilder<unknown> {
  if (plan.compared.length === 0) return sql`row(null)`;
  const value = (name: string) => (plan.whitespaceInsensitive.has(name) ? spaced(col(side, name)) : col(side, name));
  return sql`row(${sql.join(plan.compared.map((column) => value(column.name)))})`;
}

/** The key as jsonb, column → value: the same object jsonb_build_object makes, built from text arrays when the key is all text. */
function feedKey(plan: DiffPlan): RawBuilder<unknown> {
  if (!plan.textKey) return sql`jsonb_build_object(${sql.join(plan.key.flatMap((column) => [sql.lit(column), keyValue(column)]))})`;
  return sql`jsonb_object(array[${sql.join(plan.key.map((column) => sql.lit(column)))}]::text[], array[${sql.join(plan.key.map(keyValue))}]::text[])`;
}
