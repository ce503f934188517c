/**
 * Per release, facts about whole columns of a snapshot table: the distinct values of release-wide
 * columns (the conversion factor), and whether a layout-dependent column has any value at all.
 */
import { sql, type Kysely } from 'kysely';
import type { Schema } from '../../db/schema.js';

export interface ReleaseColumnFacts {
  /** column → its distinct non-NULL values, as text, sorted */
  readonly values: Record<string, string[]>;
  /** column → whether some row has a value */
  readonly present: Record<string, boolean>;
}

export async function releaseColumnFacts(
  db: Kysely<Schema>,
  table: string,
  releaseIds: readonly string[],
  columns: { values: readonly string[]; presence: readonly string[] },
): Promise<Map<string, ReleaseColumnFacts>> {
  const facts = new Map<string, ReleaseColumnFacts>(releaseIds.map((id) => [id, { values: {}, present: {} }]));
  if (columns.values.length + columns.presence.length === 0) return facts;
  if (columns.values.length === 0) {
    // presence alone: each test stops at the first row with a value (the primary key starts with release_id)
    const { rows } = await sql<Record<string, unknown> & { release_id: string }>`
      select r.id::text as release_id, ${sql.join(
        columns.presence.map(
          (column, index) => sql`exists (select from ${sql.table(table)} t where t.release_id = r.id and ${sql.ref(`t.${column}`)} is not null) as ${sql.id(`p${index}`)}`,
        ),
      )}
      from unnest(${[...releaseIds]}::bigint[]) as r(id)`.execute(db);
    for (const row of rows) columns.presence.forEach((column, index) => (facts.get(row.release_id)!.present[column] = row[`p${index}`] === true));
    return facts;
  }
  const selections = [
    ...columns.values.map(
      (column, index) => sql`array_agg(distinct ${sql.ref(column)}::text collate "C" order by ${sql.ref(column)}::text collate "C") filter (where ${sql.ref(column)} is not null) as ${sql.id(`v${index}`)}`,
    ),
    ...columns.presence.map((column, index) => sql`bool_or(${sql.ref(column)} is not null) as ${sql.id(`p${index}`)}`),
  ];
  const { rows } = await sql<Record<string, unknown> & { release_id: string }>`
    select release_id::text as release_id, ${sql.join(selections)}
    from ${sql.table(table)}
    where release_id in (${sql.join(releaseIds.map((id) => sql`${id}::bigint`))})
    group by release_id`.execute(db);
  for (const row of rows) {
    const fact = facts.get(row.release_id)!;
    columns.values.forEach((column, index) => (fact.values[column] = (row[`v${index}`] as string[] | null) ?? []));
    columns.presence.forEach((column, index) => (fact.present[column] = row[`p${index}`] === true));
  }
  return facts;
}
