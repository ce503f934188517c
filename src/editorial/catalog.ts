/**
 * Catalog queries: the merged record of one code, and full-text search, over
 * cms.code_catalog_as_of(pfs_release_id, hcpcs_release_id) — the function behind the view
 * cms.code_catalog — for the current releases or the ones named with `releases`.
 */
import { sql, type Kysely } from 'kysely';
import type { CodeCatalogView, Schema } from '../db/schema.js';
import { UsageError } from '../errors.js';
import { isHcpcsCode } from '../parse/values.js';
import type { ScheduleEntry } from './schedules.js';
import { currentCatalogReleases, type CurrentReleaseIds } from './store.js';
import type { CatalogRules } from './rules.js';

export interface CatalogOptions {
  /** release codes (`RVU25D`, `HCPC2025_OCT`, `CODE@REVISION`), at most one per family; the others are current */
  readonly releases?: readonly string[] | undefined;
}

export interface CatalogSource {
  family: string;
  code: string;
  revision: number;
  title: string;
}

export interface CatalogRecord {
  code: string;
  kind: string | null;
  category: { id: string; label: string } | null;
  title: string | null;
  hcpcs: { long_description: string; short_description: string; termination_date: string | null } | null;
  pfs: {
    description: string | null;
    status: { code: string; meaning: string | null; payment: string | null; paid_from_rvus: boolean };
    work_rvu: string | null;
    nonfac_total: string | null;
    fac_total: string | null;
    nonfac_na: boolean;
    fac_na: boolean;
    global_days: string | null;
    conv_factor: string | null;
    conv_factor_qpp: string | null;
    /** total RVUs × CF, rounded once to cents; null where the status is not paid from RVUs */
    national: { nonfac: string | null; fac: string | null; nonfac_qpp: string | null; fac_qpp: string | null };
  } | null;
  editorial: {
    title: string | null;
    summary: string | null;
    synonyms: string[];
    plain_language: string | null;
    clinical_context: string | null;
    specialties: string[];
    version: number;
    updated_at: string;
  } | null;
  /** the code's own billing notes, else its category's */
  billing_notes: { text: string; from: 'code' | 'category'; category?: string } | null;
  sources: CatalogSource[];
  /**
   * The code in the other Medicare schedules (OPPS Addendum B, ASP, CLFS) in effect now: status,
   * amount where the schedule pays it separately, release and quarter (codeSchedules). Empty when
   * none has it or none is loaded.
   */
  schedules: ScheduleEntry[];
}

export interface CatalogSearchResult {
  query: string;
  releases: CatalogSource[];
  matches: { code: string; kind: string | null; title: string | null; category: string | null; rank: number }[];
}

/** Which releases a catalog query reads. */
async function chooseReleases(db: Kysely<Schema>, options: CatalogOptions): Promise<CurrentReleaseIds> {
  const chosen = await currentCatalogReleases(db);
  const named = new Set<string>();
  for (const text of options.releases ?? []) {
    const release = await findRelease(db, text);
    if (release.family !== 'pfs' && release.family !== 'hcpcs') throw new UsageError(`--release ${text}: the catalog shows PFS and HCPCS releases`);
    if (named.has(release.family)) throw new UsageError(`--release: two ${release.family} releases given; name at most one per family`);
    named.add(release.family);
    chosen[release.family] = release.id;
  }
  return chosen;
}

async function findRelease(db: Kysely<Schema>, text: string): Promise<{ id: string; family: string }> {
  const match = /^([A-Za-z0-9_]+?)(?:@(\d+))?$/.exec(text.trim());
  if (!match) throw new UsageError(`--release ${text}: expected a release code like RVU26A or HCPC2026_JAN, or CODE@REVISION`);
  let query = db.selectFrom('cms.releases').select(['id', 'family', 'status', 'revision']).where(sql<boolean>`upper(code) = ${match[1]!.toUpperCase()}`);
  query = match[2] === undefined ? query.where('status', '=', 'active') : query.where('revision', '=', Number(match[2]));
  const rows = await query.execute();
  if (rows.length === 0) throw new UsageError(`--release ${text}: no such release is loaded (cms-ingest releases lists them)`);
  return rows[0]!;
}

async function sourcesOf(db: Kysely<Schema>, rules: CatalogRules, ids: readonly (string | null)[]): Promise<CatalogSource[]> {
  const present = ids.filter((id): id is string => id !== null);
  if (present.length === 0) return [];
  const rows = await db.selectFrom('cms.releases').select(['family', 'code', 'revision']).where(sql<boolean>`id = any(${present}::bigint[])`).orderBy('family', 'desc').execute();
  return rows.map((row) => ({ ...row, title: rules.releaseTitle(row.family, row.code) }));
}

const asOf = (releases: CurrentReleaseIds) => sql`cms.code_catalog_as_of(${releases.pfs}::bigint, ${releases.hcpcs}::bigint)`;

/** The merged record of one code; undefined when no release of those chosen nor any entry has it. */
/** `rules`: how a release is named (pipelines/catalog/, handed in by src/index.ts). */
/**
 * The loaded PFS and HCPCS releases (any revision, current or not) whose snapshot has `code`,
 * newest first: what to name when the current catalog lacks a code an older release carried.
 */
export async function releasesCarrying(db: Kysely<Schema>, code: string): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`
    select r.code || case when r.revision > 0 then '@' || r.revision else '' end as name
    from cms.releases r
    where exists (select 1 from cms.pfs_rvu p where p.release_id = r.id and p.hcpcs = ${code.trim().toUpperCase()})
       or exists (select 1 from cms.hcpcs_code h where h.release_id = r.id and h.hcpcs = ${code.trim().toUpperCase()})
    order by r.effective_from desc, r.revision desc`.execute(db);
  return rows.map((row) => row.name);
}

export async function catalogRecord(db: Kysely<Schema>, rules: CatalogRules, code: string, options: CatalogOptions = {}): Promise<CatalogRecord | undefined> {
  // `catalog 99213x` is a typo, not a code the catalog lacks
  if (!isHcpcsCode(code.trim().toUpperCase())) throw new UsageError(`${JSON.stringify(code)} is not an HCPCS/CPT code: expected 5 letters or digits, such as 99213 or G0008`);
  const releases = await chooseReleases(db, options);
  const { rows } = await sql<CodeCatalogView & { updated_at_text: string | null }>`
    select c.*, to_char(c.editorial_updated_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as updated_at_text
    from ${asOf(releases)} c where c.hcpcs = ${code.trim().toUpperCase()}`.execute(db);
  const row = rows[0];
  if (!row) return undefined;
  return {
    code: row.hcpcs,
    kind: row.kind,
    category: row.category ? { id: row.category, label: row.category_label ?? '' } : null,
    title: row.title,
    hcpcs:
      row.hcpcs_release === null
        ? null
        : { long_description: row.long_description!, short_description: row.short_description!, termination_date: row.termination_date },
    pfs:
      row.pfs_release === null || row.status_code === null
        ? null
        : {
            description: row.pfs_description,
            status: { code: row.status_code, meaning: row.status_meaning, payment: row.status_payment, paid_from_rvus: row.paid_from_rvus === true },
            work_rvu: row.work_rvu,
            nonfac_total: row.nonfac_total,
            fac_total: row.fac_total,
            nonfac_na: row.nonfac_na === true,
            fac_na: row.fac_na === true,
            global_days: row.global_days,
            conv_factor: row.conv_factor,
            conv_factor_qpp: row.conv_factor_qpp,
            national: {
              nonfac: row.national_nonfac_amount,
              fac: row.national_fac_amount,
              nonfac_qpp: row.national_nonfac_amount_qpp,
              fac_qpp: row.national_fac_amount_qpp,
            },
          },
    editorial:
      row.editorial_version === null
        ? null
        : {
            title: row.editorial_title,
            summary: row.summary,
            synonyms: row.synonyms,
            plain_language: row.plain_language,
            clinical_context: row.clinical_context,
            specialties: row.specialties,
            version: row.editorial_version,
            updated_at: row.updated_at_text!,
          },
    billing_notes:
      row.billing_notes === null
        ? null
        : row.billing_notes_from === 'code'
          ? { text: row.billing_notes, from: 'code' }
          : { text: row.billing_notes, from: 'category', category: row.billing_notes_from! },
    sources: await sourcesOf(db, rules, [row.pfs_release_id, row.hcpcs_release_id]),
    schedules: [],
  };
}

/**
 * Codes ranked by a PostgreSQL full-text match (english configuration, the same on PGlite): the
 * code, the title and synonyms weigh most, then the CMS descriptors, then the plain-language line.
 */
export async function searchCatalog(db: Kysely<Schema>, rules: CatalogRules, text: string, options: CatalogOptions & { limit?: number } = {}): Promise<CatalogSearchResult> {
  const limit = options.limit ?? 20;
  if (!Number.isInteger(limit) || limit < 1) throw new UsageError(`--limit ${limit}: expected a whole number of 1 or more`);
  if (text.trim() === '') throw new UsageError('catalog search: give the words to search for');
  const releases = await chooseReleases(db, options);
  const { rows } = await sql<{ hcpcs: string; kind: string | null; title: string | null; category: string | null; rank: number }>`
    select d.hcpcs, d.kind, d.title, d.category, ts_rank(d.document, q.ranked)::float8 as rank
    from (
      select c.hcpcs, c.kind, c.title, c.category,
        setweight(to_tsvector('english', c.hcpcs), 'A')
        || setweight(to_tsvector('english', concat_ws(' ', c.editorial_title, array_to_string(c.synonyms, ' '))), 'A')
        || setweight(to_tsvector('english', concat_ws(' ', c.long_description, c.short_description, c.pfs_description)), 'B')
        || setweight(to_tsvector('english', coalesce(c.plain_language, '')), 'C') as document
      from ${asOf(releases)} c
    ) d, (
      -- ranked without its "-word" terms: ts_rank scores a query holding a negation about 0 for
      -- every document; querytree() keeps the positive part ('T' when nothing is left)
      select query, case when querytree(query) = 'T' then query else querytree(query)::tsquery end as ranked
      from websearch_to_tsquery('english', ${text}) as query
    ) q
    where d.document @@ q.query
    order by rank desc, d.hcpcs collate "C"
    limit ${limit}`.execute(db);
  return {
    query: text,
    releases: await sourcesOf(db, rules, [releases.pfs, releases.hcpcs]),
    matches: rows.map((row) => ({ code: row.hcpcs, kind: row.kind, title: row.title, category: row.category, rank: Number(row.rank) })),
  };
}
