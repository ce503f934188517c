/** What every part of one sync run shares: the database, the options, the signal, the events and the outcomes so far. */
import type { Database } from '../db/database.js';
import { redactUrl } from '../errors.js';
import type { ImportSetup } from '../releases/steps.js';
import { toCmsUrl, type ReleaseRef } from '../sources/index.js';
import type { SyncEvent, SyncOutcome, SyncRelease } from './events.js';
import type { CheckedSyncOptions, SyncOptions } from './options.js';

export interface RunContext {
  readonly database: Database;
  readonly setup: ImportSetup;
  readonly options: SyncOptions & CheckedSyncOptions;
  readonly signal: AbortSignal;
  /** page failures first, then one outcome per release; filled in as the run goes */
  readonly outcomes: SyncOutcome[];
  readonly warnings: string[];
  emit(event: SyncEvent): void;
  warn(message: string, code?: string): void;
  /** A fetched URL as its www.cms.gov equivalent (mirror removed; credentials never kept). */
  cmsUrl(url: string): string;
  /** A discovered release as reported (www.cms.gov URLs). */
  describe(ref: ReleaseRef): SyncRelease;
}

export function runContext(database: Database, setup: ImportSetup, options: SyncOptions & CheckedSyncOptions): RunContext {
  const listener = options.onEvent;
  const outcomes: SyncOutcome[] = [];
  const warnings: string[] = [];
  const emit = (event: SyncEvent) => {
    // a listener that throws must not break the run
    try {
      listener?.(event);
    } catch {
      // ignored
    }
  };
  const cmsUrl = (url: string) => redactUrl(toCmsUrl(url, options.mirror));
  return {
    database,
    setup,
    options,
    signal: options.signal ?? new AbortController().signal,
    outcomes,
    warnings,
    emit,
    warn(message, code) {
      warnings.push(code === undefined ? message : `${code}: ${message}`);
      emit({ type: 'warning', message, code });
    },
    cmsUrl,
    describe: (ref) => ({
      family: ref.family,
      code: ref.code,
      year: ref.year,
      quarter: ref.quarter,
      updated: ref.updated,
      url: cmsUrl(ref.url),
      page: cmsUrl(ref.pageUrl),
    }),
  };
}
