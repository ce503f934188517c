/**
 * `cms-ingest sync`: discover, download and load what is new on the CMS site.
 *
 * Exit codes: 0 all done (also when nothing was new, and for --dry-run); 1 a release or a page
 * failed (the others were still loaded); 2 usage error; 3 another sync holds the lock (or another
 * process has the embedded database open); 130 / 143 interrupted by SIGINT / SIGTERM (the load in
 * progress was rolled back; run sync again to finish).
 */
import path from 'node:path';
import type { Command } from 'commander';
import {
  UsageError,
  checkPublishTargets,
  checkSyncOptions,
  normalizeMirror,
  publishAfterSync,
  syncReleases,
  type Database,
  type PublishAfterSync,
  type SyncOptions,
  type SyncResult,
} from '../../index.js';
import { contextOf, withDatabase, type CommandContext } from '../context.js';
import { familyTitles, syncFamilyChoices } from '../help.js';
import type { Output } from '../output.js';
import { describePublish } from '../render/publish.js';
import { describeSync } from '../render/sync.js';
import { EXIT, interruptOnSignals, signalExitCode } from '../signals.js';
import { syncDisplay } from '../sync-display.js';

export interface SyncFlags {
  family?: string;
  since?: string;
  dryRun?: boolean;
  mirror?: string;
  cache?: string;
  pageDeadline?: string;
  downloadDeadline?: string;
  allowShrink?: boolean;
  publishTo?: string[];
  publishSchema?: string;
}

/** Options shared by `sync` and `schedule`. */
export function addSyncOptions(command: Command): Command {
  return command
    .option('--family <family>', `only ${syncFamilyChoices()} (default: all of them)`)
    .option('--since <year>', 'only releases of this year or later (default: the previous calendar year)')
    .option('--mirror <url>', 'fetch from this copy of the CMS site instead of https://www.cms.gov (paths unchanged)')
    .option('--cache <dir>', 'download cache (default: $CMS_INGEST_HOME/cache)')
    .option('--page-deadline <seconds>', 'longest one page request may take, retries included (default: 60)')
    .option('--download-deadline <seconds>', 'longest one zip download may take, retries included (default: 1800)')
    .option('--publish-to <url>', 'after a run that loaded something, publish to this PostgreSQL database (repeatable)', (value: string, previous: string[]) => [...previous, value], [])
    .option('--publish-schema <name>', 'the schema --publish-to writes (default: cms_catalog)');
}

/** The --publish-to targets, checked before anything runs; undefined when there are none. */
export function publishTargetsOf(flags: SyncFlags): PublishAfterSync | undefined {
  const targets = flags.publishTo ?? [];
  if (targets.length === 0) {
    if (flags.publishSchema !== undefined) throw new UsageError('--publish-schema goes with --publish-to');
    return undefined;
  }
  return { targets, schema: checkPublishTargets(targets, flags.publishSchema) };
}

export function registerSync(program: Command): void {
  addSyncOptions(
    program
      .command('sync')
      .description(`discover ${familyTitles(true)} on the CMS site; download and load what is new`),
  )
    .option('--dry-run', 'list what would be fetched: no download, no load')
    .option('--allow-shrink', 'load a dataset even when it has under half the rows of the previous release')
    .addHelpText(
      'after',
      '\nExit codes: 0 done (also nothing new), 1 a release or page failed, 2 usage error,\n' +
        '3 another sync holds the lock, 130/143 interrupted by SIGINT/SIGTERM (nothing half-loaded).',
    )
    .action(async (flags: SyncFlags, command: Command) => {
      const context = contextOf(command);
      const options = syncOptionsOf(flags, context);
      const publishTo = publishTargetsOf(flags);
      let publishFailed = false;
      const afterSync = publishTo
        ? async (database: Database, result: SyncResult) => {
            const published = await publishAfterSync(database, result, publishTo);
            if (published.length === 0) context.output.info('nothing new loaded: nothing to publish');
            else context.output.info(describePublish(published));
            for (const failed of published.filter((target) => target.outcome === 'failed')) context.output.error(failed.error);
            publishFailed = published.some((target) => target.outcome === 'failed');
          }
        : undefined;
      const code = await runSync(context, options, (work) => withDatabase(context, work), afterSync);
      if (code !== 0 || publishFailed) process.exitCode = code !== 0 ? code : 1;
    });
}

/** Flags → sync options, checked by the API before anything opens. */
export function syncOptionsOf(flags: SyncFlags, context: CommandContext): SyncOptions {
  const options: SyncOptions = {
    cacheDir: path.resolve(flags.cache ?? path.join(context.config.home, 'cache')),
    dryRun: Boolean(flags.dryRun),
  };
  if (flags.allowShrink) options.allowShrink = true;
  if (flags.family !== undefined) options.families = flags.family.split(',').map((family) => family.trim().toLowerCase()).filter((family) => family !== '');
  if (flags.mirror !== undefined) options.mirror = normalizeMirror(flags.mirror);
  if (flags.pageDeadline !== undefined) options.pageDeadline = flags.pageDeadline;
  if (flags.downloadDeadline !== undefined) options.downloadDeadline = flags.downloadDeadline;
  // the API's own checks (families, --since, deadlines …), run before the database opens
  const checked = checkSyncOptions({ ...options, since: flags.since });
  if (flags.since !== undefined) options.since = checked.since;
  return options;
}

/**
 * Run one sync with a display and SIGTERM / SIGINT handling, print its result, and return the exit
 * code. `open` runs the work with an open database (and closes it after); `after` runs once the
 * result is printed, while the database is still open (the demo lists the releases there).
 */
export async function runSync(
  context: CommandContext,
  options: SyncOptions,
  open: (work: (database: Database) => Promise<SyncResult>) => Promise<SyncResult>,
  after?: (database: Database, result: SyncResult) => Promise<void>,
): Promise<number> {
  const { output } = context;
  const interrupt = interruptOnSignals(output.errorStream);
  try {
    const result = await open(async (database) => {
      const display = syncDisplay(output, options);
      let synced: SyncResult;
      try {
        synced = await syncReleases(database, { ...options, signal: interrupt.signal, onEvent: display.onEvent });
      } finally {
        display.stop();
      }
      printResult(output, synced);
      if (!synced.aborted) await after?.(database, synced);
      return synced;
    });
    if (result.aborted) {
      const signal = interrupt.received() ?? 'SIGTERM';
      output.warn(`interrupted by ${signal}: nothing was half-loaded; run sync again to finish`);
      return signalExitCode(signal);
    }
    return result.ok ? EXIT.ok : EXIT.failure;
  } finally {
    interrupt.dispose();
  }
}

function printResult(output: Output, result: SyncResult): void {
  output.result(result.outcomes, () => describeSync(result));
  for (const outcome of result.outcomes) {
    if (outcome.error === null) continue;
    const subject = outcome.code ?? `${outcome.family} page`;
    output.error(new Error(outcome.error.startsWith(`${subject}: `) ? outcome.error : `${subject}: ${outcome.error}`));
  }
}

