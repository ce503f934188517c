/**
 * One sync (and its --publish-to) as `sync` and `demo` run it: a display while it runs, SIGTERM /
 * SIGINT handling, the result printed through the renderers, and the exit code (signals.ts).
 */
import { syncAndPublish, type Database, type PublishAfterSync, type SyncAndPublishResult, type SyncOptions, type SyncResult } from '../index.js';
import type { CommandContext } from './context.js';
import type { Output } from './output.js';
import { describePublishAfterSync, publishErrors } from './render/publish.js';
import { describeInterrupted, describeSync, syncErrors } from './render/sync.js';
import { interruptOnSignals, syncExitCode } from './signals.js';
import { syncDisplay } from './sync-display.js';

/**
 * Run one sync and return the exit code. `open` runs the work with an open database (and closes
 * it after); `after` runs once the result is printed, while the database is still open (the demo
 * lists the releases there).
 */
export async function runSync(
  context: CommandContext,
  options: SyncOptions & { publish?: PublishAfterSync | undefined },
  open: (work: (database: Database) => Promise<SyncAndPublishResult>) => Promise<SyncAndPublishResult>,
  after?: (database: Database, result: SyncResult) => Promise<void>,
): Promise<number> {
  const { output } = context;
  const interrupt = interruptOnSignals(output.errorStream);
  try {
    const result = await open(async (database) => {
      const display = syncDisplay(output, options);
      let done: SyncAndPublishResult;
      try {
        done = await syncAndPublish(database, { ...options, signal: interrupt.signal, onEvent: display.onEvent });
      } finally {
        display.stop();
      }
      printResult(output, done);
      if (!done.sync.aborted) await after?.(database, done.sync);
      return done;
    });
    if (result.sync.aborted) output.warn(describeInterrupted(interrupt.received() ?? 'SIGTERM'));
    return syncExitCode(result, interrupt.received());
  } finally {
    interrupt.dispose();
  }
}

function printResult(output: Output, { sync, published }: SyncAndPublishResult): void {
  output.result(sync.outcomes, () => describeSync(sync));
  for (const message of syncErrors(sync)) output.error(new Error(message));
  if (published === undefined) return;
  output.info(describePublishAfterSync(published));
  for (const message of publishErrors(published)) output.error(message);
}
