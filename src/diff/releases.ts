/**
 * The release registry as diffs see it: releases with their datasets, in the family's order
 * (effective date, then publication date, then load order: the order of `cms.current_releases`).
 */
import { sql, type Kysely } from 'kysely';
import type { Schema } from '../db/schema.js';

export interface DiffRelease {
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
export async function loadedReleases(db: Kysely<Schema>): Promise<DiffRelease[]> {
  const { rows } = await sql<DiffRelease>`
    select r.id::text as id, r.family, r.code, r.year, r.quarter, r.revision, r.status, r.effective_from::text as effective_from,
      r.published_on::text as published_on, r.superseded_by::text as superseded_by,
      coalesce((select array_agg(d.dataset order by d.dataset) from cms.release_datasets d where d.release_id = r.id), '{}') as datasets
    from cms.releases r
    order by r.family, r.effective_from, r.published_on nulls first, r.id`.execute(db);
  return rows;
}

/** The family's order: -1 when `a` comes before `b`. Mirrors the SQL order above. */
export function compareReleases(a: DiffRelease, b: DiffRelease): number {
  if (a.effective_from !== b.effective_from) return a.effective_from < b.effective_from ? -1 : 1;
  if (a.published_on !== b.published_on) {
    if (a.published_on === null) return -1;
    if (b.published_on === null) return 1;
    return a.published_on < b.published_on ? -1 : 1;
  }
  const [x, y] = [BigInt(a.id), BigInt(b.id)];
  return x === y ? 0 : x < y ? -1 : 1;
}

/** How a release is named back to the user: its code, with `@revision` unless it is the active one. */
export function releaseName(release: DiffRelease): string {
  return release.status === 'active' ? release.code : `${release.code}@${release.revision}`;
}
