/**
 * The long-running sync: croner runs one sync per tick, never two at once in this process
 * (`protect`), and the 'sync' lock keeps out every other process (other replicas, a one-shot
 * `sync`). The database is opened for each run and closed after it, so that other commands can
 * use the embedded database between ticks.
 *
 * A run that fails (network, page, release, database down) is logged; the next tick retries. A
 * tick that finds the lock held logs `lock-held` and waits for the next one. stop() (SIGTERM)
 * aborts the run in progress: a load in progress rolls back (a load can take minutes; the
 * shutdown grace period of a container usually cannot), downloads stop, the database closes.
 */
import { Cron } from 'croner';
import type { Database } from '../db/database.js';
import { LockHeldError, UsageError, errorMessage, redactUrl } from '../errors.js';
import type { ImportSetup } from '../releases/steps.js';
import { syncDeadlines, syncReleases, type SyncOptions, type SyncResult } from '../sync/sync.js';
import { DEFAULT_CRON } from './defaults.js';
import { logSyncEvent, type Logger } from './log.js';

export { DEFAULT_CRON };

export interface ScheduleOptions {
  /** A cron expression (5 fields, or 6 with seconds first). Default `0 6 * * *`: 06:00 every day. */
  cron?: string | undefined;
  /** IANA time zone of the expression (e.g. America/New_York). Default: the process's (TZ). */
  timezone?: string | undefined;
  /** Also run once at start, without waiting for the first tick. */
  runOnStart?: boolean | undefined;
  /** Opens the database for one run; the run closes it. */
  open: () => Promise<Database>;
  /** the families and load steps every run imports with (src/index.ts composes them) */
  setup: ImportSetup;
  /** options of every run (since: when absent, each run takes the previous calendar year) */
  sync: Omit<SyncOptions, 'signal' | 'onEvent' | 'dryRun' | 'lock'>;
  log: Logger;
  /**
   * Runs after each sync that was not interrupted, with its database still open (the publish to
   * downstream targets, composed by src/index.ts). Its failure is logged, not fatal to the schedule.
   */
  afterRun?: (database: Database, result: SyncResult, log: Logger) => Promise<void>;
}

export type RunOutcome = 'ok' | 'failed' | 'lock-held' | 'aborted';

export interface Schedule {
  /** resolves once stopped */
  readonly done: Promise<void>;
  /** when the next tick is due (null once stopped) */
  nextRun(): Date | null;
  /** Stop ticking; abort the run in progress (its load rolls back) and wait for it to end. */
  stop(reason?: string): Promise<void>;
  /** the outcome of each finished run, in order */
  readonly runs: readonly RunOutcome[];
}

export function startSchedule(options: ScheduleOptions): Schedule {
  const pattern = options.cron ?? DEFAULT_CRON;
  const log = options.log;
  const controller = new AbortController();
  const runs: RunOutcome[] = [];
  let runNumber = 0;
  let current: Promise<void> | undefined;
  let stopping: Promise<void> | undefined;
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));

  const runOnce = async (): Promise<void> => {
    if (controller.signal.aborted) return;
    const run = ++runNumber;
    const runLog = log.child({ run });
    const started = performance.now();
    runLog.info({ event: 'run-started' }, `run ${run} started`);
    const outcome = await syncOnce(runLog, options, controller.signal).catch((error: unknown) => {
      runLog.error({ event: 'run-failed', error: errorMessage(error) }, `run ${run} failed: ${errorMessage(error)}`);
      return { outcome: 'failed' as const, result: undefined };
    });
    runs.push(outcome.outcome);
    const counts = outcome.result?.counts;
    const elapsedMs = Math.round(performance.now() - started);
    const line = { event: 'run-finished', outcome: outcome.outcome, ok: outcome.outcome === 'ok', ...counts, elapsedMs };
    const message = `run ${run} finished: ${outcome.outcome}${counts ? ` (${counts.loaded} loaded, ${counts.unchanged} unchanged, ${counts.failed} failed, ${counts.pageErrors} page errors)` : ''}`;
    if (outcome.outcome === 'ok' || outcome.outcome === 'aborted') runLog.info(line, message);
    else if (outcome.outcome === 'lock-held') runLog.warn(line, message);
    else runLog.error(line, message);
    logNext();
  };

  // croner's `protect` skips a tick that comes while a run is going; `current` is what stop() waits for
  const tick = async (): Promise<void> => {
    if (current !== undefined) return;
    current = runOnce().finally(() => (current = undefined));
    await current;
  };

  // checked now, not at the first tick: a bad option is a usage error at start
  syncDeadlines(options.sync);
  if (options.timezone !== undefined) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: options.timezone });
    } catch {
      throw new UsageError(`--timezone ${JSON.stringify(options.timezone)} is not a time zone; expected an IANA name such as America/New_York or UTC`);
    }
  }
  let job: Cron;
  try {
    job = new Cron(
      pattern,
      {
        timezone: options.timezone,
        protect: () => log.warn({ event: 'tick-skipped' }, 'tick skipped: the previous run is still going'),
        catch: (error) => log.error({ event: 'run-failed', error: errorMessage(error) }, `run failed: ${errorMessage(error)}`),
      },
      tick,
    );
  } catch (error) {
    throw new UsageError(`--cron ${JSON.stringify(pattern)}: ${errorMessage(error)}`);
  }

  const logNext = () => {
    if (controller.signal.aborted) return;
    const at = job.nextRun();
    if (at !== null) log.info({ event: 'next-run', at: at.toISOString() }, `next run at ${at.toISOString()}`);
  };

  log.info(
    {
      event: 'schedule-started',
      cron: pattern,
      timezone: options.timezone ?? Intl.DateTimeFormat().resolvedOptions().timeZone,
      families: options.sync.families ?? 'all',
      since: options.sync.since ?? 'previous year',
      mirror: options.sync.mirror === undefined ? null : redactUrl(options.sync.mirror),
      cache: options.sync.cacheDir,
    },
    `sync scheduled: ${pattern}`,
  );
  if (options.runOnStart) void job.trigger();
  else logNext();

  return {
    done,
    runs,
    nextRun: () => (controller.signal.aborted ? null : job.nextRun()),
    stop(reason = 'stop requested') {
      stopping ??= (async () => {
        log.info({ event: 'stopping', reason, running: current !== undefined }, `stopping (${reason})${current !== undefined ? ': aborting the run in progress' : ''}`);
        job.stop();
        controller.abort(new Error(reason));
        await current?.catch(() => undefined);
        log.info({ event: 'stopped' }, 'stopped');
        finish();
      })();
      return stopping;
    },
  };
}

async function syncOnce(log: Logger, options: ScheduleOptions, signal: AbortSignal): Promise<{ outcome: RunOutcome; result: SyncResult | undefined }> {
  let database: Database;
  try {
    database = await options.open();
  } catch (error) {
    if (error instanceof LockHeldError) return lockHeld(log, error);
    throw error;
  }
  try {
    const result = await syncReleases(database, options.setup, {
      ...options.sync,
      signal,
      onEvent: (event) => logSyncEvent(log, event),
    });
    if (!result.aborted && options.afterRun) await options.afterRun(database, result, log);
    return { outcome: result.aborted ? 'aborted' : result.ok ? 'ok' : 'failed', result };
  } catch (error) {
    if (error instanceof LockHeldError) return lockHeld(log, error);
    throw error;
  } finally {
    await database.close().catch((error: unknown) => log.warn({ event: 'warning', message: `closing the database: ${errorMessage(error)}` }, 'closing the database failed'));
  }
}

function lockHeld(log: Logger, error: LockHeldError): { outcome: RunOutcome; result: undefined } {
  log.warn({ event: 'lock-held', message: errorMessage(error) }, `another sync holds the lock; waiting for the next tick (${errorMessage(error)})`);
  return { outcome: 'lock-held', result: undefined };
}
