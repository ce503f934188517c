/**
 * The discovery part of a sync: every family's pages, one family after the other; a page that
 * fails becomes a page-error outcome and discovery goes on. Returns the releases in load order
 * (oldest effective date first, corrections after their base).
 */
import { errorMessage } from '../errors.js';
import { discoverReleases, type HttpClient, type ReleaseRef } from '../sources/index.js';
import { compareReleaseRefs } from '../sources/release-ref.js';
import type { RunContext } from './context.js';
import { emptyOutcome } from './events.js';

export async function discoverAll(run: RunContext, http: HttpClient): Promise<ReleaseRef[]> {
  const { families, since } = run.options;
  run.emit({ type: 'discovering', families, since });
  const refs: ReleaseRef[] = [];
  for (const family of families) {
    if (run.signal.aborted) break;
    const failures: Error[] = [];
    const found = await discoverReleases({
      families: run.setup.families.filter((declared) => declared.name === family),
      since,
      mirror: run.options.mirror,
      http,
      warn: (message) => run.warn(message),
      concurrency: run.options.concurrency,
      onPageError: (error) => failures.push(error),
    });
    // failures caused by the abort itself are not page errors
    if (run.signal.aborted) break;
    for (const error of failures) {
      const failedPage = pageOf(error);
      const page = failedPage === null ? null : run.cmsUrl(failedPage);
      const message = errorMessage(error);
      run.outcomes.push({ ...emptyOutcome(family), page, failedAt: 'discover', error: message });
      run.emit({ type: 'page-error', family, page, error: message });
    }
    refs.push(...found);
  }
  refs.sort(compareReleaseRefs);
  const releases = refs.map((ref) => run.describe(ref));
  for (const release of releases) run.emit({ type: 'found', release });
  run.emit({ type: 'discovered', releases });
  return refs;
}

/** The page a discovery error is about (PageStructureError and HttpError both carry it). */
function pageOf(error: Error): string | null {
  const withPage = error as { pageUrl?: unknown; url?: unknown };
  if (typeof withPage.pageUrl === 'string') return withPage.pageUrl;
  if (typeof withPage.url === 'string') return withPage.url;
  return null;
}
