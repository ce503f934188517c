/**
 * The real run after discovery: downloads run ahead a few at a time (the pool) while loads go one
 * by one, in load order. A failed download or load is that release's outcome; the others go on.
 * The abort signal stops waiting at once; the load in progress rolls back.
 */
import pLimit from 'p-limit';
import { DEFAULT_LIMITS } from '../archive/limits.js';
import { errorMessage } from '../errors.js';
import { importRelease } from '../releases/import.js';
import { archiveFileName, DownloadCache, download, type DownloadResult, type HttpClient, type ReleaseRef } from '../sources/index.js';
import { OpeningFailed, type RunContext } from './context.js';
import { pendingOutcome, type SyncOutcome, type SyncRelease } from './events.js';

type Fetched = { kind: 'ok'; result: DownloadResult } | { kind: 'failed'; error: unknown } | { kind: 'stopped' };

const ABORTED = Symbol('aborted');

export async function fetchAndLoad(run: RunContext, refs: readonly ReleaseRef[], http: HttpClient): Promise<void> {
  const limit = pLimit(run.options.concurrency);
  const releases = refs.map((ref) => run.describe(ref));
  const fetches = refs.map((ref, index) => limit(() => fetchOne(run, ref, releases[index]!, http)));
  const outcomes = releases.map(pendingOutcome);
  run.outcomes.push(...outcomes);
  try {
    for (const [index, ref] of refs.entries()) {
      const outcome = outcomes[index]!;
      const fetched = await untilAborted(fetches[index]!, run.signal);
      if (fetched === ABORTED || fetched.kind === 'stopped') break;
      if (fetched.kind === 'failed') {
        Object.assign(outcome, { fetch: 'failed', failedAt: 'download', error: errorMessage(fetched.error) });
        continue;
      }
      const { result } = fetched;
      Object.assign(outcome, { fetch: result.status, finalUrl: run.cmsUrl(result.url), sha256: result.sha256, bytes: result.status === 'downloaded' ? result.size : 0 });
      if (run.signal.aborted) break;
      await loadOne(run, ref, releases[index]!, result, outcome);
      if (run.signal.aborted) break;
    }
  } finally {
    limit.clearQueue();
  }
}

async function fetchOne(run: RunContext, ref: ReleaseRef, release: SyncRelease, http: HttpClient): Promise<Fetched> {
  if (run.signal.aborted) return { kind: 'stopped' };
  run.emit({ type: 'download-start', release });
  try {
    const result = await download(ref, {
      cacheDir: run.options.cacheDir,
      http,
      onProgress: (received, total) => run.emit({ type: 'download-progress', release, received, total }),
      // the member check inflates no more than the import would accept
      inflateLimits: DEFAULT_LIMITS,
    });
    const bytes = result.status === 'downloaded' ? result.size : 0;
    run.emit({ type: 'fetched', release, status: result.status, finalUrl: run.cmsUrl(result.url), bytes, size: result.size, sha256: result.sha256 });
    return { kind: 'ok', result };
  } catch (error) {
    if (run.signal.aborted) return { kind: 'stopped' };
    run.emit({ type: 'failed', release, stage: 'download', error: errorMessage(error) });
    return { kind: 'failed', error };
  }
}

async function loadOne(run: RunContext, ref: ReleaseRef, release: SyncRelease, fetched: DownloadResult, outcome: SyncOutcome): Promise<void> {
  try {
    // the same bytes are loaded already: no transaction, no import run
    const existing = await run.loadedArchive(ref.family, fetched.sha256);
    if (existing !== undefined && existing.code !== ref.code) {
      // another release's bytes at this release's URL (a wrong link, a redirect): not loaded, never `unchanged`
      throw new Error(`the archive at ${release.url} is byte-identical to ${existing.code}, already loaded; the page names it ${ref.code}`);
    }
    if (existing !== undefined) {
      Object.assign(outcome, { load: 'unchanged', revision: existing.revision });
      run.emit({ type: 'loaded', release, outcome });
      return;
    }
    const database = await run.database();
    run.emit({ type: 'load-start', release });
    // the cached `<sha256>.zip`, imported under the name and URL the page gave it: a dry run and the
    // next sync find the release by that link (where it redirected, the outcome's finalUrl says where to)
    const imported = await importRelease(database, run.setup, fetched.path, {
      code: ref.code,
      sourceUrl: release.url,
      sourceName: archiveFileName(release.url),
      signal: run.signal,
      allowShrink: run.options.allowShrink,
      onEvent: (event) => {
        if (event.type === 'progress') run.emit({ type: 'load-progress', release, dataset: event.dataset, rows: event.rows });
        else {
          outcome.warnings.push(event.message);
          run.warn(event.message, ref.code);
        }
      },
    });
    Object.assign(outcome, {
      load: imported.status,
      revision: imported.revision,
      supersedes: imported.superseded?.revision ?? null,
      rows: imported.datasets.reduce((sum, dataset) => sum + dataset.rows, 0),
    });
    run.emit({ type: 'loaded', release, outcome });
  } catch (error) {
    // a database that cannot be opened (held by another process) ends the run as it would have at its start
    if (error instanceof OpeningFailed) throw error;
    const message = run.signal.aborted
      ? `interrupted (${errorMessage(run.signal.reason)}): the load was rolled back; the next sync loads it`
      : errorMessage(error);
    Object.assign(outcome, { load: 'failed', failedAt: 'load', error: message });
    run.emit({ type: 'failed', release, stage: 'load', error: message });
    if (!run.signal.aborted) await forgetValidators(run, ref, release);
  }
}

/**
 * After a failed load the URL's ETag / Last-Modified are dropped from the cache index, so the next
 * run downloads it unconditionally: bytes that did not load (another release's zip; a damaged
 * member the download's check left to the import, or in an archive cached before downloads
 * checked members) are never served again from a 304. The archive stays,
 * kept by its sha256; different bytes then load. An interrupted load keeps them: its bytes were fine.
 */
async function forgetValidators(run: RunContext, ref: ReleaseRef, release: SyncRelease): Promise<void> {
  try {
    await new DownloadCache(run.options.cacheDir).forget(ref.url);
  } catch (error) {
    run.warn(`could not remove ${release.url} from the download cache's index (${errorMessage(error)}); the next sync may get 304 Not Modified for the bytes that failed`, ref.code);
  }
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
