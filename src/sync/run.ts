/**
 * One sync run with checked options: the HTTP client's lifecycle (created and closed here unless
 * the caller gave one), discovery, then the dry run or the real one, and the result.
 */
import type { Database } from '../db/database.js';
import { redactUrl } from '../errors.js';
import type { ImportSetup } from '../releases/steps.js';
import { createHttpClient, type HttpClient, type HttpClientOptions } from '../sources/index.js';
import { abortableHttp } from './abortable-http.js';
import { OpeningFailed, runContext, type DatabaseWhenNeeded, type RunContext } from './context.js';
import { discoverAll } from './discover.js';
import { planFetches } from './dry-run.js';
import { countOutcomes, type SyncResult } from './events.js';
import { fetchAndLoad } from './fetch-and-load.js';
import type { CheckedSyncOptions, SyncOptions } from './options.js';

/** `started`: when the caller began (the lock wait counts in elapsedMs). */
/** `target`: the database, or one opened only if the run needs it (opening-when-needed.ts). */
export async function runOnce(target: Database | DatabaseWhenNeeded, setup: ImportSetup, options: SyncOptions & CheckedSyncOptions, started: number): Promise<SyncResult> {
  const run = runContext(target, setup, options);
  const given = options.http;
  const own = given === undefined || !isHttpClient(given);
  const base: HttpClient = own ? ownClient(run, given) : given;
  const http = abortableHttp(base, run.signal, options.deadlines);
  try {
    const refs = await discoverAll(run, http);
    if (!run.signal.aborted) {
      if (options.dryRun) await planFetches(run, refs);
      else await fetchAndLoad(run, refs, http);
    }
    return resultOf(run, started);
  } catch (error) {
    throw error instanceof OpeningFailed ? error.reason : error;
  } finally {
    if (own) {
      // after an abort a request may still wait for headers; do not wait for it
      const closing = base.close().catch(() => undefined);
      if (!run.signal.aborted) await closing;
    }
  }
}

function ownClient(run: RunContext, given: HttpClientOptions | undefined): HttpClient {
  return createHttpClient({
    ...given,
    mirror: run.options.mirror,
    signal: run.signal,
    onRetry: (event) => {
      // the URL requested (the mirror's), not its www.cms.gov form: a retry names the host contacted
      run.emit({
        type: 'retry',
        url: redactUrl(event.url),
        cmsUrl: run.cmsUrl(event.url),
        attempt: event.attempt,
        retriesLeft: event.retriesLeft,
        problem: event.error.problemOf(event.url),
      });
      given?.onRetry?.(event);
    },
  });
}

function resultOf(run: RunContext, started: number): SyncResult {
  const counts = countOutcomes(run.outcomes);
  const aborted = run.signal.aborted;
  return {
    dryRun: Boolean(run.options.dryRun),
    families: run.options.families,
    since: run.options.since,
    outcomes: run.outcomes,
    warnings: run.warnings,
    counts,
    aborted,
    ok: !aborted && counts.failed === 0 && counts.pageErrors === 0,
    elapsedMs: performance.now() - started,
  };
}

function isHttpClient(value: HttpClientOptions | HttpClient): value is HttpClient {
  return typeof (value as HttpClient).get === 'function' && typeof (value as HttpClient).getText === 'function';
}
