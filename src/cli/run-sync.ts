/**
 * One sync (and its --publish-to) as `sync` and `demo` run it: a display while it runs, SIGTERM /
 * SIGINT handling, the result printed through the renderers, and the exit code (signals.ts).
 */
import {
  syncAndPublish,
  syncAndPublishOpeningWhenNeeded,
  type Database,
  type LoadedArchive,
  type PublishAfterSync,
  type SyncAndPublishResult,
  type SyncOptions,
  type SyncResult,
} from '../index.js';
import { databaseWhenNeeded, keepsReleaseList, type CommandContext } from './context.js';
import type { Output } from './output.js';
import { describePublishAfterSync, publishErrors } from './render/publish.js';
import { describeInterrupted, describeSync, syncErrors } from './render/sync.js';
import { interruptOnSignals, syncExitCode } from './signals.js';
import { syncDisplay } from './sync-display.js';

/**
 * Run one sync and return the exit code. `open` runs the work with an open database (and closes
 * it after); `after` runs once the result is printed, while the database is still open (the demo
 * lists the releases there). `loaded`: the releases as the embedded database's last close left
 * them, if nothing has opened it since (rememberedReleases): then the database is opened only if
 * the run needs it (syncOpeningWhenNeeded), and `open` is not used.
 */
export async function runSync(
  context: CommandContext,
  options: SyncOptions & { publish?: PublishAfterSync | undefined },
  open: (work: (database: Database) => Promise<SyncAndPublishResult>) => Promise<SyncAndPublishResult>,
  after?: (database: Database, result: SyncResult) => Promise<void>,
  loaded?: () => Promise<readonly LoadedArchive[] | undefined>,
): Promise<number> {
  const { output } = context;
  const interrupt = interruptOnSignals(output.errorStream);
  // the display while it runs, then the result printed
  const shown = async (sync: (onEvent: SyncOptions['onEvent']) => Promise<SyncAndPublishResult>): Promise<SyncAndPublishResult> => {
    const display = syncDisplay(output, options);
    let done: SyncAndPublishResult;
    try {
      done = await sync(display.onEvent);
    } finally {
      display.stop();
    }
    printResult(output, done);
    return done;
  };
  const withEvents = (onEvent: SyncOptions['onEvent']) => ({ ...options, signal: interrupt.signal, onEvent });
  try {
    const listed = after === undefined ? await loaded?.() : undefined;
    let result: SyncAndPublishResult;
    if (listed !== undefined) {
      const database = databaseWhenNeeded(context);
      let keepList = false;
      try {
        result = await shown((onEvent) => syncAndPublishOpeningWhenNeeded(listed, database.open, withEvents(onEvent)));
        keepList = true;
      } catch (error) {
        keepList = keepsReleaseList(error);
        throw error;
      } finally {
        await database.close(keepList);
      }
    } else {
      result = await open(async (database) => {
        const done = await shown((onEvent) => syncAndPublish(database, withEvents(onEvent)));
        if (!done.sync.aborted) await after?.(database, done.sync);
        return done;
      });
    }
    if (result.sync.aborted) output.warn(describeInterrupted(interrupt.received() ?? 'SIGTERM'));
    return syncExitCode(result, interrupt.received());
  } finally {
    interrupt.dispose();
  }
}

function printResult(output: Output, { sync, published }: SyncAndPublishResult): void {
  output.result(sync.outcomes, () => describeSync(sync));
  for (const message of syncErrors(sync)) output.error(message);
  if (published === undefined) return;
  output.info(describePublishAfterSync(published));
  for (const message of publishErrors(published)) output.error(message);
}
