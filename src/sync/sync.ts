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
 *
 * The parts, one job each: options.ts (the options and their validation), events.ts (events,
 * outcomes, the result), run.ts (one run: HTTP client, discovery, then dry-run.ts or
 * fetch-and-load.ts), discover.ts, context.ts (what the parts share), opening-when-needed.ts (a
 * run that opens the database only if it needs it).
 */
import type { Database } from '../db/database.js';
import type { ImportSetup } from '../releases/steps.js';
import type { SyncResult } from './events.js';
import { checkSyncOptions, type SyncOptions } from './options.js';
import { runOnce } from './run.js';

export type { FetchStatus, LoadStatus, SyncCounts, SyncEvent, SyncOutcome, SyncRelease, SyncResult } from './events.js';
export { checkSyncOptions, defaultSince, syncDeadlines, syncFamilies, type CheckedSyncOptions, type SyncDeadlines, type SyncOptions } from './options.js';

export async function syncReleases(database: Database, setup: ImportSetup, options: SyncOptions): Promise<SyncResult> {
  const started = performance.now();
  const checked = { ...options, ...checkSyncOptions(setup.families, options) };
  if (options.dryRun || options.lock === false) return runOnce(database, setup, checked, started);
  return database.withExclusiveLock('sync', () => runOnce(database, setup, checked, started));
}
