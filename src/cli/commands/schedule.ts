/**
 * `cms-ingest schedule`: the long-running sync. One JSON log line per event on stdout; runs on a
 * cron schedule, one at a time; SIGTERM / SIGINT stop it cleanly (a load in progress rolls back)
 * with exit code 0. Exit 2 for a bad --cron or option; 1 if it cannot run at all.
 */
import type { Command } from 'commander';
import { DEFAULT_CRON, createScheduleLogger, startSchedule } from '../../index.js';
import { closingWithReleaseList, contextOf, openDatabaseFor } from '../context.js';
import { onStopSignals } from '../signals.js';
import { addSyncOptions, publishTargetsOf, syncOptionsOf, type SyncFlags } from '../sync-flags.js';

interface ScheduleFlags extends SyncFlags {
  cron: string;
  timezone?: string;
  runNow?: boolean;
}

export function registerSchedule(program: Command): void {
  addSyncOptions(
    program
      .command('schedule')
      .description('long-running: sync on a cron schedule, one run at a time; JSON log lines on stdout'),
  )
    .option('--cron <expr>', 'when to sync: 5 fields (minute first), or 6 with seconds first', DEFAULT_CRON)
    .option('--timezone <tz>', 'time zone of --cron, e.g. America/New_York (default: the process time zone, TZ)')
    .option('--run-now', 'also sync once at start, without waiting for the first tick')
    .addHelpText(
      'after',
      '\nEach run opens the database, takes the sync lock, syncs, and closes it. A run that fails is\n' +
        'logged and the next tick retries; a tick that finds the lock held waits for the next one.\n' +
        'SIGTERM/SIGINT: the run in progress is aborted (its load rolls back), then exit 0.',
    )
    .action(async (flags: ScheduleFlags, command: Command) => {
      const context = contextOf(command);
      const { dryRun: _ignored, ...sync } = syncOptionsOf(flags, context);
      const publish = publishTargetsOf(flags);
      const log = await createScheduleLogger();
      const schedule = await startSchedule({
        cron: flags.cron,
        timezone: flags.timezone,
        runOnStart: Boolean(flags.runNow),
        open: async () => closingWithReleaseList(await openDatabaseFor(context), context),
        sync,
        log,
        publish,
      });
      const signals = onStopSignals({
        stop: (signal) => void schedule.stop(signal),
        exiting: (signal) => log.warn({ event: 'exiting', signal }, `${signal} again: exiting now`),
      });
      try {
        await schedule.done;
      } finally {
        signals.dispose();
      }
    });
}
