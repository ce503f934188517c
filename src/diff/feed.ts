/**
 * The change feed: when a release loads, the changes of each of its datasets against the release
 * before it (`feedPredecessor`) are inserted into `cms.code_change` in the same transaction, by one
 * INSERT … SELECT per dataset. The first release of a family (or of a dataset) writes nothing.
 */
import { sql, type Kysely } from 'kysely';
import type { Schema } from '../db/schema.js';
import type { Family } from '../pipeline.js';
import { planDiff } from './plan.js';
import { chronologicalPredecessor, feedPredecessor } from './previous.js';
import { changesSelect } from './queries/changes.js';
import { statedMismatches } from './queries/mismatches.js';
import { loadedReleases, releaseName } from './releases.js';

export interface FeedWritten {
  dataset: string;
  from: string;
  rows: number;
}

export interface FeedOptions {
  /** a non-fatal finding (stated changes that disagree with the computed ones) */
  warn?(message: string): void;
}

/** How many mismatching keys a warning names before it says "and N more". */
const NAMED_IN_WARNING = 10;

export async function writeChangeFeed(db: Kysely<Schema>, family: Family, releaseId: string, options: FeedOptions = {}): Promise<FeedWritten[]> {
  const releases = await loadedReleases(db);
  const release = releases.find((candidate) => candidate.id === releaseId);
  if (!release) throw new Error(`release ${releaseId} is not in cms.releases`);
  const written: FeedWritten[] = [];
  for (const dataset of family.datasets) {
    if (!release.datasets.includes(dataset.name)) continue;
    const previous = feedPredecessor(releases, release, dataset.name);
    if (!previous) continue;
    const plan = await planDiff(db, dataset, previous.id, release.id);
    const changes = changesSelect(plan, previous.id, release.id, {}, false);
    const result = await sql`
      insert into cms.code_change (family, dataset, from_release_id, to_release_id, hcpcs, modifier, key, change, fields, tags)
      select ${family.name}, ${dataset.table}, ${previous.id}::bigint, ${release.id}::bigint,
        ${plan.feed.hcpcs ? sql`c.key ->> ${sql.lit(plan.feed.hcpcs)}` : sql`null`},
        ${plan.feed.modifier ? sql`c.key ->> ${sql.lit(plan.feed.modifier)}` : sql`null`},
        c.key, c.change, c.fields, c.tags
      from (${changes}) c`.execute(db);
    written.push({ dataset: dataset.table, from: releaseName(previous), rows: Number(result.numAffectedRows ?? 0) });

    // The release's own statements of change, checked against the step they describe.
    const stepBefore = chronologicalPredecessor(releases, release, { dataset: dataset.name, otherCode: true });
    if (plan.reconcile && options.warn && stepBefore) {
      const stepPlan = stepBefore.id === previous.id ? plan : await planDiff(db, dataset, stepBefore.id, release.id);
      const mismatches = await statedMismatches(db, stepPlan, stepBefore.id, release.id);
      if (mismatches.length > 0) {
        const named = mismatches.slice(0, NAMED_IN_WARNING).map((row) => {
          const key = Object.values(row.key).join('-');
          return `${key} (${row.stated}; ${row.computed}${row.fields.length > 0 ? `: ${row.fields.join(', ')}` : ''})`;
        });
        const more = mismatches.length > NAMED_IN_WARNING ? `, and ${mismatches.length - NAMED_IN_WARNING} more` : '';
        options.warn(
          `${releaseName(release)} ${dataset.table}: ${mismatches.length} ${plan.reconcile.column} values disagree with the changes ` +
            `computed against ${releaseName(stepBefore)}: ${named.join(', ')}${more} (cms-ingest diff ${releaseName(stepBefore)} ${releaseName(release)} --dataset ${dataset.name} lists them)`,
        );
      }
    }
  }
  return written;
}
