/**
 * The options of a sync and their validation: the one place they are checked (the CLI calls
 * checkSyncOptions with the flags' text before anything opens; syncReleases calls it again on what
 * it is given). Usage errors name the flag. No I/O here.
 */
import { UsageError } from '../errors.js';
import { orList } from '../text-table.js';
import type { Family, FamilyId } from '../pipeline.js';
import { normalizeMirror, type HttpClient, type HttpClientOptions } from '../sources/index.js';
import type { SyncEvent } from './events.js';

export interface SyncOptions {
  /** Default: every family that declares its CMS pages (`syncFamilies`). */
  families?: readonly FamilyId[] | undefined;
  /** Only releases of this year or later (a number, or the text of `--since`). Default: the previous calendar year. */
  since?: number | string | undefined;
  /** List what would be fetched: no download, no load, no lock. */
  dryRun?: boolean | undefined;
  /** A copy of the CMS site to fetch from instead of https://www.cms.gov (paths unchanged). */
  mirror?: string | undefined;
  /** The download cache (archives by sha256 and the validators of each URL). */
  cacheDir: string;
  /** Options for the HTTP client sync creates (timeouts, retries), or a client to use (the caller closes it). */
  http?: HttpClientOptions | HttpClient | undefined;
  /**
   * Total time of one page request, retries and redirects included, in seconds (`--page-deadline`;
   * text from a command line is checked here). Default 60.
   */
  pageDeadline?: number | string | undefined;
  /** Total time of one zip download, retries included, in seconds (`--download-deadline`). Default 1800 (a slow link). */
  downloadDeadline?: number | string | undefined;
  /** Downloads at once (and detail pages fetched at once). Default 2. */
  concurrency?: number | undefined;
  /** Aborting stops downloads and rolls back the load in progress. */
  signal?: AbortSignal | undefined;
  onEvent?: ((event: SyncEvent) => void) | undefined;
  /** Take the 'sync' lock (default true; a dry run never takes it). */
  lock?: boolean | undefined;
  /** "now", for the default of `since`. */
  now?: Date | undefined;
  /** Load datasets that shrank to under half of the previous release (the import's shrink canary). */
  allowShrink?: boolean | undefined;
}

/** The deadlines of a sync in milliseconds (undefined: the HTTP client's defaults). */
export interface SyncDeadlines {
  pageDeadlineMs: number | undefined;
  downloadDeadlineMs: number | undefined;
}

/** What checkSyncOptions returns: the options a run uses, defaults filled in. */
export interface CheckedSyncOptions {
  families: FamilyId[];
  since: number;
  mirror: string | undefined;
  concurrency: number;
  deadlines: SyncDeadlines;
}

/** The families sync finds on the CMS site: those that declare where their releases are listed (`Family.discover`). */
export function syncFamilies(families: readonly Family[]): FamilyId[] {
  return families.filter((family) => family.discover !== undefined).map((family) => family.name);
}

/** The default of --since: the previous calendar year. */
export function defaultSince(now: Date = new Date()): number {
  return now.getFullYear() - 1;
}

/** The options of a sync, checked and completed without I/O. */
export function checkSyncOptions(
  families: readonly Family[],
  options: Pick<SyncOptions, 'families' | 'since' | 'mirror' | 'concurrency' | 'now' | 'pageDeadline' | 'downloadDeadline'>,
): CheckedSyncOptions {
  const concurrency = options.concurrency ?? 2;
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new UsageError(`concurrency must be a whole number of at least 1, not ${concurrency}`);
  return {
    families: checkFamilies(families, options.families),
    since: checkSince(options.since ?? defaultSince(options.now), options.now),
    mirror: options.mirror === undefined ? undefined : normalizeMirror(options.mirror),
    concurrency,
    deadlines: syncDeadlines(options),
  };
}

function checkFamilies(families: readonly Family[], requested: readonly FamilyId[] | undefined): FamilyId[] {
  const discoverable = syncFamilies(families);
  if (requested === undefined || requested.length === 0) return discoverable;
  for (const id of requested) {
    if (!families.some((family) => family.name === id)) throw new UsageError(`--family must be ${orList(discoverable)}, not ${JSON.stringify(id)}`);
    if (!discoverable.includes(id)) throw new UsageError(`--family ${id}: its pipeline declares no CMS pages to sync from; load its files with cms-ingest import`);
  }
  return [...new Set(requested)];
}

/** A year (or the text of `--since`) between 1990 and next year. */
function checkSince(since: number | string, now: Date = new Date()): number {
  if (typeof since === 'string' && !/^\d{4}$/.test(since.trim())) throw new UsageError(`--since must be a year such as 2024, not ${JSON.stringify(since)}`);
  const year = Number(since);
  if (!Number.isInteger(year) || year < 1990 || year > now.getFullYear() + 1) {
    throw new UsageError(`--since must be a year between 1990 and ${now.getFullYear() + 1}, not ${since}`);
  }
  return year;
}

/** The deadlines of a sync in milliseconds; a UsageError for nonsense. */
export function syncDeadlines(options: Pick<SyncOptions, 'pageDeadline' | 'downloadDeadline'>): SyncDeadlines {
  return {
    pageDeadlineMs: deadlineMs('--page-deadline', options.pageDeadline),
    downloadDeadlineMs: deadlineMs('--download-deadline', options.downloadDeadline),
  };
}

/** A deadline option in seconds (a number, or the text of a command-line flag) → milliseconds; undefined when not given. */
function deadlineMs(flag: string, value: number | string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const seconds = typeof value === 'number' ? value : /^\s*\d+(\.\d+)?\s*$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isFinite(seconds) || seconds <= 0) {
    throw new UsageError(`${flag} must be a number of seconds greater than 0, not ${JSON.stringify(typeof value === 'number' ? String(value) : value)}`);
  }
  return Math.round(seconds * 1000);
}
