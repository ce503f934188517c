/**
 * Sync: discover the releases each family lists on the CMS site or a mirror (`Family.discover`:
 * PFS RVU releases, HCPCS quarterly files, …), download what is new or re-posted, and import it in
 * order of effective date.
 *
 * - One sync at a time per database: the whole run holds the 'sync' lock (a session advisory lock
 *   on Postgres, so replicas on several machines are safe; the lock file keeps a second process
 *   off the embedded database). A held lock is a LockHeldError, at once.
 * - Every discovered release gets a conditional request (ETag / If-Modified-Since from the
 *   download cache): an unchanged file costs a 304 and no body. A re-post at a new URL (PFS: the
 *   Updated date is in the name) or with new bytes at the same URL (HCPCS) is downloaded.
 * - An archive whose sha256 is already loaded is skipped without opening a transaction; other
 *   archives go through importRelease (one transaction each), oldest effective date first,
 *   corrections after their base (RVU26A, RVU26AR, RVU26AR1, RVU26B…).
 * - One release failing (download, bad archive, parse error) does not stop the others; a page
 *   that fails (changed structure, unreachable) is reported and the rest of discovery goes on.
 * - The abort signal (SIGTERM) rolls back the load in progress, stops downloads, and ends the run
 *   with what was done; the next run picks up the rest.
 */
import pLimit from 'p-limit';
import type { Database } from '../db/database.js';
import { UsageError, errorMessage, redactUrl } from '../errors.js';
import { orList } from '../text-table.js';
import type { Family, FamilyId } from '../pipeline.js';
import {
  DownloadCache,
  createHttpClient,
  discoverReleases,
  archiveFileName,
  download,
  normalizeMirror,
  toCmsUrl,
  type DownloadResult,
  type HttpClient,
  type HttpClientOptions,
  type ReleaseRef,
} from '../sources/index.js';
import { compareReleaseRefs } from '../sources/release-ref.js';
import { importRelease } from '../releases/import.js';
import { loadedFromUrl } from '../releases/registry.js';
import type { ImportSetup } from '../releases/steps.js';
import { findReleaseBySha } from '../releases/store.js';
import { abortableHttp } from './abortable-http.js';

/** The families sync finds on the CMS site: those that declare where their releases are listed (`Family.discover`). */
export function syncFamilies(families: readonly Family[]): FamilyId[] {
  return families.filter((family) => family.discover !== undefined).map((family) => family.name);
}

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

/** A discovered release as reported: URLs on www.cms.gov, never the mirror's (which may carry credentials). */
export interface SyncRelease {
  family: FamilyId;
  code: string;
  year: number;
  quarter: number;
  /** the Updated date on the page (PFS), ISO */
  updated: string | null;
  /** the zip on www.cms.gov; stored as releases.source_url */
  url: string;
  /** the page that linked it, on www.cms.gov */
  page: string;
}

/**
 * - downloaded: the body was transferred (new, or changed since the cached copy)
 * - not-modified: 304 to a conditional request; the cached archive was used, no body
 * - cached (dry run): the cache has this URL, so a run would only send a conditional request
 * - pending: not fetched (dry run: would be downloaded; or the run was interrupted first)
 */
export type FetchStatus = 'downloaded' | 'not-modified' | 'cached' | 'pending' | 'failed';
/**
 * - loaded: a new release or revision was committed
 * - unchanged: an archive with these bytes is already loaded (skipped without a transaction)
 * - pending: not loaded (dry run: would be loaded if new; or the run was interrupted first)
 */
export type LoadStatus = 'loaded' | 'unchanged' | 'pending' | 'failed';

/** What happened to one release, or (code null) to a page that could not be read. */
export interface SyncOutcome {
  family: FamilyId;
  /** null for a page failure */
  code: string | null;
  year: number | null;
  quarter: number | null;
  updated: string | null;
  /** the zip on www.cms.gov */
  url: string | null;
  /** the page it was linked from (for a page failure: the page that failed) */
  page: string | null;
  /** null for a page failure */
  fetch: FetchStatus | null;
  load: LoadStatus | null;
  /** the revision loaded, or the loaded revision with the same bytes */
  revision: number | null;
  /** the revision a re-post superseded */
  supersedes: number | null;
  sha256: string | null;
  /** body bytes transferred (0 after a 304) */
  bytes: number | null;
  /** rows loaded, all datasets */
  rows: number | null;
  /** where it failed */
  failedAt: 'discover' | 'download' | 'load' | null;
  error: string | null;
  /** data warnings of the load */
  warnings: string[];
}

export interface SyncCounts {
  discovered: number;
  downloaded: number;
  notModified: number;
  loaded: number;
  unchanged: number;
  failed: number;
  pageErrors: number;
  /** body bytes transferred */
  bytes: number;
}

export interface SyncResult {
  dryRun: boolean;
  families: FamilyId[];
  since: number;
  /** page failures first, then one entry per discovered release in load order */
  outcomes: SyncOutcome[];
  warnings: string[];
  counts: SyncCounts;
  /** the signal aborted the run: what is not done is left for the next run */
  aborted: boolean;
  /** no failure, no page error, not aborted */
  ok: boolean;
  elapsedMs: number;
}

export type SyncEvent =
  | { type: 'discovering'; families: FamilyId[]; since: number }
  | { type: 'found'; release: SyncRelease }
  /** after discovery: every release found, in load order */
  | { type: 'discovered'; releases: SyncRelease[] }
  | { type: 'page-error'; family: FamilyId; page: string | null; error: string }
  | { type: 'warning'; message: string; code?: string | undefined }
  | { type: 'retry'; url: string; attempt: number; retriesLeft: number; problem: string }
  | { type: 'download-start'; release: SyncRelease }
  | { type: 'download-progress'; release: SyncRelease; received: number; total: number | null }
  | { type: 'fetched'; release: SyncRelease; status: 'downloaded' | 'not-modified'; bytes: number; size: number; sha256: string }
  | { type: 'load-start'; release: SyncRelease }
  | { type: 'load-progress'; release: SyncRelease; dataset: string; rows: number }
  | { type: 'loaded'; release: SyncRelease; outcome: SyncOutcome }
  | { type: 'failed'; release: SyncRelease; stage: 'download' | 'load'; error: string };

/** The default of --since: the previous calendar year. */
export function defaultSince(now: Date = new Date()): number {
  return now.getFullYear() - 1;
}

/**
 * The options of a sync, checked and completed without I/O: the one place they are validated (the
 * CLI calls it before anything opens, with the flags' text; syncReleases calls it again on what it
 * is given). Usage errors name the flag.
 */
export function checkSyncOptions(
  families: readonly Family[],
  options: Pick<SyncOptions, 'families' | 'since' | 'mirror' | 'concurrency' | 'now' | 'pageDeadline' | 'downloadDeadline'>,
): { families: FamilyId[]; since: number; mirror: string | undefined; concurrency: number; deadlines: ReturnType<typeof syncDeadlines> } {
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

export async function syncReleases(database: Database, setup: ImportSetup, options: SyncOptions): Promise<SyncResult> {
  const { families, since, mirror, concurrency, deadlines } = checkSyncOptions(setup.families, options);
  const run = new SyncRun(database, setup, { ...options, mirror, concurrency, deadlines }, families, since);
  if (options.dryRun || options.lock === false) return run.execute();
  return database.withExclusiveLock('sync', () => run.execute());
}

/** The deadlines of a sync in milliseconds (undefined: the HTTP client's defaults); a UsageError for nonsense. */
export function syncDeadlines(options: Pick<SyncOptions, 'pageDeadline' | 'downloadDeadline'>): { pageDeadlineMs: number | undefined; downloadDeadlineMs: number | undefined } {
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

type Fetched = { kind: 'ok'; result: DownloadResult } | { kind: 'failed'; error: unknown } | { kind: 'stopped' };

const ABORTED = Symbol('aborted');

class SyncRun {
  private readonly signal: AbortSignal;
  private readonly emit: (event: SyncEvent) => void;
  private readonly warnings: string[] = [];
  private readonly outcomes: SyncOutcome[] = [];
  private readonly started = performance.now();

  constructor(
    private readonly database: Database,
    private readonly setup: ImportSetup,
    private readonly options: SyncOptions & { concurrency: number; deadlines: { pageDeadlineMs?: number | undefined; downloadDeadlineMs?: number | undefined } },
    private readonly families: FamilyId[],
    private readonly since: number,
  ) {
    this.signal = options.signal ?? new AbortController().signal;
    const listener = options.onEvent;
    // a listener that throws must not break the run
    this.emit = (event) => {
      try {
        listener?.(event);
      } catch {
        // ignored
      }
    };
  }

  warn(message: string, code?: string): void {
    this.warnings.push(code === undefined ? message : `${code}: ${message}`);
    this.emit({ type: 'warning', message, code });
  }

  async execute(): Promise<SyncResult> {
    const given = this.options.http;
    const own = given === undefined || !isHttpClient(given);
    const base: HttpClient = own
      ? createHttpClient({
          ...(given as HttpClientOptions | undefined),
          mirror: this.options.mirror,
          signal: this.signal,
          onRetry: (event) => {
            this.emit({ type: 'retry', url: this.cmsUrl(event.url), attempt: event.attempt, retriesLeft: event.retriesLeft, problem: event.error.problem });
            (given as HttpClientOptions | undefined)?.onRetry?.(event);
          },
        })
      : given;
    const http = abortableHttp(base, this.signal, this.options.deadlines);
    try {
      const refs = await this.discover(http);
      if (this.signal.aborted) return this.result(true);
      if (this.options.dryRun) await this.plan(refs);
      else await this.fetchAndLoad(refs, http);
      return this.result(this.signal.aborted);
    } finally {
      if (own) {
        // after an abort a request may still wait for headers; do not wait for it
        const closing = base.close().catch(() => undefined);
        if (!this.signal.aborted) await closing;
      }
    }
  }

  private async discover(http: HttpClient): Promise<ReleaseRef[]> {
    this.emit({ type: 'discovering', families: this.families, since: this.since });
    const refs: ReleaseRef[] = [];
    for (const family of this.families) {
      if (this.signal.aborted) break;
      const failures: Error[] = [];
      const found = await discoverReleases({
        families: this.setup.families.filter((declared) => declared.name === family),
        since: this.since,
        mirror: this.options.mirror,
        http,
        warn: (message) => this.warn(message),
        concurrency: this.options.concurrency,
        onPageError: (error) => failures.push(error),
      });
      // failures caused by the abort itself are not page errors
      if (this.signal.aborted) break;
      for (const error of failures) {
        const page = pageOf(error);
        const message = errorMessage(error);
        this.outcomes.push({
          ...emptyOutcome(family),
          page: page === null ? null : this.cmsUrl(page),
          failedAt: 'discover',
          error: message,
        });
        this.emit({ type: 'page-error', family, page: page === null ? null : this.cmsUrl(page), error: message });
      }
      refs.push(...found);
    }
    refs.sort(compareReleaseRefs);
    const releases = refs.map((ref) => this.describe(ref));
    for (const release of releases) this.emit({ type: 'found', release });
    this.emit({ type: 'discovered', releases });
    return refs;
  }

  /** Dry run: what a run would fetch, as far as the cache and the database know. */
  private async plan(refs: ReleaseRef[]): Promise<void> {
    const cache = new DownloadCache(this.options.cacheDir);
    for (const ref of refs) {
      const release = this.describe(ref);
      const cached = await cache.lookup(ref.url);
      const loaded =
        (cached !== undefined ? await findReleaseBySha(this.database.db, ref.family, cached.sha256) : undefined) ??
        (await loadedFromUrl(this.database.db, ref.family, release.url));
      this.outcomes.push({
        ...this.outcomeOf(release),
        fetch: cached !== undefined ? 'cached' : 'pending',
        load: loaded !== undefined ? 'unchanged' : 'pending',
        revision: loaded?.revision ?? null,
        sha256: cached?.sha256 ?? null,
      });
    }
  }

  private async fetchAndLoad(refs: ReleaseRef[], http: HttpClient): Promise<void> {
    const limit = pLimit(this.options.concurrency);
    const releases = refs.map((ref) => this.describe(ref));
    // downloads run ahead (a few at a time) while loads go one by one, in order
    const fetches = refs.map((ref, index) => limit(() => this.fetch(ref, releases[index]!, http)));
    const outcomes = releases.map((release) => this.outcomeOf(release));
    this.outcomes.push(...outcomes);
    try {
      for (const [index, ref] of refs.entries()) {
        const release = releases[index]!;
        const outcome = outcomes[index]!;
        const fetched = await untilAborted(fetches[index]!, this.signal);
        if (fetched === ABORTED || fetched.kind === 'stopped') break;
        if (fetched.kind === 'failed') {
          Object.assign(outcome, { fetch: 'failed', failedAt: 'download', error: errorMessage(fetched.error) });
          continue;
        }
        const { result } = fetched;
        Object.assign(outcome, {
          fetch: result.status,
          sha256: result.sha256,
          bytes: result.status === 'downloaded' ? result.size : 0,
        });
        if (this.signal.aborted) break;
        await this.load(ref, release, result, outcome);
        if (this.signal.aborted) break;
      }
    } finally {
      limit.clearQueue();
    }
  }

  private async fetch(ref: ReleaseRef, release: SyncRelease, http: HttpClient): Promise<Fetched> {
    if (this.signal.aborted) return { kind: 'stopped' };
    this.emit({ type: 'download-start', release });
    try {
      const result = await download(ref, {
        cacheDir: this.options.cacheDir,
        http,
        onProgress: (received, total) => this.emit({ type: 'download-progress', release, received, total }),
      });
      this.emit({
        type: 'fetched',
        release,
        status: result.status,
        bytes: result.status === 'downloaded' ? result.size : 0,
        size: result.size,
        sha256: result.sha256,
      });
      return { kind: 'ok', result };
    } catch (error) {
      if (this.signal.aborted) return { kind: 'stopped' };
      this.emit({ type: 'failed', release, stage: 'download', error: errorMessage(error) });
      return { kind: 'failed', error };
    }
  }

  private async load(ref: ReleaseRef, release: SyncRelease, fetched: DownloadResult, outcome: SyncOutcome): Promise<void> {
    try {
      // the same bytes are loaded already: no transaction, no import run
      const existing = await findReleaseBySha(this.database.db, ref.family, fetched.sha256);
      if (existing !== undefined) {
        Object.assign(outcome, { load: 'unchanged', revision: existing.revision });
        this.emit({ type: 'loaded', release, outcome });
        return;
      }
      this.emit({ type: 'load-start', release });
      // the cached `<sha256>.zip`, imported under the name CMS gave it
      const imported = await importRelease(this.database, this.setup, fetched.path, {
        code: ref.code,
        sourceUrl: release.url,
        sourceName: archiveFileName(release.url),
        signal: this.signal,
        allowShrink: this.options.allowShrink,
        onEvent: (event) => {
          if (event.type === 'progress') this.emit({ type: 'load-progress', release, dataset: event.dataset, rows: event.rows });
          else {
            outcome.warnings.push(event.message);
            this.warn(event.message, ref.code);
          }
        },
      });
      Object.assign(outcome, {
        load: imported.status,
        revision: imported.revision,
        supersedes: imported.superseded?.revision ?? null,
        rows: imported.datasets.reduce((sum, dataset) => sum + dataset.rows, 0),
      });
      this.emit({ type: 'loaded', release, outcome });
    } catch (error) {
      const message = this.signal.aborted
        ? `interrupted (${errorMessage(this.signal.reason)}): the load was rolled back; the next sync loads it`
        : errorMessage(error);
      Object.assign(outcome, { load: 'failed', failedAt: 'load', error: message });
      this.emit({ type: 'failed', release, stage: 'load', error: message });
    }
  }

  private describe(ref: ReleaseRef): SyncRelease {
    return {
      family: ref.family,
      code: ref.code,
      year: ref.year,
      quarter: ref.quarter,
      updated: ref.updated,
      url: this.cmsUrl(ref.url),
      page: this.cmsUrl(ref.pageUrl),
    };
  }

  /** A fetched URL as its www.cms.gov equivalent (mirror removed; credentials never kept). */
  private cmsUrl(url: string): string {
    return redactUrl(toCmsUrl(url, this.options.mirror));
  }

  private outcomeOf(release: SyncRelease): SyncOutcome {
    return {
      ...emptyOutcome(release.family),
      code: release.code,
      year: release.year,
      quarter: release.quarter,
      updated: release.updated,
      url: release.url,
      page: release.page,
      fetch: 'pending',
      load: 'pending',
    };
  }

  private result(aborted: boolean): SyncResult {
    const releases = this.outcomes.filter((outcome) => outcome.code !== null);
    const counts: SyncCounts = {
      discovered: releases.length,
      downloaded: releases.filter((o) => o.fetch === 'downloaded').length,
      notModified: releases.filter((o) => o.fetch === 'not-modified').length,
      loaded: releases.filter((o) => o.load === 'loaded').length,
      unchanged: releases.filter((o) => o.load === 'unchanged').length,
      failed: releases.filter((o) => o.failedAt !== null).length,
      pageErrors: this.outcomes.length - releases.length,
      bytes: releases.reduce((sum, o) => sum + (o.bytes ?? 0), 0),
    };
    return {
      dryRun: Boolean(this.options.dryRun),
      families: this.families,
      since: this.since,
      outcomes: this.outcomes,
      warnings: this.warnings,
      counts,
      aborted,
      ok: !aborted && counts.failed === 0 && counts.pageErrors === 0,
      elapsedMs: performance.now() - this.started,
    };
  }
}

function emptyOutcome(family: FamilyId): SyncOutcome {
  return {
    family,
    code: null,
    year: null,
    quarter: null,
    updated: null,
    url: null,
    page: null,
    fetch: null,
    load: null,
    revision: null,
    supersedes: null,
    sha256: null,
    bytes: null,
    rows: null,
    failedAt: null,
    error: null,
    warnings: [],
  };
}

function isHttpClient(value: HttpClientOptions | HttpClient): value is HttpClient {
  return typeof (value as HttpClient).get === 'function' && typeof (value as HttpClient).getText === 'function';
}

/** The page a discovery error is about (PageStructureError and HttpError both carry it). */
function pageOf(error: Error): string | null {
  const withPage = error as { pageUrl?: unknown; url?: unknown };
  if (typeof withPage.pageUrl === 'string') return withPage.pageUrl;
  if (typeof withPage.url === 'string') return withPage.url;
  return null;
}

/** `promise`, or ABORTED as soon as the signal aborts (whichever comes first). */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T | typeof ABORTED> {
  if (signal.aborted) return Promise.resolve(ABORTED);
  return new Promise((resolve, reject) => {
    const onAbort = () => resolve(ABORTED);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
