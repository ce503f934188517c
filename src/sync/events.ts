/**
 * What a sync reports: the events it emits while it runs (for a display or a log) and the result
 * it returns (one outcome per release or failed page, and the counts). Types and pure helpers only.
 */
import type { FamilyId } from '../pipeline.js';

/** A discovered release as reported: URLs on www.cms.gov, never the mirror's (which may carry credentials). */
export interface SyncRelease {
  family: FamilyId;
  code: string;
  year: number;
  quarter: number;
  /** the Updated date on the page (PFS), ISO */
  updated: string | null;
  /** the zip as the page links it, on www.cms.gov: the URL requested (the download cache's key); stored as releases.source_url */
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
  /** the zip on www.cms.gov, as the page links it: the URL requested */
  url: string | null;
  /**
   * The URL that answered, after redirects, on www.cms.gov (`url` when nothing redirected).
   * Null until fetched (and in a dry run). releases.source_url stays `url`, the page's link.
   */
  finalUrl: string | null;
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
  /**
   * `url`: the URL requested again, as sent: under the mirror when there is one (credentials
   * redacted), so that a message names the host actually contacted; `cmsUrl`: the www.cms.gov
   * page or file it stands for (a release's `url`; `url` itself without a mirror). `problem`: what
   * failed (`redirected to <url>: …` when a redirect target failed).
   */
  | { type: 'retry'; url: string; cmsUrl: string; attempt: number; retriesLeft: number; problem: string }
  | { type: 'download-start'; release: SyncRelease }
  | { type: 'download-progress'; release: SyncRelease; received: number; total: number | null }
  /** `finalUrl`: the URL that answered, after redirects, on www.cms.gov */
  | { type: 'fetched'; release: SyncRelease; status: 'downloaded' | 'not-modified'; finalUrl: string; bytes: number; size: number; sha256: string }
  | { type: 'load-start'; release: SyncRelease }
  | { type: 'load-progress'; release: SyncRelease; dataset: string; rows: number }
  | { type: 'loaded'; release: SyncRelease; outcome: SyncOutcome }
  | { type: 'failed'; release: SyncRelease; stage: 'download' | 'load'; error: string };

/** An outcome with nothing known yet but its family (a page failure fills in page and error). */
export function emptyOutcome(family: FamilyId): SyncOutcome {
  return {
    family,
    code: null,
    year: null,
    quarter: null,
    updated: null,
    url: null,
    finalUrl: null,
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

/** A discovered release's outcome before anything was fetched. */
export function pendingOutcome(release: SyncRelease): SyncOutcome {
  const { family, code, year, quarter, updated, url, page } = release;
  return { ...emptyOutcome(family), code, year, quarter, updated, url, page, fetch: 'pending', load: 'pending' };
}

/** The counts of a run's outcomes (page failures have no code). */
export function countOutcomes(outcomes: readonly SyncOutcome[]): SyncCounts {
  const releases = outcomes.filter((outcome) => outcome.code !== null);
  return {
    discovered: releases.length,
    downloaded: releases.filter((o) => o.fetch === 'downloaded').length,
    notModified: releases.filter((o) => o.fetch === 'not-modified').length,
    loaded: releases.filter((o) => o.load === 'loaded').length,
    unchanged: releases.filter((o) => o.load === 'unchanged').length,
    failed: releases.filter((o) => o.failedAt !== null).length,
    pageErrors: outcomes.length - releases.length,
    bytes: releases.reduce((sum, o) => sum + (o.bytes ?? 0), 0),
  };
}
