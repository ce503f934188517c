/**
 * The change feed's INSERT … SELECT for one dataset: the rows `changes.ts` selects for a diff
 * (the same key columns, kind of change, `fields` and tags), written to cms.code_change.
 *
 * Each column is compared once: the pairs are built in a subquery that PostgreSQL may not flatten
 * (OFFSET 0), so `fields` (only the columns that differ) is computed once per row and the filter
 * "added, removed, or some field differs" is a test of what it built ('{}' when nothing does),
 * not the comparisons written out again in WHERE.
 */
import { sql, type RawBuilder } from 'kysely';
import type { DiffPlan } from '../plan.js';
import { changeKind, differs, fieldsJson, keyValue, pairSource, tagsArray } from '../sql.js';

export interface FeedTarget {
  readonly family: string;
  readonly dataset: string;
  readonly fromId: string;
  readonly toId: string;
}

export function feedInsert(plan: DiffPlan, target: FeedTarget): RawBuilder<unknown> {
  const k = (index: number) => sql.ref(`c.k${index}`);
  const keyColumn = (column: string | undefined) => (column === undefined ? sql`null` : k(plan.key.indexOf(column)));
  const fields = fieldsJson(plan.compared, (column) => differs(column.name, plan));
  return sql`
    insert into cms.code_change (family, dataset, from_release_id, to_release_id, hcpcs, modifier, key, change, fields, tags)
    select ${target.family}, ${target.dataset}, ${target.fromId}::bigint, ${target.toId}::bigint,
      ${keyColumn(plan.feed.hcpcs)}, ${keyColumn(plan.feed.modifier)},
      jsonb_build_object(${sql.join(plan.key.flatMap((column, index) => [sql.lit(column), k(index)]))}),
      c.change, c.fields::jsonb, c.tags
    from (
      select ${sql.join(plan.key.map((column, index) => sql`${keyValue(column)} as ${sql.id(`k${index}`)}`))},
        ${changeKind} as change, ${fields} as fields, ${tagsArray(plan)} as tags
      ${pairSource(plan, target.fromId, target.toId)}
      offset 0
    ) c
    where c.change <> 'changed' or c.fields <> '{}'`;
}
