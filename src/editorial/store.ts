/**
 * Queries of the editorial tables and of the CMS data an import needs (one purpose per function).
 * CMS data is read only from the snapshot tables and cms.current_releases.
 */
import { sql, type Kysely } from 'kysely';
import type { EditorialEntryType, Schema } from '../db/schema.js';
import type { EntryContent } from './fields.js';

export interface StoredEntry extends EntryContent {
  entry_type: EditorialEntryType;
  entry_key: string;
  version: number;
  content_hash: string;
}

/** Every current entry, codes then categories, in key order. */
export async function currentEntries(db: Kysely<Schema>): Promise<StoredEntry[]> {
  return db
    .selectFrom('cms.editorial_entry')
    .select([
      'entry_type', 'entry_key', 'title', 'summary', 'synonyms', 'plain_language', 'clinical_context', 'specialties',
      'billing_notes', 'notes', 'version', 'content_hash',
    ])
    .orderBy('entry_type', 'desc')
    .orderBy(sql`entry_key collate "C"`)
    .execute();
}

/** The codes of `codes` that some loaded release (any, superseded included) has carried. */
export async function codesEverLoaded(db: Kysely<Schema>, codes: readonly string[]): Promise<Set<string>> {
  if (codes.length === 0) return new Set();
  const { rows } = await sql<{ hcpcs: string }>`
    select distinct hcpcs from cms.pfs_rvu where hcpcs = any(${[...codes]}::text[])
    union
    select distinct hcpcs from cms.hcpcs_code where hcpcs = any(${[...codes]}::text[])`.execute(db);
  return new Set(rows.map((row) => row.hcpcs));
}

export interface CurrentReleaseIds {
  pfs: string | null;
  hcpcs: string | null;
}

/** The current PFS (PPRRVU) and HCPCS (codes) releases: what cms.code_catalog shows. */
export async function currentCatalogReleases(db: Kysely<Schema>): Promise<CurrentReleaseIds> {
  const { rows } = await sql<{ family: string; release_id: string }>`
    select family, release_id from cms.current_releases
    where (family = 'pfs' and dataset = 'pprrvu') or (family = 'hcpcs' and dataset = 'hcpcs_code')`.execute(db);
  return {
    pfs: rows.find((row) => row.family === 'pfs')?.release_id ?? null,
    hcpcs: rows.find((row) => row.family === 'hcpcs')?.release_id ?? null,
  };
}

export interface WrittenAgainst {
  pfs_description: string | null;
  pfs_status_code: string | null;
  hcpcs_long_description: string | null;
  hcpcs_short_description: string | null;
}

/** The CMS descriptors of `codes` in the given releases (what a new version is written against). */
export async function descriptorsOf(db: Kysely<Schema>, releases: CurrentReleaseIds, codes: readonly string[]): Promise<Map<string, WrittenAgainst>> {
  const result = new Map<string, WrittenAgainst>();
  const entry = (code: string) => {
    let found = result.get(code);
    if (!found) {
      found = { pfs_description: null, pfs_status_code: null, hcpcs_long_description: null, hcpcs_short_description: null };
      result.set(code, found);
    }
    return found;
  };
  if (codes.length === 0) return result;
  if (releases.pfs) {
    const rows = await db
      .selectFrom('cms.pfs_rvu')
      .select(['hcpcs', 'description', 'status_code'])
      .where('release_id', '=', releases.pfs)
      .where('modifier', '=', '')
      .where(sql<boolean>`hcpcs = any(${[...codes]}::text[])`)
      .execute();
    for (const row of rows) Object.assign(entry(row.hcpcs), { pfs_description: row.description, pfs_status_code: row.status_code });
  }
  if (releases.hcpcs) {
    const rows = await db
      .selectFrom('cms.hcpcs_code')
      .select(['hcpcs', 'long_description', 'short_description'])
      .where('release_id', '=', releases.hcpcs)
      .where(sql<boolean>`hcpcs = any(${[...codes]}::text[])`)
      .execute();
    for (const row of rows) {
      Object.assign(entry(row.hcpcs), { hcpcs_long_description: row.long_description, hcpcs_short_description: row.short_description });
    }
  }
  return result;
}

/** The last version number of each entry that has a history (retired ones included). */
export async function lastVersions(db: Kysely<Schema>): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('cms.editorial_version')
    .select(['entry_type', 'entry_key', sql<number>`max(version)`.as('version')])
    .groupBy(['entry_type', 'entry_key'])
    .execute();
  return new Map(rows.map((row) => [`${row.entry_type}:${row.entry_key}`, Number(row.version)]));
}

/** The newest editorial version id: what a downstream copy of the catalog can say it has. */
export async function editorialVersion(db: Kysely<Schema>): Promise<string | null> {
  const row = await db.selectFrom('cms.editorial_version').select(sql<string | null>`max(id)::text`.as('id')).executeTakeFirst();
  return row?.id ?? null;
}
