/** What is loaded: every release with its datasets and row counts. */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/database.js';
import type { Schema } from '../db/schema.js';
import { UsageError } from '../errors.js';

export interface ReleaseSummary {
  id: string;
  code: string;
  family: string;
  year: number;
  quarter: number;
  revision: number;
  status: 'active' | 'superseded';
  effective_from: string;
  published_on: string | null;
  loaded_at: string;
  source_name: string;
  source_url: string | null;
  archive_sha256: string;
  /** dataset name → rows loaded */
  datasets: Record<string, number>;
}

export interface ReleaseFilter {
  family?: string | undefined;
}

/**
 * Every loaded release, oldest first per family. `known`: the family names a filter may use; a
 * family outside them is a UsageError (not an empty list that reads as "nothing loaded").
 */
export async function listReleases(database: Database, filter: ReleaseFilter = {}, known?: readonly string[]): Promise<ReleaseSummary[]> {
  checkFamily(filter, known);
  const rows = await releasesQuery(database.db, filter).execute();
  return rows.map((row) => ({ ...row, datasets: row.datasets ?? {} }));
}

export function checkFamily(filter: ReleaseFilter, known: readonly string[] | undefined): void {
  if (filter.family !== undefined && known !== undefined && !known.includes(filter.family)) {
    const choices = known.length > 1 ? `${known.slice(0, -1).join(', ')} or ${known.at(-1)}` : known.join('');
    throw new UsageError(`--family must be ${choices}, not ${JSON.stringify(filter.family)}`);
  }
}

/** What listReleases runs; src/releases/remembered.ts keys the lists it keeps on its SQL. */
export function releasesQuery(db: Kysely<Schema>, filter: ReleaseFilter = {}) {
  let query = db
    .selectFrom('cms.releases as r')
    .select([
      'r.id', 'r.code', 'r.family', 'r.year', 'r.quarter', 'r.revision', 'r.status', 'r.effective_from',
      'r.published_on', 'r.source_name', 'r.source_url', 'r.archive_sha256',
      sql<string>`to_char(r.loaded_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`.as('loaded_at'),
      sql<Record<string, number> | null>`(
        select jsonb_object_agg(d.dataset, d.row_count order by d.dataset)
        from cms.release_datasets d where d.release_id = r.id)`.as('datasets'),
    ])
    .orderBy('r.family')
    .orderBy('r.effective_from')
    .orderBy('r.code')
    .orderBy('r.revision');
  if (filter.family) query = query.where('r.family', '=', filter.family);
  return query;
}

/** `filter` applied to every release, listed in listReleases' order: what listReleases would return with it. */
export function releasesOf(releases: readonly ReleaseSummary[], filter: ReleaseFilter): ReleaseSummary[] {
  return filter.family ? releases.filter((release) => release.family === filter.family) : [...releases];
}
