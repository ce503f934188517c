/**
 * Work that runs inside a release's load transaction once its rows are in: later stages
 * (the change feed of src/diff) register here, so a release and what is derived from it
 * commit together.
 */
import type { Transaction } from '../db/database.js';
import { writeChangeFeed } from '../diff/feed.js';
import { raiseReviewItems } from '../editorial/review/on-load.js';
import type { Family } from '../pipeline.js';

export interface LoadedRelease {
  readonly family: Family;
  readonly releaseId: string;
  warn(message: string): void;
}

export async function afterLoad(tx: Transaction, release: LoadedRelease): Promise<void> {
  // The change feed (cms.code_change): this release against the one before it, per dataset.
  await writeChangeFeed(tx.db, release.family, release.releaseId, { warn: release.warn });
  // The editors' review queue (cms.review_item), raised from that feed. Until the load steps are
  // passed in by src/index.ts (issue 10), this is where it is wired; it moves as one line.
  await raiseReviewItems(tx.db, release.releaseId);
}
