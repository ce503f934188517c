/**
 * The load step of the review queue: runs inside a release's load transaction, after the change
 * feed, and raises from the feed (cms.code_change) what the release made stale for editors:
 *
 * - added_without_editorial: a code the release added (code row, no modifier) that has no entry;
 * - editorial_for_removed: an entry's code the release removed, or now carries with a termination
 *   date (HCPCS: the feed's `discontinued` kind of change);
 * - descriptor_changed: an entry's code whose HCPCS long/short or PPRRVU description the release
 *   changed to something other than what the entry's current version was written against;
 * - status_changed: an entry's code whose PFS status code the release changed.
 *
 * Only a release that is current after its load raises items (loading an old release to fill in
 * history is not news for editors), and only against the release before it (the feed): the first
 * release of a family raises nothing. An open unknown_code item is resolved once a current
 * release carries its code.
 */
import { sql, type Kysely } from 'kysely';
import type { Schema } from '../../db/schema.js';
import type { LoadStep } from '../../releases/steps.js';

/** The code-level snapshot tables whose changes the queue follows, and their descriptor fields. */
const CODE_DATASETS = [
  { table: 'pfs_rvu', descriptors: ['description'], status: 'status_code' },
  { table: 'hcpcs_code', descriptors: ['long_description', 'short_description'], status: undefined },
] as const;

/** Which version column holds what an entry was written against, per descriptor field. */
const WRITTEN_AGAINST: Readonly<Record<string, string>> = {
  description: 'pfs_description',
  long_description: 'hcpcs_long_description',
  short_description: 'hcpcs_short_description',
};

export interface ReviewRaised {
  raised: number;
  resolved: number;
}

export async function raiseReviewItems(db: Kysely<Schema>, releaseId: string): Promise<ReviewRaised> {
  const current = await sql<{ table_name: string }>`
    select table_name from cms.current_releases where release_id = ${releaseId}::bigint`.execute(db);
  const tables = new Set(current.rows.map((row) => row.table_name));
  let raised = 0;
  let resolved = 0;
  for (const dataset of CODE_DATASETS) {
    if (!tables.has(dataset.table)) continue;
    raised += await raiseAdded(db, releaseId, dataset.table);
    raised += await raiseRemoved(db, releaseId, dataset.table);
    for (const field of dataset.descriptors) raised += await raiseDescriptorChanged(db, releaseId, dataset.table, field);
    if (dataset.status) raised += await raiseStatusChanged(db, releaseId, dataset.table, dataset.status);
    resolved += await resolveNowKnown(db, releaseId, dataset.table);
  }
  return { raised, resolved };
}

/** Code rows of the feed for this release: the code itself, not one of its modifiers. */
const codeRows = (releaseId: string, table: string) => sql`
  f.to_release_id = ${releaseId}::bigint and f.dataset = ${table} and f.hcpcs is not null and coalesce(f.modifier, '') = ''`;

const hasEntry = sql`exists (select 1 from cms.editorial_entry e where e.entry_type = 'code' and e.entry_key = f.hcpcs)`;

/** Insert items; an open item of the same code and reason takes the newer release and details. */
async function raise(db: Kysely<Schema>, select: ReturnType<typeof sql>): Promise<number> {
  const result = await sql`
    insert into cms.review_item (hcpcs, reason, release_id, details)
    ${select}
    on conflict (hcpcs, reason) where resolved_at is null do update set
      release_id = excluded.release_id,
      raised_at = now(),
      details = case when review_item.reason = 'descriptor_changed' then jsonb_build_object(
          'from', coalesce(review_item.details -> 'from', '{}'::jsonb) || (excluded.details -> 'from'),
          'to', coalesce(review_item.details -> 'to', '{}'::jsonb) || (excluded.details -> 'to'))
        else excluded.details end`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

function raiseAdded(db: Kysely<Schema>, releaseId: string, table: string): Promise<number> {
  return raise(db, sql`
    select f.hcpcs, 'added_without_editorial', f.to_release_id,
      jsonb_build_object('dataset', f.dataset, 'previous_release', r.code)
    from cms.code_change f join cms.releases r on r.id = f.from_release_id
    where ${codeRows(releaseId, table)} and f.change = 'added' and not ${hasEntry}`);
}

function raiseRemoved(db: Kysely<Schema>, releaseId: string, table: string): Promise<number> {
  return raise(db, sql`
    select f.hcpcs, 'editorial_for_removed', f.to_release_id,
      case when f.change = 'removed' then jsonb_build_object('dataset', f.dataset, 'change', 'removed', 'previous_release', r.code)
        else jsonb_build_object('dataset', f.dataset, 'change', 'terminated', 'termination_date', f.fields -> 'termination_date' ->> 'to', 'previous_release', r.code) end
    from cms.code_change f join cms.releases r on r.id = f.from_release_id
    where ${codeRows(releaseId, table)} and ${hasEntry}
      and (f.change = 'removed' or (f.change = 'changed' and f.fields -> 'termination_date' ->> 'to' is not null))`);
}

function raiseDescriptorChanged(db: Kysely<Schema>, releaseId: string, table: string, field: string): Promise<number> {
  const against = sql.ref(`v.${WRITTEN_AGAINST[field]!}`);
  return raise(db, sql`
    select f.hcpcs, 'descriptor_changed', f.to_release_id,
      jsonb_build_object('from', jsonb_build_object(${field}::text, ${against}), 'to', jsonb_build_object(${field}::text, f.fields -> ${field} ->> 'to'))
    from cms.code_change f
    join cms.editorial_entry e on e.entry_type = 'code' and e.entry_key = f.hcpcs
    join cms.editorial_version v on v.id = e.version_id
    where ${codeRows(releaseId, table)} and f.change = 'changed' and f.fields ? ${field}
      and (f.fields -> ${field} ->> 'to') is distinct from ${against}`);
}

function raiseStatusChanged(db: Kysely<Schema>, releaseId: string, table: string, field: string): Promise<number> {
  return raise(db, sql`
    select f.hcpcs, 'status_changed', f.to_release_id,
      jsonb_build_object('from', f.fields -> ${field} -> 'from', 'to', f.fields -> ${field} -> 'to')
    from cms.code_change f
    where ${codeRows(releaseId, table)} and f.change = 'changed' and f.fields ? ${field} and ${hasEntry}`);
}

async function resolveNowKnown(db: Kysely<Schema>, releaseId: string, table: string): Promise<number> {
  const result = await sql`
    update cms.review_item i set resolved_at = now(), resolution = 'code_loaded', resolved_by = 'cms-ingest'
    where i.reason = 'unknown_code' and i.resolved_at is null
      and exists (select 1 from ${sql.table(`cms.${table}`)} s where s.release_id = ${releaseId}::bigint and s.hcpcs = i.hcpcs)`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

/**
 * The queue as a load step (run inside the load's transaction, after the change feed; composed in
 * src/index.ts).
 */
export const reviewQueueStep: LoadStep = {
  async run(tx, release): Promise<void> {
    await raiseReviewItems(tx.db, release.releaseId);
  },
};
