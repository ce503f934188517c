/** Sync as text: pure functions of its events and result (the CLI's narration, table and summary). */
import type { SyncEvent, SyncOutcome, SyncResult } from '../../sync/events.js';
import type { SyncOptions } from '../../sync/options.js';
import { formatCount, formatDuration, formatTable } from '../../text-table.js';

/** One line about an event, for people; null for events without one. `where`: the site, as shown. */
export function narrateSync(event: SyncEvent, where: string, options: Pick<SyncOptions, 'dryRun'>): string | null {
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
      // a download error already leads with the release code (DownloadError): said once
      return `${event.release.code}: ${event.stage} failed: ${withoutPrefix(event.error, `${event.release.code}: `)}`;
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

/** One error line per release or page that failed, naming it (once, even when the message already does). */
export function syncErrors(result: SyncResult): string[] {
  return result.outcomes.flatMap((outcome) => {
    if (outcome.error === null) return [];
    const subject = outcome.code ?? `${outcome.family} page`;
    return [outcome.error.startsWith(`${subject}: `) ? outcome.error : `${subject}: ${outcome.error}`];
  });
}

/** What a person is told after SIGINT / SIGTERM stopped a sync. */
export function describeInterrupted(signal: NodeJS.Signals): string {
  return `interrupted by ${signal}: nothing was half-loaded; run sync again to finish`;
}

function note(outcome: SyncOutcome): string {
  if (outcome.error !== null) return `${outcome.failedAt} failed (see below)`;
  if (outcome.supersedes !== null) return `supersedes revision ${outcome.supersedes}`;
  return '';
}

function summary(result: SyncResult): string {
  const { counts } = result;
  const families = result.families;
  const scope = `${families.length <= 1 ? (families[0] ?? '') : `${families.slice(0, -1).join(', ')} and ${families.at(-1)}`} since ${result.since}`;
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

const withoutPrefix = (text: string, prefix: string): string => (text.startsWith(prefix) ? text.slice(prefix.length) : text);
