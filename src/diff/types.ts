/**
 * The result of a release diff: what `diffReleases` returns and `--format json` prints, as
 * documented in the README (Diffs → JSON shape). Numbers are decimal strings exactly as stored.
 */

/** A value as the snapshot holds it: text (numbers as exact decimals), a flag, a list, or none. */
export type DiffValue = string | boolean | readonly string[] | null;

export interface ValueChange {
  readonly from: DiffValue;
  readonly to: DiffValue;
}

export type ChangeKind = 'added' | 'removed' | 'changed';
export const CHANGE_KINDS: readonly ChangeKind[] = ['added', 'removed', 'changed'];

/**
 * One key that differs. The key columns come first (`hcpcs`, `modifier` for PPRRVU; `state`,
 * `locality` for GPCI …), then `change` and `fields`: every compared column whose value differs,
 * in table order. An added key lists its non-NULL values (`from` NULL), a removed key its old ones.
 */
export interface DiffChange {
  readonly [keyColumn: string]: unknown;
  readonly change: ChangeKind;
  readonly fields: Readonly<Record<string, ValueChange>>;
  /** the dataset's named kinds of change this one is (only for datasets that declare them) */
  readonly tags?: readonly string[];
}

/** A numeric column's largest move for one key (the biggest of the dataset's `moves` columns). */
export interface DiffMove {
  readonly [keyColumn: string]: unknown;
  readonly field: string;
  readonly from: string;
  readonly to: string;
  /** to − from, exact */
  readonly delta: string;
}

export interface DiffSummaryCore {
  readonly added: number;
  readonly removed: number;
  /** keys in both releases with at least one compared column that differs */
  readonly changed: number;
  /** per compared column, how many changed keys differ in it (added and removed keys not counted) */
  readonly fields: Readonly<Record<string, number>>;
  /** the largest numeric moves among changed keys, biggest first */
  readonly largest_moves: readonly DiffMove[];
  /** columns left out because only one of the two releases' layouts has them */
  readonly not_compared: readonly string[];
  /** per named kind of change, how many keys (datasets that declare them) */
  readonly categories?: Readonly<Record<string, number>>;
  /** how many keys' stated change (HCPCS action code) disagrees with the computed one */
  readonly mismatches?: number;
}

/**
 * The summary: the counts above plus, for each release-wide column (the conversion factor),
 * `{ "from": …, "to": … }` under the column's name.
 */
export type DiffSummary = DiffSummaryCore & { readonly [releaseColumn: string]: unknown };

export const SUMMARY_CORE_KEYS: ReadonlySet<string> = new Set([
  'added', 'removed', 'changed', 'fields', 'largest_moves', 'not_compared', 'categories', 'mismatches',
]);

/** The release-wide values of a summary (`conv_factor` …), in declaration order. */
export function releaseValues(summary: DiffSummary): [string, ValueChange][] {
  return Object.entries(summary)
    .filter(([name]) => !SUMMARY_CORE_KEYS.has(name))
    .map(([name, value]) => [name, value as ValueChange]);
}

/** A key whose change, as the newer release states it, disagrees with the computed one. */
export interface DiffMismatch {
  readonly [keyColumn: string]: unknown;
  /** the value in the newer release's statement column (`N`) */
  readonly stated: string;
  readonly meaning: string;
  /** what the diff found: added, changed or unchanged */
  readonly computed: 'added' | 'changed' | 'unchanged';
  /** the compared columns that differ (for a changed key) */
  readonly fields: readonly string[];
}

export interface DiffReconciliation {
  /** the column holding the stated change (`action_code`) */
  readonly column: string;
  /** the release whose statements were checked (the newer of the two) */
  readonly release: string;
  /** the release they were checked against (the older of the two) */
  readonly against: string;
  /** why nothing was checked (the releases are not consecutive), else absent */
  readonly skipped?: string;
  readonly mismatches: readonly DiffMismatch[];
}

export interface ReleaseDiff {
  /** release codes as given back to `diff` (`RVU25D`; `RVU25D@0` for a superseded revision) */
  readonly from: string;
  readonly to: string;
  readonly family: string;
  /** the snapshot table compared (`pfs_rvu`, `pfs_gpci`, `hcpcs_code` …) */
  readonly dataset: string;
  /** the key columns that open each change */
  readonly key: readonly string[];
  /** the column shown beside added and removed keys, if the dataset has one */
  readonly label: string | null;
  readonly summary: DiffSummary;
  /** every change, in key order (filters narrow it; the summary is always of the whole diff) */
  readonly changes: readonly DiffChange[];
  /** datasets that declare a statement column (HCPCS action codes) */
  readonly reconciliation?: DiffReconciliation;
}
