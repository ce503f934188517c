/**
 * The schedule's log: one JSON object per line on stdout (pino), for journald, Kubernetes and any
 * log shipper. Every line has `level` (a label), `time` (ISO), `pid`, `hostname` (which replica),
 * `event` (what happened) and `msg` (the same for people); lines of one run also carry `run`.
 */
import { pino, type DestinationStream, type Logger } from 'pino';
import { redactDeep } from '../db/redact.js';
import type { SyncEvent } from '../sync/sync.js';

export type { DestinationStream, Logger } from 'pino';

/**
 * A logger writing JSON lines to `destination` (default: stdout, written synchronously so that
 * no line is lost when the process exits on SIGTERM). Passwords are redacted from every line.
 */
export function createScheduleLogger(destination?: DestinationStream): Logger {
  return pino(
    {
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      // every field and message of every line loses its passwords (any form pg accepts)
      hooks: {
        logMethod(args, method) {
          method.apply(this, redactDeep(args) as typeof args);
        },
      },
    },
    destination ?? pino.destination({ dest: 1, sync: true }),
  );
}

/** One sync event as a log line (progress events are not logged). */
export function logSyncEvent(log: Logger, event: SyncEvent): void {
  switch (event.type) {
    case 'found': {
      const { family, code, updated, url } = event.release;
      log.info({ event: 'release-found', family, code, updated, url }, `found ${code}${updated ? ` (updated ${updated})` : ''}`);
      return;
    }
    case 'fetched':
      log.info(
        { event: 'downloaded', code: event.release.code, status: event.status, url: event.finalUrl, bytes: event.bytes, size: event.size, sha256: event.sha256 },
        event.status === 'downloaded' ? `downloaded ${event.release.code} (${event.bytes} bytes)` : `${event.release.code} not modified since the cached copy`,
      );
      return;
    case 'load-start':
      log.info({ event: 'loading', code: event.release.code }, `loading ${event.release.code}`);
      return;
    case 'loaded': {
      const { load, revision, supersedes, rows } = event.outcome;
      log.info(
        { event: 'loaded', code: event.release.code, status: load, revision, supersedes, rows },
        load === 'loaded'
          ? `loaded ${event.release.code} revision ${revision}${supersedes !== null ? ` (supersedes revision ${supersedes})` : ''}`
          : `${event.release.code}: these bytes are loaded already (revision ${revision})`,
      );
      return;
    }
    case 'failed':
      log.error({ event: 'failed', stage: event.stage, code: event.release.code, url: event.release.url, error: event.error }, `${event.release.code} failed: ${event.error}`);
      return;
    case 'page-error':
      log.error({ event: 'failed', stage: 'discover', family: event.family, page: event.page, error: event.error }, `${event.family} discovery failed: ${event.error}`);
      return;
    case 'warning':
      log.warn({ event: 'warning', code: event.code, message: event.message }, event.code ? `${event.code}: ${event.message}` : event.message);
      return;
    case 'retry':
      log.warn(
        { event: 'retry', url: event.url, attempt: event.attempt, retriesLeft: event.retriesLeft, problem: event.problem },
        `retrying ${event.url} after attempt ${event.attempt}: ${event.problem}`,
      );
      return;
    case 'discovering':
    case 'discovered':
    case 'download-start':
    case 'download-progress':
    case 'load-progress':
      return;
  }
}
