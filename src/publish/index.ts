/**
 * Publish: one consistent snapshot of what cms-ingest holds (src/publish/snapshot.ts) handed to
 * destinations — a PostgreSQL schema swapped in atomically (postgres-target.ts), or files with a
 * manifest renamed into place (files-target.ts). Every attempt is recorded in cms.publish_runs.
 */
import path from 'node:path';
import type { Database } from '../db/database.js';
import { TransactionConnectionLost } from '../db/pool.js';
import { errorMessage, redactUrl, UsageError } from '../errors.js';
import type { Family } from '../pipeline.js';
import { EXPORT_FORMATS, exportToFiles, type ExportFormat, type ExportManifest } from './files-target.js';
import { publishToPostgres } from './postgres-target.js';
import { startRun } from './runs.js';
import { withSnapshot, type SnapshotRelease, type SnapshotRequest } from './snapshot.js';
import type { PublishedTableResult, PublishStep } from './types.js';

export type { PublishedTableResult, PublishStep } from './types.js';
export type { SnapshotRelease } from './snapshot.js';
export { EXPORT_FORMATS, type ExportFormat, type ExportManifest } from './files-target.js';

export const DEFAULT_PUBLISH_SCHEMA = 'cms_catalog';

export interface PublishOptions extends SnapshotRequest {
  /** PostgreSQL connection strings; each is published and reported on its own */
  readonly targets: readonly string[];
  /** the schema readers query in each target (default cms_catalog) */
  readonly schema?: string;
  /** rebuild even when nothing is new since the last publish to a target */
  readonly force?: boolean;
  /** called between steps of each target's publish (tests inject failures here) */
  readonly onStep?: (step: PublishStep, target: string) => Promise<void> | void;
}

export interface PublishTargetResult {
  /** the connection string without its password */
  readonly target: string;
  readonly schema: string;
  readonly outcome: 'published' | 'unchanged' | 'failed';
  readonly error?: string;
  /** failed while its COMMIT was in flight: the target may hold the new version (the next publish says) */
  readonly maybeCommitted?: boolean;
  readonly releases: readonly SnapshotRelease[];
  readonly editorialVersion: string | null;
  readonly tables: readonly PublishedTableResult[];
  readonly durationMs: number;
  /** how long readers' views were locked for the swap */
  readonly swapMs: number;
}

/** Usage errors in publish targets, before anything runs (sync and schedule check theirs at start). */
export function checkPublishTargets(targets: readonly string[], schema: string = DEFAULT_PUBLISH_SCHEMA): string {
  if (targets.length === 0) throw new UsageError('publish needs at least one --to postgres://… target');
  for (const target of targets) checkTargetUrl(target);
  return checkSchemaName(schema);
}

export async function publish(source: Database, families: readonly Family[], options: PublishOptions): Promise<PublishTargetResult[]> {
  const schema = checkPublishTargets(options.targets, options.schema);
  const localities = checkLocalities(options.paymentLocalities ?? 'all');
  const results: PublishTargetResult[] = [];
  for (const url of options.targets) {
    const target = redactUrl(url);
    const started = performance.now();
    if (options.signal?.aborted) {
      // Stopped (SIGINT) before this target: it is not started, and says so.
      const error = `publish to ${target} (schema ${schema}) not started: ${errorMessage(options.signal.reason)}`;
      results.push({ target, schema, outcome: 'failed', error, releases: [], editorialVersion: null, tables: [], durationMs: 0, swapMs: 0 });
      continue;
    }
    const recorded = { omit_cpt_descriptors: options.omitCptDescriptors === true, payment_localities: localities, schema, force: options.force === true };
    const run = await startRun(source, 'postgres', target, recorded);
    try {
      const result = await withSnapshot(source, families, { ...options, paymentLocalities: localities }, async (snapshot) => {
        const outcome = await publishToPostgres(snapshot, {
          url,
          schema,
          force: options.force === true,
          sourceLocation: source.location,
          onStep: options.onStep ? (step) => options.onStep!(step, target) : undefined,
        });
        return { snapshot, outcome };
      });
      const done: PublishTargetResult = {
        target,
        schema,
        outcome: result.outcome.outcome,
        releases: result.snapshot.releases,
        editorialVersion: result.snapshot.editorialVersion,
        tables: result.outcome.tables,
        durationMs: performance.now() - started,
        swapMs: result.outcome.swapMs,
      };
      await run.finish({ outcome: done.outcome, releases: [...done.releases], editorialVersion: done.editorialVersion, tables: [...done.tables] });
      results.push(done);
    } catch (error) {
      const message = `publish to ${target} (schema ${schema}) failed: ${errorMessage(error)}`;
      await run.finish({ outcome: 'failed', error: message }).catch(() => undefined);
      // A request that cannot be met (a locality the release lacks) fails every target alike: exit 2.
      if (error instanceof UsageError) throw error;
      const maybeCommitted = error instanceof TransactionConnectionLost && error.committing;
      results.push({
        target,
        schema,
        outcome: 'failed',
        error: message,
        ...(maybeCommitted ? { maybeCommitted } : {}),
        releases: [],
        editorialVersion: null,
        tables: [],
        durationMs: performance.now() - started,
        swapMs: 0,
      });
    }
  }
  return results;
}

function checkSchemaName(schema: string): string {
  // room for the data schemas' `__yyyymmddThhmmss_xxxxxx` suffix within PostgreSQL's 63 bytes
  if (!/^[a-z_][a-z0-9_]{0,39}$/.test(schema)) {
    throw new UsageError(`--schema ${JSON.stringify(schema)}: expected a lower-case PostgreSQL name of at most 40 characters (letters, digits, _)`);
  }
  return schema;
}

function checkTargetUrl(url: string): void {
  if (!/^postgres(ql)?:\/\//i.test(url)) {
    throw new UsageError(`--to ${JSON.stringify(redactUrl(url))}: expected a PostgreSQL URL such as postgres://warehouse.example:5432/db`);
  }
}

function checkLocalities(value: 'all' | 'none' | readonly string[]): 'all' | 'none' | string[] {
  if (value === 'all' || value === 'none') return value;
  const bad = value.find((locality) => !/^\d{5}-\d{2}$/.test(locality));
  if (bad !== undefined || value.length === 0) {
    throw new UsageError(`--payment-localities ${JSON.stringify(bad ?? '')}: expected all, none, or MAC-LOCALITY pairs such as 01112-05,10112-00`);
  }
  return [...new Set(value)].sort();
}

export interface ExportOptions extends SnapshotRequest {
  /** the folder to write (created, or replaced if it holds an earlier export) */
  readonly dir: string;
  readonly format?: ExportFormat;
}

/** Export the published tables as files with a manifest; recorded in cms.publish_runs. */
export async function exportFiles(source: Database, families: readonly Family[], options: ExportOptions): Promise<ExportManifest> {
  const format = options.format ?? 'csv';
  if (!(EXPORT_FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format ${JSON.stringify(format)}: expected ${EXPORT_FORMATS.join(', ')}`);
  const localities = checkLocalities(options.paymentLocalities ?? 'all');
  const recorded = { omit_cpt_descriptors: options.omitCptDescriptors === true, payment_localities: localities, format };
  const run = await startRun(source, 'files', path.resolve(options.dir), recorded);
  try {
    const manifest = await withSnapshot(source, families, { ...options, paymentLocalities: localities }, (snapshot) =>
      exportToFiles(snapshot, options.dir, format),
    );
    await run.finish({ outcome: 'published', releases: [...manifest.releases], editorialVersion: manifest.editorial_version, tables: manifest.files });
    return manifest;
  } catch (error) {
    await run.finish({ outcome: 'failed', error: errorMessage(error) }).catch(() => undefined);
    throw error;
  }
}
