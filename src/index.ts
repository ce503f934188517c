/**
 * The programmatic API of cms-ingest. The CLI calls only this; so can any TypeScript program.
 */
import { families } from '../pipelines/index.js';
import * as pfsPaymentRules from '../pipelines/pfs/payment.js';
import { CODE_CATEGORIES, CODE_SHAPE, CODE_SHAPE_EXPECTED } from '../pipelines/catalog/categories.js';
import { releaseTitle } from '../pipelines/catalog/release-titles.js';
import { connect } from './db/connect.js';
import type { Database } from './db/database.js';
import { migrate } from './db/migrate.js';
import { checkFamily, listReleases as listWith, type ReleaseSummary } from './releases/list.js';
import { rememberedReleases as rememberedWith } from './releases/remembered.js';
import { importRelease as importWith, type ImportOptions, type ImportResult } from './releases/import.js';
import type { ImportSetup, LoadStep } from './releases/steps.js';
import { checkSyncOptions as checkWith, syncFamilies, syncReleases as syncWith, type SyncOptions, type SyncResult } from './sync/sync.js';
import { syncOpeningWhenNeeded as whenNeededWith, type LoadedArchive } from './sync/opening-when-needed.js';
import type { ScheduleOptions, Schedule } from './schedule/schedule.js';
import type { DestinationStream, Logger } from './schedule/log.js';
import { codeSchedules as schedulesWith, type ScheduleEntry, type ScheduleOptions as CodeScheduleOptions } from './editorial/schedules.js';
import { changeFeedStep, diffReleases as diffWith, type DiffOptions, type ReleaseDiff } from './diff/index.js';
import {
  exportFiles as exportWith,
  publish as publishWith,
  type ExportManifest,
  type ExportOptions,
  type PublishOptions,
  type PublishTargetResult,
} from './publish/index.js';
import { priceCode as priceWith, priceSchedule as scheduleOf, type PriceOptions, type PriceResult, type ScheduleOptions as FeeScheduleOptions, type ScheduleResult as FeeSchedule } from './payment/index.js';
import * as editorial from './editorial/index.js';

export { resolveConfig, type Config } from './config.js';
export type { Database, Transaction } from './db/database.js';
export type { Family, FamilyId } from './pipeline.js';
export { InputError, UsageError, LockHeldError } from './errors.js';
export type { ReleaseSummary } from './releases/list.js';
export type { LoadedArchive } from './sync/opening-when-needed.js';
export { forgetReleases, rememberReleases } from './releases/remembered.js';
export type { ImportOptions, ImportResult, ImportEvent } from './releases/import.js';
export type { ImportSetup, LoadedRelease, LoadStep } from './releases/steps.js';
/** Pure renderers of results (src/cli/render/), for API users as for the CLI. */
export { renderDiff, DIFF_FORMATS, type DiffFormat } from './cli/render/diff/index.js';
export type {
  ChangeKind, DiffChange, DiffMismatch, DiffMove, DiffOptions, DiffReconciliation, DiffSummary, DiffValue, ReleaseDiff, ValueChange,
} from './diff/index.js';
export { families };
export { renderPrice, renderSchedule, SCHEDULE_FORMATS, type ScheduleFormat } from './payment/index.js';
export type {
  AnesthesiaPrice, Indicator, PriceOptions, PriceResult, PricingLocality, PricingRelease, ScheduleOptions as FeeScheduleOptions,
  ScheduleResult as FeeSchedule, ScheduleRow as FeeScheduleRow, SettingPrice,
} from './payment/index.js';
export {
  defaultSince,
  syncDeadlines,
  type FetchStatus,
  type LoadStatus,
  type SyncCounts,
  type SyncEvent,
  type SyncOptions,
  type SyncOutcome,
  type SyncRelease,
  type SyncResult,
} from './sync/sync.js';
export { DEFAULT_CRON } from './schedule/defaults.js';
export type { RunOutcome, Schedule, ScheduleOptions } from './schedule/schedule.js';
export type { Logger } from './schedule/log.js';
export { DEFAULT_PUBLISH_SCHEMA, EXPORT_FORMATS, checkPublishTargets, type ExportFormat, type ExportManifest, type ExportOptions, type PublishOptions, type PublishTargetResult, type PublishedTableResult, type PublishStep } from './publish/index.js';
export { DEMO_CATALOG_CODE, DEMO_EDITORIAL, DEMO_SITE, startDemoSite } from './demo/index.js';
export { startSiteServer, type SiteServer, type SiteServerOptions } from './demo/site-server.js';
export { normalizeMirror, type HttpClientOptions } from './sources/index.js';
export { TEXT_ENCODINGS, type TextEncoding } from './parse/encoding.js';
export {
  EXPORT_FORMATS as EDITORIAL_EXPORT_FORMATS,
  REVIEW_FORMATS,
  REVIEW_REASONS,
  renderCatalogRecord,
  renderImportResult,
  renderResolve,
  renderReview,
  renderSearch,
  type CatalogOptions,
  type CatalogRecord,
  type CatalogSearchResult,
  type CatalogSource,
  type EditorialImportOptions,
  type EditorialImportResult,
  type ExportResult as EditorialExportResult,
  type ResolveResult,
  type ReviewFilter,
  type ReviewFormat,
  type ReviewItem,
  type ReviewQueue,
} from './editorial/index.js';

/** The loaded releases (of one family: `pfs`, `hcpcs`; any other is a UsageError). */
export function listReleases(database: Database, filter: { family?: string | undefined } = {}): Promise<ReleaseSummary[]> {
  return listWith(database, filter, families.map((family) => family.name));
}

/**
 * listReleases of the embedded database in `home` without opening it: the list its last clean
 * close left (rememberReleases), if nothing has opened the database since; else undefined.
 */
export function rememberedReleases(home: string, filter: { family?: string | undefined } = {}): Promise<ReleaseSummary[] | undefined> {
  checkFamily(filter, families.map((family) => family.name));
  return rememberedWith(home, filter);
}

/**
 * What runs inside every load's transaction, in order, once the release's rows are in (see
 * src/releases/steps.ts). A stage that derives data from a release adds its step here.
 */
const loadSteps: readonly LoadStep[] = [
  changeFeedStep, // cms.code_change: the release against the one before it (src/diff/feed.ts)
  editorial.reviewQueueStep, // cms.review_item: what that feed made stale for editors (src/editorial/review/on-load.ts)
];

/** What the catalog and the editorial import need of CMS codes (pipelines/catalog/), handed to src/editorial/. */
const catalogRules: editorial.CatalogRules = {
  codeShape: CODE_SHAPE,
  codeShapeExpected: CODE_SHAPE_EXPECTED,
  categoryIds: CODE_CATEGORIES.map((category) => category.id),
  releaseTitle,
};

/** The engine as this build composes it: the families of pipelines/ and the load steps. */
export const importSetup: ImportSetup = { families, steps: loadSteps };

/** The families `sync` finds on the CMS site (those whose pipelines declare their pages). */
export const SYNC_FAMILIES: readonly string[] = syncFamilies(families);

/** Check sync options without running anything (a UsageError names the bad option); syncReleases checks them the same way. */
export function checkSyncOptions(options: Pick<SyncOptions, 'families' | 'since' | 'mirror' | 'concurrency' | 'now' | 'pageDeadline' | 'downloadDeadline'>): ReturnType<typeof checkWith> {
  return checkWith(families, options);
}

/** Open the configured database (Postgres, or the embedded one) with its schema up to date. */
export const openDatabase = connect;

/** Apply pending migrations; returns their names. */
export async function runMigrations(database: Database): Promise<string[]> {
  return (await migrate(database.db)).applied;
}

/** Load one release (a zip, the folder it unzips to, or one of its files). */
export function importRelease(database: Database, source: string, options: ImportOptions = {}): Promise<ImportResult> {
  return importWith(database, importSetup, source, options);
}

/**
 * What changed between two loaded releases of one family (`RVU25D`, `RVU25D@0`, `latest`,
 * `previous`), for one dataset (default: the family's main one). See the README's Diffs section.
 */
export function diffReleases(database: Database, from: string, to: string, options: DiffOptions = {}): Promise<ReleaseDiff> {
  return diffWith(database.db, families, from, to, options);
}

/**
 * Discover, download and load what is new on the CMS site (or a mirror); one sync at a time per
 * database (LockHeldError otherwise). See src/sync/sync.ts.
 */
export function syncReleases(database: Database, options: SyncOptions): Promise<SyncResult> {
  return syncWith(database, importSetup, options);
}

/**
 * syncReleases on a database opened only if the run needs it: `loaded` (rememberedReleases)
 * answers which archives are loaded until one is missing, then `open` is called. A run that finds
 * nothing new never opens it. See src/sync/opening-when-needed.ts.
 */
export function syncOpeningWhenNeeded(loaded: readonly LoadedArchive[], open: () => Promise<Database>, options: SyncOptions): Promise<SyncResult> {
  return whenNeededWith(importSetup, options, loaded, open);
}

/**
 * The other Medicare schedules of one code (OPPS Addendum B, ASP, CLFS): status and amount in the
 * release in effect (now, or on `date`), with words for "no separate payment", never a bare 0.
 */
export function codeSchedules(database: Database, hcpcs: string, options: CodeScheduleOptions = {}): Promise<ScheduleEntry[]> {
  return schedulesWith(database.db, families, hcpcs.trim().toUpperCase(), options);
}
export type { ScheduleEntry, CodeScheduleOptions };

/** Run sync on a cron schedule until stop(); see src/schedule/schedule.ts. Loads croner on first use. */
export async function startSchedule(options: Omit<ScheduleOptions, 'setup' | 'afterRun'> & { publish?: PublishAfterSync }): Promise<Schedule> {
  const { startSchedule: scheduleWith } = await import('./schedule/schedule.js');
  const { publish: publishTo, ...rest } = options;
  const afterRun: ScheduleOptions['afterRun'] = publishTo
    ? async (database, result, log) => {
        for (const published of await publishAfterSync(database, result, publishTo)) {
          const line = { event: 'published', target: published.target, outcome: published.outcome, tables: published.tables.map((table) => ({ name: table.name, rows: table.rows })) };
          if (published.outcome === 'failed') log.error({ ...line, error: published.error }, published.error ?? 'publish failed');
          else log.info(line, `${published.target}: ${published.outcome}`);
        }
      }
    : undefined;
  return scheduleWith({ ...rest, setup: importSetup, afterRun });
}

/** What `sync --publish-to` and `schedule --publish-to` publish to after a run. */
export interface PublishAfterSync {
  readonly targets: readonly string[];
  readonly schema?: string;
}

/**
 * Publish to each target after a sync that loaded something (nothing new loaded: nothing to
 * publish, and no target is contacted).
 */
export async function publishAfterSync(database: Database, result: SyncResult, options: PublishAfterSync): Promise<PublishTargetResult[]> {
  if (options.targets.length === 0 || result.aborted || result.counts.loaded === 0) return [];
  return publish(database, { targets: options.targets, schema: options.schema });
}

/** A sync and what `--publish-to` published after it: one result, for the CLI and API users alike. */
export interface SyncAndPublishResult {
  sync: SyncResult;
  /** undefined: no target asked for; [] a run that loaded nothing (no target contacted) */
  published: PublishTargetResult[] | undefined;
  /** the sync is ok and no target failed */
  ok: boolean;
}

/**
 * syncAndPublish on a database opened only if the run needs it (syncOpeningWhenNeeded): a run
 * that opens it loads and publishes as syncAndPublish does; one that does not loaded nothing.
 */
export async function syncAndPublishOpeningWhenNeeded(
  loaded: readonly LoadedArchive[],
  open: () => Promise<Database>,
  options: SyncOptions & { publish?: PublishAfterSync | undefined },
): Promise<SyncAndPublishResult> {
  const { publish: publishTo, ...sync } = options;
  let database: Database | undefined;
  const synced = await whenNeededWith(importSetup, sync, loaded, async () => (database = await open()));
  const published = publishTo === undefined || synced.aborted ? undefined : database === undefined ? [] : await publishAfterSync(database, synced, publishTo);
  return { sync: synced, published, ok: synced.ok && !(published ?? []).some((target) => target.outcome === 'failed') };
}

/** Sync, then publish to `options.publish`'s targets if the run loaded something (see publishAfterSync). */
export async function syncAndPublish(database: Database, options: SyncOptions & { publish?: PublishAfterSync | undefined }): Promise<SyncAndPublishResult> {
  const { publish: publishTo, ...sync } = options;
  const synced = await syncReleases(database, sync);
  const published = publishTo === undefined || synced.aborted ? undefined : await publishAfterSync(database, synced, publishTo);
  return { sync: synced, published, ok: synced.ok && !(published ?? []).some((target) => target.outcome === 'failed') };
}

/**
 * Publish one consistent snapshot (releases, change feed, catalog, payments) into each
 * downstream PostgreSQL target, swapped in atomically; see src/publish/.
 */
export function publish(database: Database, options: PublishOptions): Promise<PublishTargetResult[]> {
  return publishWith(database, families, options);
}

/** Export the same tables as files (csv, jsonl or parquet) with a manifest; see src/publish/. */
export function exportFiles(database: Database, options: ExportOptions): Promise<ExportManifest> {
  return exportWith(database, families, options);
}

/** The JSON-lines logger of `schedule` (stdout unless given a destination); loads pino on first use. */
export async function createScheduleLogger(destination?: DestinationStream): Promise<Logger> {
  return (await import('./schedule/log.js')).createScheduleLogger(destination);
}

/**
 * What Medicare pays for one code in one locality (`price`): the amounts of both settings, how
 * they were computed, the OPPS cap, the claim indicators. See src/payment/ and the README's Pricing.
 */
export async function priceCode(database: Database, options: PriceOptions): Promise<PriceResult> {
  const result = await priceWith(database.db, pfsPaymentRules, options);
  // beside the PFS: the families' other schedules, in effect on the same --date (or now)
  return { ...result, schedules: await codeSchedules(database, result.hcpcs, { modifier: result.modifier, date: options.date }) };
}

/** A locality's whole fee schedule (`price --all`): one row per code and modifier of the release. */
export function priceSchedule(database: Database, options: FeeScheduleOptions): Promise<FeeSchedule> {
  return scheduleOf(database.db, options);
}

/**
/**
 * Load editorial entries (csv, xlsx, json, jsonl, yaml files or folders of them) in one
 * transaction; refused whole, naming file, line and column, when anything does not fit.
 */
export function importEditorial(database: Database, paths: readonly string[], options: editorial.EditorialImportOptions = {}): Promise<editorial.EditorialImportResult> {
  return editorial.importEditorial(database, catalogRules, paths, options);
}

/** Write the current entries to FILE (.xlsx, .csv or .json) in the import layout. */
export function exportEditorial(database: Database, file: string): Promise<editorial.ExportResult> {
  return editorial.exportEditorial(database.db, file);
}

/** The open items of the editors' review queue, grouped by reason. */
export function reviewQueue(database: Database, filter: editorial.ReviewFilter = {}): Promise<editorial.ReviewQueue> {
  return editorial.openReviewItems(database.db, filter);
}

/** Record that an editor looked at these codes' open review items (`by`: default the OS user). */
export function resolveReviewItems(
  database: Database,
  codes: readonly string[],
  options: { reason?: string | undefined; note?: string | undefined; by?: string | undefined } = {},
): Promise<editorial.ResolveResult> {
  return editorial.resolveByEditor(database.db, codes, { ...options, by: options.by ?? editorial.osUser() });
}

/** The merged catalog record of one code (CMS data + editorial), or undefined when nothing has it. */
export async function catalogRecord(database: Database, code: string, options: editorial.CatalogOptions = {}): Promise<editorial.CatalogRecord | undefined> {
  const record = await editorial.catalogRecord(database.db, catalogRules, code, options);
  // the other schedules are the families' (pipelines/*/schedule.ts), handed in here
  return record === undefined ? undefined : { ...record, schedules: await codeSchedules(database, record.code) };
}

/** The loaded PFS and HCPCS releases (current or not) that carry `code`, newest first. */
export function releasesCarrying(database: Database, code: string): Promise<string[]> {
  return editorial.releasesCarrying(database.db, code);
}

/** Codes ranked by a full-text match on code, descriptors, title, synonyms and plain language. */
export function searchCatalog(
  database: Database,
  text: string,
  options: editorial.CatalogOptions & { limit?: number } = {},
): Promise<editorial.CatalogSearchResult> {
  return editorial.searchCatalog(database.db, catalogRules, text, options);
}

/** The newest editorial version (it only grows): what a copy of the catalog can say it has. */
export function editorialVersion(database: Database): Promise<string | null> {
  return editorial.editorialVersion(database.db);
}
