/**
 * One consistent snapshot of what to publish: the current releases, the editorial version and
 * every published table, read in one REPEATABLE READ transaction on the source database, so that
 * a release loading meanwhile is either wholly in it or wholly out of it.
 */
import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/database.js';
import { UsageError } from '../errors.js';
import type { Schema } from '../db/schema.js';
import { editorialVersion as editorialVersionOf } from '../editorial/store.js';
import { releaseLocalities } from '../payment/queries/localities.js';
import type { Family } from '../pipeline.js';
import { quoteIdentifier as ident } from '../db/pool.js';
import { copyTextValues, decodeCopyRows, decodeJsonArrays, isNumeric, jsonArraysQuery, orderedQuery, type SnapshotColumn } from './row-values.js';
import { PUBLISHED_TABLES, type PublishSelection } from './tables.js';

export type { SnapshotColumn } from './row-values.js';

export interface SnapshotTable {
  readonly name: string;
  readonly key: readonly string[];
  readonly indexes: readonly (readonly string[])[];
  readonly columns: readonly SnapshotColumn[];
  /** the rows as COPY text, in key order */
  copy(): AsyncIterable<Buffer>;
  /**
   * The rows in key order, some thousands at a time, each row its values in the order of
   * `columns`, as JSON gives them; numeric values are exact decimal strings.
   */
  valueBatches(): AsyncIterable<unknown[][]>;
  /** the most digits after the point in each numeric column (Parquet's DECIMAL scale) */
  numericScales(): Promise<Record<string, number>>;
}

/** A release the snapshot was taken from, for one dataset. */
export interface SnapshotRelease {
  readonly family: string;
  readonly dataset: string;
  readonly code: string;
  readonly revision: number;
  readonly archive_sha256: string;
}

export interface SnapshotRequest {
  readonly omitCptDescriptors?: boolean;
  readonly paymentLocalities?: 'all' | 'none' | readonly string[];
  /** stops reading the tables out (SIGINT): what was being written fails, and is rolled back or removed */
  readonly signal?: AbortSignal | undefined;
}

export interface Snapshot {
  readonly releases: readonly SnapshotRelease[];
  readonly editorialVersion: string | null;
  /** the options that shape the published content, as recorded */
  readonly options: { readonly omit_cpt_descriptors: boolean; readonly payment_localities: 'all' | 'none' | readonly string[] };
  /** sha256 of releases + editorial version + options: equal signatures publish equal tables */
  readonly signature: string;
  readonly tables: readonly SnapshotTable[];
}

/** Run `work` over a snapshot of the source; the snapshot is valid only while `work` runs. */
export async function withSnapshot<T>(
  source: Database,
  families: readonly Family[],
  request: SnapshotRequest,
  work: (snapshot: Snapshot) => Promise<T>,
): Promise<T> {
  return source.transaction(
    async (tx) => {
      const releases = await currentReleases(tx.db);
      const editorialVersion = await editorialVersionOf(tx.db);
      const options = {
        omit_cpt_descriptors: request.omitCptDescriptors === true,
        payment_localities: request.paymentLocalities ?? 'all',
      };
      const selection: PublishSelection = {
        omitCptDescriptors: options.omit_cpt_descriptors,
        paymentLocalities: options.payment_localities,
        paymentReleaseId: releases.length > 0 ? await currentReleaseId(tx.db, 'pfs', 'pprrvu') : undefined,
        licensedText: licensedTextOf(families),
      };
      if (selection.paymentReleaseId !== undefined && options.payment_localities !== 'none') {
        const paymentRelease = releases.find((release) => release.family === 'pfs' && release.dataset === 'pprrvu')!;
        await checkPayments(tx.db, selection.paymentReleaseId, paymentRelease, options.payment_localities);
      }
      const tables: SnapshotTable[] = [];
      for (const table of PUBLISHED_TABLES) {
        const query = await table.select(selection, async (source) => (await describe(tx.db, source)).map((column) => column.name));
        const columns = await describe(tx.db, query);
        tables.push({
          name: table.name,
          key: table.key,
          indexes: table.indexes ?? [],
          columns,
          copy: () => untilAborted(tx.copyOut(query), request.signal),
          valueBatches: () => {
            // COPY text where every column's text is its value (the payments: 2 million rows,
            // ≈ 6 s less of the server's time than building JSON); JSON arrays otherwise
            const decoders = copyTextValues(columns);
            if (decoders) return decodeCopyRows(untilAborted(tx.copyOut(orderedQuery(query, table.key)), request.signal), decoders);
            return decodeJsonArrays(untilAborted(tx.copyOut(jsonArraysQuery(query, columns, table.key)), request.signal), columns.length);
          },
          numericScales: () => numericScales(tx.db, query, columns),
        });
      }
      const signature = createHash('sha256')
        .update(JSON.stringify({ releases, editorialVersion, options, tables: tables.map((table) => [table.name, table.columns]), content: await contentState(tx.db) }))
        .digest('hex');
      return work({ releases, editorialVersion, options, signature, tables });
    },
    { isolation: 'repeatable read' },
  );
}

/** The chunks of `chunks` until `signal` aborts: then its reason is thrown (and the COPY out closed). */
async function* untilAborted<T>(chunks: AsyncIterable<T>, signal: AbortSignal | undefined): AsyncGenerator<T> {
  signal?.throwIfAborted();
  for await (const chunk of chunks) {
    signal?.throwIfAborted();
    yield chunk;
  }
}

async function currentReleases(db: Kysely<Schema>): Promise<SnapshotRelease[]> {
  const { rows } = await sql<SnapshotRelease>`
    select c.family, c.dataset, c.code, c.revision, r.archive_sha256
    from cms.current_releases c join cms.releases r on r.id = c.release_id
    order by c.family, c.dataset`.execute(db);
  return rows;
}

/**
 * What the published tables hold besides the current releases: every loaded release as the
 * `releases` table shows it (a superseded or older release loaded later changes it, and the change
 * feed with it), the change feed's extent, and the migrations applied (a new version's SQL — the
 * payment formula, the catalog view — changes the rows without changing any release).
 */
async function contentState(db: Kysely<Schema>): Promise<string> {
  const { rows } = await sql<{ state: string }>`
    select json_build_object(
      'releases', (
        select coalesce(json_agg(json_build_array(r.family, r.code, r.revision, r.status, s.code || '@' || s.revision, r.effective_from,
          r.published_on, r.archive_sha256, r.source_name, r.source_url, r.loaded_at) order by r.family, r.code, r.revision), '[]'::json)
        from cms.releases r left join cms.releases s on s.id = r.superseded_by),
      'code_change', (select json_build_array(count(*), max(c.id)) from cms.code_change c),
      'migrations', (select coalesce(json_agg(m.name order by m.name), '[]'::json) from cms.kysely_migration m)
    )::text as state`.execute(db);
  return rows[0]!.state;
}

async function currentReleaseId(db: Kysely<Schema>, family: string, dataset: string): Promise<string | undefined> {
  const { rows } = await sql<{ release_id: string }>`
    select release_id from cms.current_releases where family = ${family} and dataset = ${dataset}`.execute(db);
  return rows[0]?.release_id;
}



/**
 * The payments asked for can be written. The current PFS release's payments are computed from its
 * own GPCIs (never another release's), so a release without localities (no GPCI file) would
 * publish an empty `pfs_payment` over every payment downstream, exit 0: a failure of the target,
 * not of usage, so that `sync --publish-to` reports it per target. And every MAC-LOCALITY asked
 * for is one of the release's: a mistyped one would publish no payments for it, and a list of
 * only mistyped ones an empty payments table in place of a full one.
 */
async function checkPayments(db: Kysely<Schema>, releaseId: string, release: SnapshotRelease, requested: Snapshot['options']['payment_localities']): Promise<void> {
  const known = new Set((await releaseLocalities(db, releaseId)).map((locality) => `${locality.mac}-${locality.locality}`));
  if (known.size === 0) {
    throw new Error(
      `${release.code}@${release.revision}, the current PFS release, has no GPCI file loaded, so its payments cannot be computed by locality ` +
        `and pfs_payment would be empty: load its GPCI file (import the whole release), or publish with --payment-localities none; nothing was written`,
    );
  }
  if (!Array.isArray(requested)) return;
  const unknown = requested.filter((locality) => !known.has(locality));
  if (unknown.length === 0) return;
  throw new UsageError(
    `--payment-localities: ${unknown.join(', ')} ${unknown.length === 1 ? 'is not a locality' : 'are not localities'} of ${release.code}, ` +
      `the current PFS release (it has ${known.size}; \`cms-ingest price <code> --locality <a name or county>\` finds one's MAC-LOCALITY); nothing was written`,
  );
}

function licensedTextOf(families: readonly Family[]): Record<string, readonly string[]> {
  const licensed: Record<string, readonly string[]> = {};
  for (const family of families) {
    for (const dataset of family.datasets) if (dataset.licensedText) licensed[dataset.table] = dataset.licensedText;
  }
  return licensed;
}

/** The columns a query returns, with their types: through a temporary view, dropped at once. */
async function describe(db: Kysely<Schema>, query: string): Promise<SnapshotColumn[]> {
  await sql`create temporary view cms_ingest_publish_describe as ${sql.raw(query)}`.execute(db);
  try {
    const { rows } = await sql<SnapshotColumn>`
      select a.attname as name, format_type(a.atttypid, a.atttypmod) as type
      from pg_attribute a
      where a.attrelid = 'pg_temp.cms_ingest_publish_describe'::regclass and a.attnum > 0 and not a.attisdropped
      order by a.attnum`.execute(db);
    return rows;
  } finally {
    await sql`drop view pg_temp.cms_ingest_publish_describe`.execute(db);
  }
}

async function numericScales(db: Kysely<Schema>, query: string, columns: readonly SnapshotColumn[]): Promise<Record<string, number>> {
  const numeric = columns.filter(isNumeric);
  if (numeric.length === 0) return {};
  const { rows } = await sql<Record<string, number | null>>`
    select ${sql.raw(numeric.map((column) => `coalesce(max(scale(t.${ident(column.name)})), 0)::int as ${ident(column.name)}`).join(', '))}
    from (${sql.raw(query)}) t`.execute(db);
  return Object.fromEntries(numeric.map((column) => [column.name, Number(rows[0]?.[column.name] ?? 0)]));
}

