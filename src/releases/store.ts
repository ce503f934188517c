/** The release registry's statements: one purpose per function. */
import { sql, type Kysely } from 'kysely';
import type { Schema } from '../db/schema.js';
import { advisoryKey } from '../db/pool.js';
import type { AppliedErratum } from '../pipeline.js';

export interface StoredRelease {
  id: string;
  family: string;
  code: string;
  revision: number;
  status: 'active' | 'superseded';
  effective_from: string;
  published_on: string | null;
}

export async function findReleaseBySha(db: Kysely<Schema>, family: string, sha256: string): Promise<StoredRelease | undefined> {
  return db
    .selectFrom('cms.releases')
    .select(['id', 'family', 'code', 'revision', 'status', 'effective_from', 'published_on'])
    .where('family', '=', family)
    .where('archive_sha256', '=', sha256)
    .executeTakeFirst();
}

export async function findActiveRelease(db: Kysely<Schema>, family: string, code: string): Promise<StoredRelease | undefined> {
  return db
    .selectFrom('cms.releases')
    .select(['id', 'family', 'code', 'revision', 'status', 'effective_from', 'published_on'])
    .where('family', '=', family)
    .where('code', '=', code)
    .where('status', '=', 'active')
    .executeTakeFirst();
}

export async function nextRevision(db: Kysely<Schema>, family: string, code: string): Promise<number> {
  const row = await db
    .selectFrom('cms.releases')
    .select((eb) => eb.fn.max('revision').as('latest'))
    .where('family', '=', family)
    .where('code', '=', code)
    .executeTakeFirst();
  return row?.latest === null || row?.latest === undefined ? 0 : Number(row.latest) + 1;
}

/** Serialize loads of one family, so two importers never race for a revision number. */
export async function lockFamily(db: Kysely<Schema>, family: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(${advisoryKey(`load:${family}`)}::bigint)`.execute(db);
}

export interface NewRelease {
  family: string;
  code: string;
  year: number;
  quarter: number;
  revision: number;
  effective_from: string;
  source_name: string;
  source_url: string | null;
  archive_sha256: string;
}

/** Insert a release as the active revision of its code; the previous active revision is superseded. */
export async function insertActiveRelease(db: Kysely<Schema>, release: NewRelease): Promise<{ id: string; superseded?: StoredRelease }> {
  const previous = await findActiveRelease(db, release.family, release.code);
  if (previous) {
    await db.updateTable('cms.releases').set({ status: 'superseded' }).where('id', '=', previous.id).execute();
  }
  const { id } = await db
    .insertInto('cms.releases')
    .values({ ...release, status: 'active' })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (previous) {
    await db.updateTable('cms.releases').set({ superseded_by: id }).where('id', '=', previous.id).execute();
  }
  return previous ? { id, superseded: previous } : { id };
}

export async function setPublishedOn(db: Kysely<Schema>, releaseId: string, publishedOn: string): Promise<void> {
  await db.updateTable('cms.releases').set({ published_on: publishedOn }).where('id', '=', releaseId).execute();
}

export async function recordDataset(
  db: Kysely<Schema>,
  entry: { release_id: string; dataset: string; table_name: string; row_count: number },
): Promise<void> {
  await db.insertInto('cms.release_datasets').values(entry).execute();
}

export async function recordFile(
  db: Kysely<Schema>,
  entry: { release_id: string; dataset: string; name: string; format: string; role: string; size_bytes: number; sha256: string; row_count: number },
): Promise<void> {
  await db.insertInto('cms.release_files').values(entry).execute();
}

/** Each dataset of a release → the sha256s of the files it was loaded from (with their roles), as one comparable text. */
export async function datasetFingerprints(db: Kysely<Schema>, releaseId: string): Promise<Map<string, string>> {
  const files = await db
    .selectFrom('cms.release_files')
    .select(['dataset', 'role', 'sha256'])
    .where('release_id', '=', releaseId)
    .execute();
  const byDataset = new Map<string, string[]>();
  for (const file of files) byDataset.set(file.dataset, [...(byDataset.get(file.dataset) ?? []), `${file.role}:${file.sha256}`]);
  return new Map([...byDataset].map(([dataset, hashes]) => [dataset, hashes.sort().join(',')]));
}

/** The declared errata applied while the release was parsed (cms.release_errata). */
export async function recordErrata(
  db: Kysely<Schema>,
  releaseId: string,
  errata: readonly { dataset: string; applied: AppliedErratum }[],
): Promise<void> {
  if (errata.length === 0) return;
  await db
    .insertInto('cms.release_errata')
    .values(
      errata.map(({ dataset, applied }) => ({
        release_id: releaseId,
        dataset,
        file: applied.path,
        line: applied.line,
        key: applied.key,
        field: applied.field,
        found: applied.found,
        corrected: applied.corrected,
        reason: applied.reason,
      })),
    )
    .execute();
}
