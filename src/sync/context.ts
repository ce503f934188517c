/** What every part of one sync run shares: the database (opened when needed), the options, the signal, the events and the outcomes so far. */
import type { Database } from '../db/database.js';
import { redactUrl } from '../errors.js';
import type { ImportSetup } from '../releases/steps.js';
import { findReleaseBySha } from '../releases/store.js';
import { toCmsUrl, type ReleaseRef } from '../sources/index.js';
import type { SyncEvent, SyncOutcome, SyncRelease } from './events.js';
import type { CheckedSyncOptions, SyncOptions } from './options.js';

/** A loaded release as a run looks it up: by its archive's bytes. */
export interface LoadedArchive {
  readonly family: string;
  /** the release the bytes were loaded as: bytes of another code are no `unchanged` (fetch-and-load.ts) */
  readonly code: string;
  readonly archive_sha256: string;
  readonly revision: number;
}

/**
 * The database a run opens only if it needs it (opening-when-needed.ts): `loaded`, the releases
 * as the database's last clean close left them, answers the lookups until one misses.
 */
export interface DatabaseWhenNeeded {
  readonly loaded: readonly LoadedArchive[];
  open(): Promise<Database>;
}

/**
 * Opening the database on first need failed (another process holds it, say): that ends the run,
 * it is not the failure of the release that needed it: fetch-and-load.ts lets it through, and
 * run.ts throws its `reason`, the error opening gave.
 */
export class OpeningFailed extends Error {
  override readonly name = 'OpeningFailed';
  constructor(readonly reason: unknown) {
    super(`cannot open the database: ${reason instanceof Error ? reason.message : String(reason)}`, { cause: reason });
  }
}

export interface RunContext {
  /** the database, opened now if it was not yet */
  database(): Promise<Database>;
  /** the loaded release with these bytes, if there is one */
  loadedArchive(family: string, sha256: string): Promise<LoadedArchive | undefined>;
  readonly setup: ImportSetup;
  readonly options: SyncOptions & CheckedSyncOptions;
  readonly signal: AbortSignal;
  /** page failures first, then one outcome per release; filled in as the run goes */
  readonly outcomes: SyncOutcome[];
  readonly warnings: string[];
  emit(event: SyncEvent): void;
  warn(message: string, code?: string): void;
  /** A fetched URL as its www.cms.gov equivalent (mirror removed; credentials never kept). */
  cmsUrl(url: string): string;
  /** A discovered release as reported (www.cms.gov URLs). */
  describe(ref: ReleaseRef): SyncRelease;
}

export function runContext(target: Database | DatabaseWhenNeeded, setup: ImportSetup, options: SyncOptions & CheckedSyncOptions): RunContext {
  const whenNeeded = 'loaded' in target ? target : undefined;
  let opened: Promise<Database> | undefined = whenNeeded === undefined ? Promise.resolve(target as Database) : undefined;
  const database = () =>
    (opened ??= whenNeeded!.open().catch((error: unknown) => {
      throw new OpeningFailed(error);
    }));
  const listener = options.onEvent;
  const outcomes: SyncOutcome[] = [];
  const warnings: string[] = [];
  const emit = (event: SyncEvent) => {
    // a listener that throws must not break the run
    try {
      listener?.(event);
    } catch {
      // ignored
    }
  };
  const cmsUrl = (url: string) => redactUrl(toCmsUrl(url, options.mirror));
  return {
    database,
    async loadedArchive(family, sha256) {
      // the list answers while the database is not open; a miss may be a load since: the database decides
      const listed = opened === undefined ? whenNeeded?.loaded.find((release) => release.family === family && release.archive_sha256 === sha256) : undefined;
      if (listed !== undefined) return listed;
      const release = await findReleaseBySha((await database()).db, family, sha256);
      return release && { family, code: release.code, archive_sha256: sha256, revision: release.revision };
    },
    setup,
    options,
    signal: options.signal ?? new AbortController().signal,
    outcomes,
    warnings,
    emit,
    warn(message, code) {
      warnings.push(code === undefined ? message : `${code}: ${message}`);
      emit({ type: 'warning', message, code });
    },
    cmsUrl,
    describe: (ref) => ({
      family: ref.family,
      code: ref.code,
      year: ref.year,
      quarter: ref.quarter,
      updated: ref.updated,
      url: cmsUrl(ref.url),
      page: cmsUrl(ref.pageUrl),
    }),
  };
}
