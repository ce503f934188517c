/**
 * The programmatic API of cms-ingest. The CLI calls only this; so can any TypeScript program.
 */
import { families } from '../pipelines/index.js';
import { connect } from './db/connect.js';
import type { Database } from './db/database.js';
import { migrate } from './db/migrate.js';
import { importRelease as importWith, type ImportOptions, type ImportResult } from './releases/import.js';
import { syncReleases as syncWith, type SyncOptions, type SyncResult } from './releases/sync.js';
import type { ScheduleOptions, Schedule } from './schedule/schedule.js';
import type { DestinationStream, Logger } from './schedule/log.js';
import { diffReleases as diffWith, type DiffOptions, type ReleaseDiff } from './diff/index.js';
import {
  exportFiles as exportWith,
  publish as publishWith,
  type ExportManifest,
  type ExportOptions,
  type PublishOptions,
  type PublishTargetResult,
} from './publish/index.js';
import { priceCode as priceWith, priceSchedule as scheduleOf, type PriceOptions, type PriceResult, type ScheduleOptions as FeeScheduleOptions, type ScheduleResult as FeeSchedule } from './payment/index.js';

export { resolveConfig, type Config } from './config.js';
export type { Database, Transaction } from './db/database.js';
export { InputError, UsageError, LockHeldError } from './errors.js';
export { listReleases, type ReleaseSummary } from './releases/list.js';
export type { ImportOptions, ImportResult, ImportEvent } from './releases/import.js';
export { renderDiff, DIFF_FORMATS, type DiffFormat } from './diff/index.js';
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
  SYNC_FAMILIES,
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
} from './releases/sync.js';
export { DEFAULT_CRON } from './schedule/defaults.js';
export type { RunOutcome, Schedule, ScheduleOptions } from './schedule/schedule.js';
export type { Logger } from './schedule/log.js';
export { DEMO_SITE, startDemoSite } from './demo/index.js';
export { DEFAULT_PUBLISH_SCHEMA, EXPORT_FORMATS, type ExportFormat, type ExportManifest, type ExportOptions, type PublishOptions, type PublishTargetResult, type PublishedTableResult, type PublishStep } from './publish/index.js';
export { startSiteServer, type SiteServer, type SiteServerOptions } from './demo/site-server.js';
export { normalizeMirror, type HttpClientOptions } from './sources/index.js';

/** Open the configured database (Postgres, or the embedded one) with its schema up to date. */
export const openDatabase = connect;

/** Apply pending migrations; returns their names. */
export async function runMigrations(database: Database): Promise<string[]> {
  return (await migrate(database.db)).applied;
}

/** Load one release (a zip, the folder it unzips to, or one of its files). */
export function importRelease(database: Database, source: string, options: ImportOptions = {}): Promise<ImportResult> {
  return importWith(database, families, source, options);
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
 * database (LockHeldError otherwise). See src/releases/sync.ts.
 */
export function syncReleases(database: Database, options: SyncOptions): Promise<SyncResult> {
  return syncWith(database, families, options);
}

/** Run sync on a cron schedule until stop(); see src/schedule/schedule.ts. Loads croner on first use. */
export async function startSchedule(options: Omit<ScheduleOptions, 'pipelines'>): Promise<Schedule> {
  const { startSchedule: scheduleWith } = await import('./schedule/schedule.js');
  return scheduleWith({ ...options, pipelines: families });
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
export function priceCode(database: Database, options: PriceOptions): Promise<PriceResult> {
  return priceWith(database.db, options);
}

/** A locality's whole fee schedule (`price --all`): one row per code and modifier of the release. */
export function priceSchedule(database: Database, options: FeeScheduleOptions): Promise<FeeSchedule> {
  return scheduleOf(database.db, options);
}
