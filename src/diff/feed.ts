/**
 * The change feed: when a release loads, the changes of each of its datasets against the release
 * before it (`feedPredecessor`) are inserted into `cms.code_change` in the same transaction, by one
 * INSERT … SELECT per dataset. The first release of a family (or of a dataset) writes nothing.
 *
 * The table has no foreign keys and no unique index (migration 0006: they were half the feed's
 * time); this module keeps what they guaranteed. Both ids are of releases read in this
 * transaction; one row per key follows from the full join of two snapshots on their primary key;
 * and a release's feed is written once: a release that already has rows is refused.
 */
import { sql, type Kysely } from 'kysely';
import type { Schema } from '../db/schema.js';
import type { Dataset, Family } from '../pipeline.js';
import { feedPredecessor, stepBefore } from '../releases/history.js';
import { loadedReleases, releaseName, type RegisteredRelease } from '../releases/registry.js';
import type { LoadStep } from '../releases/steps.js';
import { planDiff, planTable } from './plan.js';
import { tablesColumns } from './queries/column-types.js';
import { feedInsert } from './queries/feed.js';
import { statedMismatches } from './queries/mismatches.js';

export interface FeedWritten {
  dataset: string;
  from: string;
  rows: number;
}

export interface FeedOptions {
  /** a non-fatal finding (stated changes that disagree with the computed ones) */
  warn?(message: string): void;
}

/** The change feed as a load step: src/index.ts runs it inside every load's transaction. */
export const changeFeedStep: LoadStep = {
  async run(tx, release) {
    await writeChangeFeed(tx.db, release.family, release.releaseId, { warn: release.warn });
  },
};

/** How many mismatching keys a warning names before it says "and N more". */
const NAMED_IN_WARNING = 10;

export async function writeChangeFeed(db: Kysely<Schema>, family: Family, releaseId: string, options: FeedOptions = {}): Promise<FeedWritten[]> {
  const releases = await loadedReleases(db);
  const release = releases.find((candidate) => candidate.id === releaseId);
  if (!release) throw new Error(`release ${releaseId} is not in cms.releases`);
  const already = await sql`select 1 from cms.code_change where to_release_id = ${releaseId}::bigint limit 1`.execute(db);
  if (already.rows.length > 0) throw new Error(`the change feed of ${releaseName(release)} is already written (cms.code_change rows with to_release_id ${releaseId})`);
  const written: FeedWritten[] = [];
  const steps = family.datasets
    .filter((dataset) => release.datasets.includes(dataset.name))
    .map((dataset) => ({ dataset, previous: feedPredecessor(releases, release, dataset.name) }))
    .filter((step): step is { dataset: Dataset; previous: RegisteredRelease } => step.previous !== undefined);
  if (steps.length === 0) return written;
  // every table's columns in one round trip, not one per dataset
  const columns = await tablesColumns(db, steps.map(({ dataset }) => planTable(dataset)));
  for (const { dataset, previous } of steps) {
    const plan = await planDiff(db, dataset, previous.id, release.id, { columns: columns.get(planTable(dataset)), releaseValues: false });
    const result = await feedInsert(plan, { family: family.name, dataset: dataset.table, fromId: previous.id, toId: release.id }).execute(db);
    written.push({ dataset: dataset.table, from: releaseName(previous), rows: Number(result.numAffectedRows ?? 0) });

    // The release's own statements of change, checked against the step they describe.
    const step = plan.reconcile && options.warn ? stepBefore(releases, release, dataset.name) : undefined;
    if (step && plan.reconcile && options.warn) {
      const stepPlan = step.id === previous.id ? plan : await planDiff(db, dataset, step.id, release.id);
      const mismatches = await statedMismatches(db, stepPlan, step.id, release.id);
      if (mismatches.length > 0) {
        const named = mismatches.slice(0, NAMED_IN_WARNING).map((row) => {
          const key = Object.values(row.key).join('-');
          return `${key} (${row.stated}; ${row.computed}${row.fields.length > 0 ? `: ${row.fields.join(', ')}` : ''})`;
        });
        const more = mismatches.length > NAMED_IN_WARNING ? `, and ${mismatches.length - NAMED_IN_WARNING} more` : '';
        options.warn(
          `${releaseName(release)} ${dataset.table}: ${mismatches.length} ${plan.reconcile.column} values disagree with the changes ` +
            `computed against ${releaseName(step)}: ${named.join(', ')}${more} (cms-ingest diff ${releaseName(step)} ${releaseName(release)} --dataset ${dataset.name} lists them)`,
        );
      }
    }
  }
  return written;
}
