/**
 * The change feed as main wrote it before the feed was reworked (issue 14), kept for bench/diff.ts
 * to time old against new in one run: per dataset, its columns, the release-wide values and the
 * INSERT … SELECT of the diff's own select (every comparison in WHERE and again in `fields`).
 */
import { sql, type Kysely } from 'kysely';
import type { Schema } from '../src/db/schema.js';
import type { Family } from '../src/pipeline.js';
import { planDiff } from '../src/diff/plan.js';
import { changesSelect } from '../src/diff/queries/changes.js';
import { feedPredecessor } from '../src/releases/history.js';
import { loadedReleases } from '../src/releases/registry.js';

export async function writeChangeFeedBefore(db: Kysely<Schema>, family: Family, releaseId: string): Promise<number> {
  const releases = await loadedReleases(db);
  const release = releases.find((candidate) => candidate.id === releaseId)!;
  await sql`select 1 from cms.code_change where to_release_id = ${releaseId}::bigint limit 1`.execute(db);
  let rows = 0;
  for (const dataset of family.datasets) {
    if (!release.datasets.includes(dataset.name)) continue;
    const previous = feedPredecessor(releases, release, dataset.name);
    if (!previous) continue;
    const plan = await planDiff(db, dataset, previous.id, release.id);
    const changes = changesSelect(plan, previous.id, release.id, {}, false);
    const keyColumn = (column: string | undefined) => (column === undefined ? sql`null` : sql`c.${sql.id(`k${plan.key.indexOf(column)}`)}`);
    const result = await sql`
      insert into cms.code_change (family, dataset, from_release_id, to_release_id, hcpcs, modifier, key, change, fields, tags)
      select ${family.name}, ${dataset.table}, ${previous.id}::bigint, ${release.id}::bigint,
        ${keyColumn(plan.feed.hcpcs)}, ${keyColumn(plan.feed.modifier)},
        jsonb_build_object(${sql.join(plan.key.flatMap((column, index) => [sql.lit(column), sql`c.${sql.id(`k${index}`)}`]))}),
        c.change, c.fields::jsonb, c.tags
      from (${changes}) c`.execute(db);
    rows += Number(result.numAffectedRows ?? 0);
  }
  return rows;
}
