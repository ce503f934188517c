/**
 * `cms-ingest sync`: discover, download and load what is new on the CMS site.
 *
 * Exit codes: 0 all done (also when nothing was new, and for --dry-run); 1 a release or a page
 * failed (the others were still loaded); 2 usage error; 3 another sync holds the lock (or another
 * process has the embedded database open); 130 / 143 interrupted by SIGINT / SIGTERM (the load in
 * progress was rolled back; run sync again to finish).
 */
import path from 'node:path';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import {
  SYNC_FAMILIES,
  UsageError,
  checkPublishTargets,
  publishAfterSync,
  type PublishAfterSync,
  normalizeMirror,
  syncDeadlines,
  syncReleases,
  type Database,
  type SyncEvent,
  type SyncOptions,
  type SyncOutcome,
  type SyncResult,
} from '../../index.js';
import { redactUrl } from '../../errors.js';
import { contextOf, withDatabase, type CommandContext } from '../context.js';
import { describePublish } from '../render/publish.js';
import { formatCount, formatDuration, formatTable, orList, type Output } from '../output.js';

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
    .option('--family <family>', 'only pfs or hcpcs (default: both)')
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
      .description('discover PFS RVU releases and HCPCS quarterly files on the CMS site; download and load what is new'),
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

/** Flags → sync options (usage errors before anything opens). */
export function syncOptionsOf(flags: SyncFlags, context: CommandContext): SyncOptions {
  const options: SyncOptions = {
    cacheDir: path.resolve(flags.cache ?? path.join(context.config.home, 'cache')),
    dryRun: Boolean(flags.dryRun),
  };
  if (flags.allowShrink) options.allowShrink = true;
  if (flags.family !== undefined) {
    const families = flags.family.split(',').map((family) => family.trim().toLowerCase()).filter((family) => family !== '');
    for (const family of families) {
      if (!(SYNC_FAMILIES as readonly string[]).includes(family)) throw new UsageError(`--family must be ${orList(SYNC_FAMILIES)}, not ${JSON.stringify(family)}`);
    }
    options.families = families as SyncOptions['families'];
  }
  if (flags.since !== undefined) {
    if (!/^\d{4}$/.test(flags.since.trim())) throw new UsageError(`--since must be a year such as 2024, not ${JSON.stringify(flags.since)}`);
    options.since = Number(flags.since);
  }
  if (flags.mirror !== undefined) options.mirror = normalizeMirror(flags.mirror);
  if (flags.pageDeadline !== undefined) options.pageDeadline = flags.pageDeadline;
  if (flags.downloadDeadline !== undefined) options.downloadDeadline = flags.downloadDeadline;
  // the API's own check, run before the database opens
  syncDeadlines(options);
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
  const interrupt = interruptOnSignals(output);
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
    return result.ok ? 0 : 1;
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

/** 128 + the signal number, as shells report a process ended by it. */
export function signalExitCode(signal: NodeJS.Signals): number {
  return signal === 'SIGINT' ? 130 : signal === 'SIGTERM' ? 143 : 1;
}

/**
 * SIGTERM / SIGINT abort the run (the load in progress rolls back, downloads stop, the database
 * closes, then the process exits with 128 + the signal). A second signal exits at once.
 */
export function interruptOnSignals(output: Output): { signal: AbortSignal; received(): NodeJS.Signals | undefined; dispose(): void } {
  const controller = new AbortController();
  let received: NodeJS.Signals | undefined;
  const handler = (signal: NodeJS.Signals) => {
    if (received !== undefined) {
      output.errorStream.write(`\n${signal} again: exiting now\n`);
      process.exit(signalExitCode(signal));
    }
    received = signal;
    output.errorStream.write(`\n${signal}: stopping; a load in progress is rolled back (send ${signal} again to exit at once)\n`);
    controller.abort(new Error(`interrupted by ${signal}`));
  };
  process.on('SIGTERM', handler);
  process.on('SIGINT', handler);
  return {
    signal: controller.signal,
    received: () => received,
    dispose() {
      process.off('SIGTERM', handler);
      process.off('SIGINT', handler);
    },
  };
}

interface SyncDisplay {
  onEvent(event: SyncEvent): void;
  stop(): void;
}

/**
 * What a person sees while sync runs, on stderr: a line per step, and on a terminal a progress
 * bar per download and per load. Nothing with --json or --quiet (warnings still, unless --quiet).
 */
function syncDisplay(output: Output, options: SyncOptions): SyncDisplay {
  const narrate = !output.options.json && !output.options.quiet;
  const where = options.mirror === undefined ? 'https://www.cms.gov' : redactUrl(options.mirror);

  if (!output.interactive) {
    const line = (text: string) => narrate && output.errorStream.write(`${text}\n`);
    return {
      onEvent(event) {
        if (event.type === 'warning') output.warn(event.code ? `${event.code}: ${event.message}` : event.message);
        const text = narration(event, where, options);
        if (text !== null) line(text);
      },
      stop: () => undefined,
    };
  }

  const bars = new cliProgress.MultiBar(
    {
      format: '{code} {bar} {percentage}% {size}',
      stream: output.errorStream as NodeJS.WriteStream,
      clearOnComplete: true,
      hideCursor: true,
      autopadding: true,
    },
    cliProgress.Presets.shades_classic,
  );
  const downloads = new Map<string, cliProgress.SingleBar>();
  let load: cliProgress.SingleBar | undefined;
  const log = (text: string) => bars.log(`${text}\n`);
  return {
    onEvent(event) {
      switch (event.type) {
        case 'warning':
          log(`warning: ${event.code ? `${event.code}: ` : ''}${event.message}`);
          return;
        case 'download-start':
          downloads.set(event.release.code, bars.create(1, 0, { code: event.release.code.padEnd(12), size: '' }));
          return;
        case 'download-progress': {
          const bar = downloads.get(event.release.code);
          bar?.setTotal(event.total ?? Math.max(event.received, 1));
          bar?.update(event.received, { size: `${formatBytes(event.received)}${event.total !== null ? ` / ${formatBytes(event.total)}` : ''}` });
          return;
        }
        case 'load-start':
          load = bars.create(1, 0, { code: event.release.code.padEnd(12), dataset: '', rows: '0' }, { format: '{code} loading {dataset} {rows} rows' });
          return;
        case 'load-progress':
          load?.update(0, { dataset: event.dataset, rows: formatCount(event.rows) });
          return;
        default:
      }
      if (event.type === 'fetched' || (event.type === 'failed' && event.stage === 'download')) {
        const bar = downloads.get(event.release.code);
        if (bar !== undefined) bars.remove(bar);
        downloads.delete(event.release.code);
      }
      if ((event.type === 'loaded' || (event.type === 'failed' && event.stage === 'load')) && load !== undefined) {
        bars.remove(load);
        load = undefined;
      }
      const text = narration(event, where, options);
      if (text !== null && narrate) log(text);
    },
    stop() {
      bars.stop();
    },
  };
}

/** One line about an event, for people; null for events without one. */
function narration(event: SyncEvent, where: string, options: SyncOptions): string | null {
  switch (event.type) {
    case 'discovering':
      return `${options.dryRun ? 'dry run: ' : ''}looking for ${event.families.join(' and ')} releases since ${event.since} on ${where}`;
    case 'discovered':
      return event.releases.length === 0
        ? 'found no releases'
        : `found ${event.releases.length} release${event.releases.length === 1 ? '' : 's'}: ${event.releases.map((release) => release.code).join(', ')}`;
    case 'page-error':
      return `${event.family}: page failed: ${event.error}`;
    case 'retry':
      return `retrying ${event.url} (attempt ${event.attempt} failed: ${event.problem}; ${event.retriesLeft} retr${event.retriesLeft === 1 ? 'y' : 'ies'} left)`;
    case 'fetched':
      return event.status === 'downloaded'
        ? `${event.release.code}: downloaded ${formatBytes(event.bytes)}`
        : `${event.release.code}: not modified since the cached copy (no download)`;
    case 'load-start':
      return `${event.release.code}: loading`;
    case 'loaded':
      return event.outcome.load === 'loaded'
        ? `${event.release.code}: loaded revision ${event.outcome.revision} (${formatCount(event.outcome.rows ?? 0)} rows)` +
            (event.outcome.supersedes !== null ? `, supersedes revision ${event.outcome.supersedes}` : '')
        : `${event.release.code}: already loaded (revision ${event.outcome.revision} has these bytes)`;
    case 'failed':
      return `${event.release.code}: ${event.stage} failed: ${event.error}`;
    default:
      return null;
  }
}

/** The human result: a table of releases and a summary line. */
export function describeSync(result: SyncResult): string {
  const releases = result.outcomes.filter((outcome) => outcome.code !== null);
  const lines: string[] = [];
  if (releases.length > 0) {
    lines.push(
      formatTable(
        ['CODE', 'FAMILY', 'UPDATED', result.dryRun ? 'CACHE' : 'FETCH', result.dryRun ? 'LOADED' : 'LOAD', 'REV', 'ROWS', 'NOTE'],
        releases.map((outcome) => [
          outcome.code ?? '',
          outcome.family,
          outcome.updated ?? '',
          result.dryRun ? (outcome.fetch === 'cached' ? 'cached' : 'new') : (outcome.fetch ?? ''),
          result.dryRun ? (outcome.load === 'unchanged' ? 'yes' : 'no') : (outcome.load ?? ''),
          outcome.revision === null ? '' : String(outcome.revision),
          outcome.rows === null ? '' : formatCount(outcome.rows),
          note(outcome),
        ]),
      ),
    );
  }
  lines.push(summary(result));
  return lines.join('\n');
}

function note(outcome: SyncOutcome): string {
  if (outcome.error !== null) return `${outcome.failedAt} failed (see below)`;
  if (outcome.supersedes !== null) return `supersedes revision ${outcome.supersedes}`;
  return '';
}

function summary(result: SyncResult): string {
  const { counts } = result;
  const scope = `${result.families.join(' and ')} since ${result.since}`;
  const pages = counts.pageErrors > 0 ? `; ${counts.pageErrors} page${counts.pageErrors === 1 ? '' : 's'} failed` : '';
  if (result.dryRun) {
    const fresh = result.outcomes.filter((o) => o.code !== null && o.fetch !== 'cached').length;
    return (
      `Dry run: ${counts.discovered} release${counts.discovered === 1 ? '' : 's'} found (${scope}); ` +
      `${fresh} would be downloaded, ${counts.discovered - fresh} would be re-checked with a conditional request (no body unless changed)${pages}. Nothing was downloaded or loaded.`
    );
  }
  const time = ` in ${formatDuration(result.elapsedMs)}`;
  if (result.aborted) {
    return `Interrupted: ${counts.loaded} loaded, ${counts.unchanged} unchanged before the stop; the rest is left for the next sync${time}.`;
  }
  if (counts.loaded === 0 && counts.downloaded === 0 && counts.failed === 0 && counts.pageErrors === 0) {
    return `Nothing new: ${counts.discovered} release${counts.discovered === 1 ? '' : 's'} checked (${scope}); nothing downloaded, nothing loaded${time}.`;
  }
  return (
    `${counts.loaded} loaded, ${counts.unchanged} unchanged, ${counts.failed} failed${pages}; ` +
    `${counts.downloaded} downloaded (${formatBytes(counts.bytes)}), ${counts.notModified} not modified${time}.`
  );
}

export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  if (bytes < 1_000_000) return `${(bytes / 1000).toFixed(1)} kB`;
  if (bytes < 1_000_000_000) return `${(bytes / 1_000_000).toFixed(1)} MB`;
  return `${(bytes / 1_000_000_000).toFixed(2)} GB`;
}
