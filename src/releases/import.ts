/**
 * Import one release: open the source, work out which release it is, and load all of its
 * datasets in one transaction — completely or not at all. The same bytes twice are a no-op;
 * new bytes for a loaded release code become its next revision and supersede the previous one.
 */
import { openArchive, type Archive } from '../archive/archive.js';
import type { Database } from '../db/database.js';
import { InputError } from '../errors.js';
import type { AppliedErratum, ReleaseFacts } from '../pipeline.js';
import { loadDataset, type DatasetLoadResult, type LoadReporter } from './load.js';
import { checkPlanOptions, planRelease, type PlanOptions } from './plan.js';
import { finishRun, startRun } from './runs.js';
import { analyzeLoaded } from './statistics.js';
import { InFlight } from '../db/in-flight.js';
import { findReleaseBySha, insertActiveRelease, lockFamily, nextRevision, recordErrata, setPublishedOn, type StoredRelease } from './store.js';
import type { ImportSetup } from './steps.js';
import { checkShrink } from './canary.js';
import { carryForward, checkCompanionsKept, type CarriedDataset } from './carry.js';
import { unchangedContent } from './content.js';

export interface ImportOptions extends PlanOptions {
  /** where the bytes came from (sync passes the download URL) */
  readonly sourceUrl?: string | undefined;
  /**
   * The name the source is known by, when its file is named otherwise (sync: the name CMS gave
   * the zip, for a cached `<sha256>.zip`): release identity, `releases.source_name`,
   * `release_files` and messages use it. Default: the source's base name.
   */
  readonly sourceName?: string | undefined;
  /** progress and warnings as they happen */
  readonly onEvent?: ((event: ImportEvent) => void) | undefined;
  /** abort the load (e.g. on SIGTERM): it rolls back and the import fails with the signal's reason */
  readonly signal?: AbortSignal | undefined;
  /**
   * Accept a dataset with under half the rows it had in the previous release of its family
   * (the shrink canary, canary.ts, refuses it otherwise).
   */
  readonly allowShrink?: boolean | undefined;
}

export type ImportEvent =
  | { type: 'warning'; message: string }
  | { type: 'progress'; dataset: string; file: string; rows: number };

export interface ImportResult {
  status: 'loaded' | 'unchanged';
  source: string;
  family: string;
  code: string;
  revision: number;
  releaseId: string;
  effectiveFrom: string;
  publishedOn: string | null;
  /** the revision this one replaced, when it is a re-post */
  superseded?: { code: string; revision: number } | undefined;
  datasets: DatasetLoadResult[];
  /** datasets of the superseded revision that this re-post did not ship, copied forward from it (carry.ts) */
  carried: CarriedDataset[];
  warnings: string[];
  elapsedMs: number;
}

export async function importRelease(
  database: Database,
  setup: ImportSetup,
  source: string,
  options: ImportOptions = {},
): Promise<ImportResult> {
  checkPlanOptions(setup.families, options);
  const started = performance.now();
  const warnings: string[] = [];
  const emit = options.onEvent ?? (() => undefined);
  const runId = await startRun(database.db, options.sourceUrl ?? source, null);
  let archive: Archive | undefined;
  let identified: { family: string; code: string } | undefined;
  try {
    archive = await openArchive(source, { name: options.sourceName });
    await database.db.updateTable('cms.import_runs').set({ archive_sha256: archive.sha256 }).where('id', '=', runId).execute();
    const plan = planRelease(archive, setup.families, options);
    identified = { family: plan.family.name, code: plan.identity.code };

    const existing = await findReleaseBySha(database.db, plan.family.name, archive.sha256);
    if (existing) return await unchanged(sameCode(existing));
    // The same files in another container (one file unzipped, the folder it unzips to).
    const sameContent = await unchangedContent(database.db, plan);
    if (sameContent) return await unchanged(sameContent);

    const facts: ReleaseFacts = {};
    const errata: { dataset: string; applied: AppliedErratum }[] = [];
    const reporter: LoadReporter = {
      release: plan.identity.code,
      corrected: (dataset, applied) => void errata.push({ dataset, applied }),
      warn(message) {
        warnings.push(message);
        emit({ type: 'warning', message });
      },
      fact(name, value, file) {
        const previous = facts[name];
        if (previous !== undefined && previous !== value) {
          reporter.warn(`${file}: ${name} ${value} differs from ${previous} found in another file; keeping the later date`);
          if (previous > value) return;
        }
        facts[name] = value;
      },
      progress: (dataset, file, rows) => emit({ type: 'progress', dataset, file, rows }),
      signal: options.signal,
    };

    const outcome = await database.transaction(async (tx) => {
      await lockFamily(tx.db, plan.family.name);
      // Someone may have loaded the same bytes while we waited for the lock.
      const raced = await findReleaseBySha(tx.db, plan.family.name, archive!.sha256);
      if (raced) return { raced, id: undefined };
      const revision = await nextRevision(tx.db, plan.family.name, plan.identity.code);
      const { id, superseded } = await insertActiveRelease(tx.db, {
        family: plan.family.name,
        code: plan.identity.code,
        year: plan.identity.year,
        quarter: plan.identity.quarter,
        revision,
        effective_from: plan.identity.effectiveFrom,
        source_name: archive!.name,
        source_url: options.sourceUrl ?? null,
        archive_sha256: archive!.sha256,
      });
      const datasets: DatasetLoadResult[] = [];
      // The server stores one file (and analyses its table) while the next is read.
      const inFlight = new InFlight();
      const analysed = new Set<string>();
      for (const datasetPlan of plan.datasets) {
        const mark = inFlight.sent;
        try {
          const loaded = await loadDataset(tx, id, datasetPlan, reporter, inFlight);
          datasets.push(loaded);
          if (!analysed.has(loaded.table)) {
            analysed.add(loaded.table);
            analyzeLoaded(tx, loaded.table, datasetPlan.dataset.key, inFlight);
          }
        } catch (error) {
          // A statement sent before this dataset that failed is what went wrong first.
          await inFlight.failedAfter(mark, error);
        }
      }
      await inFlight.settle();
      // A re-post without some datasets of the revision it replaces keeps them (carry.ts).
      const carried = superseded
        ? await carryForward(tx, plan.family.datasets, new Set(datasets.map((loaded) => loaded.dataset)), superseded, id)
        : [];
      if (superseded) await checkCompanionsKept(tx, plan.family.datasets, datasets, superseded);
      if (facts.published_on) await setPublishedOn(tx.db, id, facts.published_on);
      await recordErrata(tx.db, id, errata);
      if (!options.allowShrink) {
        await checkShrink(tx.db, id, datasets.map((loaded) => ({ dataset: loaded.dataset, rows: loaded.rows, file: loaded.files[0]?.name ?? archive!.name })));
      }
      options.signal?.throwIfAborted();
      // what later stages derive from the release (the change feed, the review queue …) commits with it
      for (const step of setup.steps) await step.run(tx, { family: plan.family, releaseId: id, warn: reporter.warn });
      return { id, revision, superseded, datasets, carried };
    });
    if (outcome.id === undefined) return await unchanged(sameCode(outcome.raced));

    await finishRun(database.db, runId, {
      outcome: 'loaded',
      family: plan.family.name,
      releaseCode: plan.identity.code,
      releaseId: outcome.id,
      warnings,
    });
    return {
      status: 'loaded',
      source,
      family: plan.family.name,
      code: plan.identity.code,
      revision: outcome.revision,
      releaseId: outcome.id,
      effectiveFrom: plan.identity.effectiveFrom,
      publishedOn: facts.published_on ?? null,
      superseded: outcome.superseded ? { code: outcome.superseded.code, revision: outcome.superseded.revision } : undefined,
      datasets: outcome.datasets,
      carried: outcome.carried,
      warnings,
      elapsedMs: performance.now() - started,
    };
  } catch (error) {
    // The audit row must survive even when the database is what failed.
    await finishRun(database.db, runId, { outcome: 'failed', ...identifiedAs(identified), error, warnings }).catch(() => undefined);
    throw error;
  } finally {
    await archive?.close();
  }

  /** The same bytes loaded as another release (`--code RVU26C` for RVU24B's zip) are no `unchanged`: refused, naming both. */
  function sameCode(release: StoredRelease): StoredRelease {
    if (release.code === identified!.code) return release;
    throw new InputError(`the archive is byte-identical to ${release.code}, already loaded; it was named ${identified!.code}`, {
      file: archive!.name,
      expected: `the archive of ${identified!.code}, or no --code to let its names say which release it is`,
    });
  }

  async function unchanged(release: StoredRelease): Promise<ImportResult> {
    await finishRun(database.db, runId, {
      outcome: 'unchanged',
      family: release.family,
      releaseCode: release.code,
      releaseId: release.id,
      warnings,
    });
    return {
      status: 'unchanged',
      source,
      family: release.family,
      code: release.code,
      revision: release.revision,
      releaseId: release.id,
      effectiveFrom: release.effective_from,
      publishedOn: release.published_on,
      datasets: [],
      carried: [],
      warnings,
      elapsedMs: performance.now() - started,
    };
  }
}

function identifiedAs(identified: { family: string; code: string } | undefined) {
  return identified ? { family: identified.family, releaseCode: identified.code } : {};
}
