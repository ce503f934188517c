/** The dry run: what a run would fetch and load, as far as the download cache and the database know. Nothing is downloaded. */
import { loadedFromUrl } from '../releases/registry.js';
import { findReleaseBySha } from '../releases/store.js';
import { DownloadCache, type ReleaseRef } from '../sources/index.js';
import type { RunContext } from './context.js';
import { pendingOutcome } from './events.js';

export async function planFetches(run: RunContext, refs: readonly ReleaseRef[]): Promise<void> {
  const cache = new DownloadCache(run.options.cacheDir);
  const { db } = await run.database();
  for (const ref of refs) {
    const release = run.describe(ref);
    const cached = await cache.lookup(ref.url);
    const loaded =
      (cached !== undefined ? await findReleaseBySha(db, ref.family, cached.sha256) : undefined) ?? (await loadedFromUrl(db, ref.family, release.url));
    run.outcomes.push({
      ...pendingOutcome(release),
      fetch: cached !== undefined ? 'cached' : 'pending',
      load: loaded !== undefined ? 'unchanged' : 'pending',
      revision: loaded?.revision ?? null,
      sha256: cached?.sha256 ?? null,
    });
  }
}
