/**
 * The changes between two releases of a dataset, one row per key that differs: its key columns
 * (`k0`, `k1` … in key order), the kind of change, the fields that differ (JSON text) and the
 * dataset's tags. One set-wise statement
 * (FULL OUTER JOIN on the key, IS DISTINCT FROM per column). The same select feeds `diff` and
 * the change feed (`cms.code_change`).
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Schema } from '../../db/schema.js';
import type { DiffColumn, DiffPlan } from '../plan.js';
import { changeKind, col, differs, fieldsJson, inBoth, keyOrder, keyValue, pairSource, tagsArray } from '../sql.js';
import type { ChangeKind } from '../types.js';

export interface ChangeFilters {
  /** values of the dataset's code column */
  readonly codes?: readonly string[];
  /** compared columns to report (others are left out of `fields`, and keys changed only in them dropped) */
  readonly fields?: readonly string[];
  readonly changes?: readonly ChangeKind[];
  /** a decimal: only numeric fields that moved by at least this much (absolute, exact) */
  readonly minDelta?: string;
}

/** `k0` … the key's values; `fields` is JSON text (parse it, or cast it to jsonb in SQL). */
export interface ChangeRow {
  [keyColumn: `k${number}`]: string;
  change: ChangeKind;
  fields: string;
  tags: string[];
}

/** The select (no ORDER BY when `ordered` is false: the change feed inserts it as a set). */
export function changesSelect(plan: DiffPlan, fromId: string, toId: string, filters: ChangeFilters = {}, ordered = true): RawBuilder<ChangeRow> {
  const reported = filters.fields ? plan.compared.filter((column) => filters.fields!.includes(column.name)) : plan.compared;
  const minDelta = filters.minDelta;
  const keep = (column: DiffColumn) =>
    minDelta === undefined
      ? differs(column.name, plan)
      : column.numeric
        ? sql`(${col('a', column.name)} <> ${col('b', column.name)} and abs(${col('b', column.name)} - ${col('a', column.name)}) >= ${minDelta}::numeric)`
        : sql`false`;
  const narrowed = filters.fields !== undefined || minDelta !== undefined;
  const keyDiffers = reported.length === 0 ? sql`false` : sql.join(reported.map((column) => sql`coalesce(${keep(column)}, false)`), sql` or `);
  // An added or removed key is a change in itself, unless the filters ask for particular fields.
  const rowDiffers = narrowed ? sql`(${keyDiffers})` : sql`(not ${inBoth} or ${keyDiffers})`;

  const where = [rowDiffers];
  if (filters.codes) where.push(sql`${keyValue(plan.codeColumn)} in (${sql.join(filters.codes.map((code) => sql`${code}`))})`);
  if (filters.changes) where.push(sql`${changeKind} in (${sql.join(filters.changes.map((change) => sql`${change}`))})`);

  return sql<ChangeRow>`
    select ${sql.join(plan.key.map((column, index) => sql`${keyValue(column)} as ${sql.id(`k${index}`)}`))},
      ${changeKind} as change, ${fieldsJson(reported, keep)} as fields, ${tagsArray(plan)} as tags
    ${pairSource(plan, fromId, toId)}
    where ${sql.join(where, sql` and `)}
    ${ordered ? sql`order by ${keyOrder(plan)}` : sql``}`;
}

export async function selectChanges(
  db: Kysely<Schema>,
  plan: DiffPlan,
  fromId: string,
  toId: string,
  filters: ChangeFilters = {},
): Promise<ChangeRow[]> {
  return (await changesSelect(plan, fromId, toId, filters).execute(db)).rows;
}
