/**
 * Discovery: each family's CMS pages → the release archives they link. The engine knows no page:
 * a family that declares `discover` (pipelines/<family>/) walks its own pages through the
 * `CmsSite` given here, which fetches through the mirror, runs page fetches a few at a time and
 * turns a page's failure into a page error.
 */
import pLimit from 'p-limit';
import type { CmsSite, Family } from '../pipeline.js';
import type { HttpClient } from './http.js';
import { compareReleaseRefs, type ReleaseRef } from './release-ref.js';
import { applyMirror, type Warn } from './urls.js';

export interface DiscoverOptions {
  /** the families to discover (those without `discover` find nothing) */
  families: readonly Family[];
  /** only releases of this year or later */
  since: number;
  /** fetch from this copy of the CMS site instead of https://www.cms.gov */
  mirror?: string | undefined;
  /** should be created with the same mirror */
  http: HttpClient;
  warn: Warn;
  /** pages fetched at once (`CmsSite.eachPage`). Default 2. */
  concurrency?: number;
  /**
   * Without it, the first page that fails (unreachable, or changed structure) fails discovery.
   * With it, each failure is reported here and discovery returns what the other pages gave.
   */
  onPageError?: (error: Error) => void;
}

export async function discoverReleases(options: DiscoverOptions): Promise<ReleaseRef[]> {
  const found: ReleaseRef[] = [];
  const site = cmsSite(options);
  for (const family of new Set(options.families)) {
    if (family.discover === undefined) continue;
    const discover = family.discover.bind(family);
    const releases = await attempt(options, () => discover(site));
    for (const release of releases ?? []) found.push({ family: family.name, ...release });
  }
  return found.filter((ref) => ref.year >= options.since).sort(compareReleaseRefs);
}

function cmsSite(options: DiscoverOptions): CmsSite {
  const limit = pLimit(options.concurrency ?? 2);
  return {
    since: options.since,
    mirror: options.mirror,
    page: (url) => options.http.getText(applyMirror(url, options.mirror)),
    warn: options.warn,
    async eachPage<T, R>(items: readonly T[], work: (item: T) => Promise<R>): Promise<R[]> {
      // allSettled: when discovery fails, no request is left running behind it
      const settled = await Promise.allSettled(items.map((item) => limit(() => work(item))));
      const results: R[] = [];
      for (const outcome of settled) {
        if (outcome.status === 'fulfilled') results.push(outcome.value);
        else report(options, outcome.reason);
      }
      return results;
    },
  };
}

/** Run one family's discovery; report its failure through onPageError when given, else throw. */
async function attempt<T>(options: DiscoverOptions, work: () => Promise<T>): Promise<T | undefined> {
  try {
    return await work();
  } catch (error) {
    report(options, error);
    return undefined;
  }
}

function report(options: DiscoverOptions, error: unknown): void {
  if (options.onPageError === undefined || !(error instanceof Error)) throw error;
  options.onPageError(error);
}
