/**
 * A sync whose database is opened only if the run needs it. The usual daily run finds nothing
 * new, and on the embedded database starting PostgreSQL is half of its time. So the run starts
 * with `loaded` — the releases as the database's last clean close left them
 * (src/releases/remembered.ts) — and answers "are these bytes loaded?" from it: discovery, the
 * conditional requests and every outcome are a real run's. At the first archive the list does
 * not have (something new, or loaded since by another program), `open` is called and the run goes
 * on with the database, for that lookup and every load. A database that cannot be opened (another
 * process holds it) ends the run with that error, as it would have at the start.
 */
import type { Database } from '../db/database.js';
import type { ImportSetup } from '../releases/steps.js';
import type { LoadedArchive } from './context.js';
import type { SyncResult } from './events.js';
import { checkSyncOptions, type SyncOptions } from './options.js';
import { runOnce } from './run.js';

export type { LoadedArchive } from './context.js';

export function syncOpeningWhenNeeded(
  setup: ImportSetup,
  options: SyncOptions,
  loaded: readonly LoadedArchive[],
  open: () => Promise<Database>,
): Promise<SyncResult> {
  const started = performance.now();
  const checked = { ...options, ...checkSyncOptions(setup.families, options) };
  return runOnce({ loaded, open }, setup, checked, started);
}
