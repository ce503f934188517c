/**
 * Which release another one follows: pure functions over the registry (`loadedReleases`), in the
 * family's order (`compareReleases`).
 *
 * - `chronologicalPredecessor`: the newest active release of the family that comes before the
 *   given one in that order (optionally: one containing a dataset; one with another code).
 * - `stepBefore`: the release whose step a release's own statements of change describe (HCPCS
 *   action codes): its chronological predecessor with another code, when that is of the calendar
 *   quarter just before.
 * - `feedPredecessor`: what the change feed diffs a newly loaded release against (per dataset):
 *   the revision it supersedes, when it is a re-post of a loaded code (the feed then says what
 *   the re-post corrected, not the whole quarter again); otherwise its chronological predecessor.
 *   A release loaded after a newer one (a backfill) is diffed against the release before it; the
 *   newer release's feed, written when it loaded, is left as it is.
 */
import { activeInOrder, compareReleases, type RegisteredRelease } from './registry.js';

export function chronologicalPredecessor(
  releases: readonly RegisteredRelease[],
  release: RegisteredRelease,
  options: { dataset?: string; otherCode?: boolean } = {},
): RegisteredRelease | undefined {
  return activeInOrder(releases, release.family)
    .filter((candidate) => candidate.id !== release.id && compareReleases(candidate, release) < 0)
    .filter((candidate) => options.dataset === undefined || candidate.datasets.includes(options.dataset))
    .filter((candidate) => !options.otherCode || candidate.code !== release.code)
    .at(-1);
}

export function feedPredecessor(releases: readonly RegisteredRelease[], release: RegisteredRelease, dataset: string): RegisteredRelease | undefined {
  const superseded = releases.find((candidate) => candidate.superseded_by === release.id && candidate.datasets.includes(dataset));
  return superseded ?? chronologicalPredecessor(releases, release, { dataset });
}

export function stepBefore(releases: readonly RegisteredRelease[], release: RegisteredRelease, dataset: string): RegisteredRelease | undefined {
  const before = chronologicalPredecessor(releases, release, { dataset, otherCode: true });
  return before && quarterIndex(before) === quarterIndex(release) - 1 ? before : undefined;
}

const quarterIndex = (release: RegisteredRelease) => release.year * 4 + release.quarter - 1;
