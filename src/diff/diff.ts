/**
 * `diff <from> <to>`: resolve the two releases, plan the dataset's comparison, and run its
 * statements (counts, largest moves, changes, stated-change mismatches). Every comparison is
 * computed in SQL; this module only assembles the result.
 */
import type { Kysely } from 'kysely';
import type { Schema } from '../db/schema.js';
import { UsageError } from '../errors.js';
import type { Family } from '../pipeline.js';
import { stepBefore } from '../releases/history.js';
import { compareReleases, loadedReleases, releaseName, type RegisteredRelease } from '../releases/registry.js';
import { changeFilters, chooseDataset, movesOption, type DiffOptions } from './options.js';
import { planDiff, type DiffPlan } from './plan.js';
import { selectChanges, type ChangeRow } from './queries/changes.js';
import { countChanges } from './queries/counts.js';
import { statedMismatches } from './queries/mismatches.js';
import { largestMoves } from './queries/moves.js';
import { resolvePair } from './refs.js';
import type { DiffChange, DiffReconciliation, DiffSummary, ReleaseDiff, ValueChange } from './types.js';

const DEFAULT_MOVES = 10;

export async function diffReleases(
  db: Kysely<Schema>,
  families: readonly Family[],
  fromRef: string,
  toRef: string,
  options: DiffOptions = {},
): Promise<ReleaseDiff> {
  const moveCount = movesOption(options.moves, DEFAULT_MOVES);
  const releases = await loadedReleases(db);
  const { from, to } = resolvePair(releases, fromRef, toRef, options.family);
  const family = families.find((candidate) => candidate.name === from.family);
  if (!family) throw new UsageError(`${from.code} is a ${from.family} release, a family this build does not know`);
  const dataset = chooseDataset(family, options.dataset);
  for (const release of [from, to]) {
    if (!release.datasets.includes(dataset.name)) {
      const shared = from.datasets.filter((name) => to.datasets.includes(name));
      throw new UsageError(
        `${releaseName(release)} has no ${dataset.name} data; datasets in both ${releaseName(from)} and ${releaseName(to)}: ${shared.join(', ') || 'none'}`,
      );
    }
  }

  const plan = await planDiff(db, dataset, from.id, to.id);
  const filters = changeFilters(plan, options);
  // One statement each, one after another (PGlite has a single session).
  const counts = await countChanges(db, plan, from.id, to.id);
  const moves = await largestMoves(db, plan, from.id, to.id, moveCount);
  const rows = await selectChanges(db, plan, from.id, to.id, filters);
  const reconciliation = plan.reconcile ? await reconcile(db, plan, releases, from, to) : undefined;

  const summary: DiffSummary = {
    added: counts.added,
    removed: counts.removed,
    changed: counts.changed,
    fields: counts.fields,
    ...Object.fromEntries(plan.releaseValues),
    largest_moves: moves.map((move) => ({ ...keyOf(plan, move), field: move.field, from: move.from, to: move.to, delta: move.delta })),
    not_compared: plan.notCompared,
    ...(plan.categories.length > 0 ? { categories: counts.categories } : {}),
    ...(reconciliation && reconciliation.skipped === undefined ? { mismatches: reconciliation.mismatches.length } : {}),
  };
  return {
    from: releaseName(from),
    to: releaseName(to),
    family: family.name,
    dataset: dataset.table,
    key: plan.key,
    label: plan.label,
    summary,
    changes: rows.map((row) => toChange(plan, row)),
    ...(reconciliation ? { reconciliation } : {}),
  };
}

/** A change row as the API returns it: key columns first, fields in table order. */
export function toChange(plan: DiffPlan, row: ChangeRow): DiffChange {
  const parsed = JSON.parse(row.fields) as Record<string, ValueChange>;
  const fields: Record<string, ValueChange> = {};
  for (const column of plan.compared) {
    const value = parsed[column.name];
    if (value !== undefined) fields[column.name] = value;
  }
  return { ...keyOf(plan, row), change: row.change, fields, ...(plan.categories.length > 0 ? { tags: row.tags } : {}) };
}

/** The key columns of a row that carries them as `k0`, `k1` … */
function keyOf(plan: DiffPlan, row: { [column: `k${number}`]: string }): Record<string, string> {
  return Object.fromEntries(plan.key.map((column, index) => [column, row[`k${index}`]!]));
}

/**
 * The newer release's stated changes checked against the older one. Only meaningful when the
 * older is the release of the quarter just before the newer (the statements describe that step);
 * otherwise the check is skipped and says why.
 */
async function reconcile(
  db: Kysely<Schema>,
  plan: DiffPlan,
  releases: readonly RegisteredRelease[],
  from: RegisteredRelease,
  to: RegisteredRelease,
): Promise<DiffReconciliation> {
  const [older, newer] = compareReleases(from, to) <= 0 ? [from, to] : [to, from];
  const base = { column: plan.reconcile!.column, release: releaseName(newer), against: releaseName(older) };
  if (older.id === newer.id) return { ...base, skipped: 'a release compared with itself', mismatches: [] };
  const before = stepBefore(releases, newer, plan.dataset.name);
  if (before?.id !== older.id) {
    return {
      ...base,
      skipped:
        `${releaseName(newer)}'s ${plan.reconcile!.column} values describe the step from the release of the quarter before it` +
        (before ? ` (${releaseName(before)}), not from ${releaseName(older)}` : `, which is not loaded`),
      mismatches: [],
    };
  }
  const rows = await statedMismatches(db, plan, older.id, newer.id);
  return {
    ...base,
    mismatches: rows.map((row) => ({
      ...row.key,
      stated: row.stated,
      meaning: plan.reconcile!.rules[row.stated]?.meaning ?? '',
      computed: row.computed,
      fields: row.fields,
    })),
  };
}
