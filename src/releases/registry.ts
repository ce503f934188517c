/**
 * The release registry as the stages after a load read it: every release with its datasets, and
 * the family's order. That order is the one the view `cms.current_releases` (migration 0001)
 * takes the current release by: effective date, then publication date (none first), then load
 * order. `loadedReleases` sorts in SQL and `compareReleases` in TypeScript; a test pins both to
 * the view (test/releases/registry.test.ts).
 *
 * What the importer writes is in store.ts; what `releases` lists is list.ts; which release
 * another one follows (supersession, the quarter before) is history.ts.
 */
import { sql, type Kysely } from 'kysely';
import type { Schema } from '../db/schema.js';

export interface RegisteredRelease {
  readonly id: string;
  readonly family: string;
  readonly code: string;
  readonly year: number;
  readonly quarter: number;
  readonly revision: number;
  readonly status: 'active' | 'superseded';
  readonly effective_from: string;
  readonly published_on: string | null;
  readonly superseded_by: string | null;
  /** dataset names the release contains */
  readonly datasets: readonly string[];
}

/** Every release (all families, all revisions), oldest first in each family's order. */
export async function loadedReleases(db: Kysely<Schema>): Promise<RegisteredRelease[]> {
  const { rows } = await sql<RegisteredRelease>`
    select r.id::text as id, r.family, r.code, r.year, r.quarter, r.revision, r.status, r.effective_from::text as effective_from,
      r.published_on::text as published_on, r.superseded_by::text as superseded_by,
      coalesce((select array_agg(d.dataset order by d.dataset) from cms.release_datasets d where d.release_id = r.id), '{}') as datasets
    from cms.releases r
    order by r.family, r.effective_from, r.published_on nulls first, r.id`.execute(db);
  return rows;
}

/** The family's order: negative when `a` comes before `b`. Mirrors the SQL orders above and in cms.current_releases. */
export function compareReleases(a: RegisteredRelease, b: RegisteredRelease): number {
  if (a.effective_from !== b.effective_from) return a.effective_from < b.effective_from ? -1 : 1;
  if (a.published_on !== b.published_on) {
    if (a.published_on === null) return -1;
    if (b.published_on === null) return 1;
    return a.published_on < b.published_on ? -1 : 1;
  }
  const [x, y] = [BigInt(a.id), BigInt(b.id)];
  return x === y ? 0 : x < y ? -1 : 1;
}

/** The family's active releases, oldest first. */
export function activeInOrder(releases: readonly RegisteredRelease[], family: string): RegisteredRelease[] {
  return releases.filter((release) => release.family === family && release.status === 'active').sort(compareReleases);
}

/** The family's newest active release. */
export function latestActive(releases: readonly RegisteredRelease[], family: string): RegisteredRelease | undefined {
  return activeInOrder(releases, family).at(-1);
}

/** The release a dataset is current in: what `cms.current_releases` shows for (family, dataset). */
export function currentRelease(releases: readonly RegisteredRelease[], family: string, dataset: string): RegisteredRelease | undefined {
  return activeInOrder(releases, family)
    .filter((release) => release.datasets.includes(dataset))
    .at(-1);
}

/** How a release is named back to the user: its code, with `@revision` unless it is the active one. */
export function releaseName(release: RegisteredRelease): string {
  return release.status === 'active' ? release.code : `${release.code}@${release.revision}`;
}

/** The latest revision of `family` loaded from this URL (releases.source_url), if any. */
export async function loadedFromUrl(
  db: Kysely<Schema>,
  family: string,
  sourceUrl: string,
): Promise<{ code: string; revision: number } | undefined> {
  return db
    .selectFrom('cms.releases')
    .select(['code', 'revision'])
    .where('family', '=', family)
    .where('source_url', '=', sourceUrl)
    .orderBy('revision', 'desc')
    .limit(1)
    .executeTakeFirst();
}
