/**
 * Load steps: work that runs inside a release's load transaction once its rows are in, so that a
 * release and everything derived from it commit together — or not at all.
 *
 * The importer knows no step by name: it runs the ones it is given (`ImportSetup.steps`), in
 * order. src/index.ts composes the list; a stage above releases/ contributes a step by exporting
 * one and adding it there:
 *
 * ```ts
 * // src/editorial/review-queue.ts
 * export const reviewQueueStep: LoadStep = {
 *   async run(tx, release) { … insert into cms.… using tx.db … },
 * };
 * // src/index.ts
 * const loadSteps: readonly LoadStep[] = [changeFeedStep, reviewQueueStep];
 * ```
 *
 * A step that throws rolls the whole load back and the import fails with its error; a finding
 * that should not stop the load goes to `release.warn` (it joins the import's warnings).
 */
import type { Transaction } from '../db/database.js';
import type { Family } from '../pipeline.js';

/** The release whose rows were just loaded (not yet committed). */
export interface LoadedRelease {
  readonly family: Family;
  /** `cms.releases.id`; already in `cms.releases` and `cms.release_datasets` inside `tx` */
  readonly releaseId: string;
  /** a non-fatal finding, reported with the import's result */
  warn(message: string): void;
}

export interface LoadStep {
  run(tx: Transaction, release: LoadedRelease): Promise<void>;
}

/** What the importer is given by its caller: the families it recognises and the steps of every load. */
export interface ImportSetup {
  readonly families: readonly Family[];
  readonly steps: readonly LoadStep[];
}
