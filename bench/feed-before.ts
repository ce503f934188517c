/**
 * The change feed as main wrote it before the feed statement was reworked a second time (issue 14,
 * 2026-12-02), kept for bench/diff.ts to time old against new in one run: per dataset, the pairs
 * built in a subquery PostgreSQL may not flatten (OFFSET 0), `fields` built as JSON text for every
 * pair of the join and the filter testing it, `key` built with jsonb_build_object.
 */
import { sql, type Kysely } from 'kysely';
import type { Schema } from '../src/db/schema.js';
import type { Family } from '../src/pipeline.js';
import { planDiff, planTable } from '../src/diff/plan.js';
import { tablesColumns } from '../src/diff/queries/column-types.js';
import { changeKind, differs, fieldsJson, keyValue, pairSource, tagsArray } from '../src/diff/sql.js';
import { feedPredecessor } from '../src/releases/history.js';
import { loadedReleases } from '../src/releases/registry.js';

export async function writeChangeFeedBefore(db: Kysely<Schema>, family: Family, releaseId: string): Promise<number> {
  const releases = await loadedReleases(db);
  const release = releases.find((candidate) => candidate.id === releaseId)!;
  await sql`select 1 from cms.code_change where to_release_id = ${releaseId}::bigint limit 1`.execute(db);
  const steps = family.datasets
    .filter((dataset) => release.datasets.includes(dataset.name))
    .map((dataset) => ({ dataset, previous: feedPredecessor(releases, release, dataset.name) }))
    .filter((step) => step.previous !== undefined);
  const columns = await tablesColumns(db, steps.map(({ dataset }) => planTable(dataset)));
  let rows = 0;
  for (const { dataset, previous } of steps) {
    const plan = await planDiff(db, dataset, previous!.id, release.id, { columns: columns.get(planTable(dataset)), releaseValues: false });
    const k = (index: number) => sql.ref(`c.k${index}`);
    const keyColumn = (column: string | undefined) => (column === undefined ? sql`null` : k(plan.key.indexOf(column)));
    const fields = fieldsJson(plan.compared, (column) => differs(column.name, plan));
    const result = await sql`
      insert into cms.code_change (family, dataset, from_release_id, to_release_id, hcpcs, modifier, key, change, fields, tags)
      select ${family.name}, ${dataset.table}, ${previous!.id}::bigint, ${release.id}::bigint,
        ${keyColumn(plan.feed.hcpcs)}, ${keyColumn(plan.feed.modifier)},
        jsonb_build_object(${sql.join(plan.key.flatMap((column, index) => [sql.lit(column), k(index)]))}),
        c.change, c.fields::jsonb, c.tags
      from (
        select ${sql.join(plan.key.map((column, index) => sql`${keyValue(column)} as ${sql.id(`k${index}`)}`))},
          ${changeKind} as change, ${fields} as fields, ${tagsArray(plan)} as tags
        ${pairSource(plan, previous!.id, release.id)}
        offset 0
      ) c
      where c.change <> 'changed' or c.fields <> '{}'`.execute(db);
    rows += Number(result.numAffectedRows ?? 0);
  }
  return rows;
}
