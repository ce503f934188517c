/**
 * Work that runs inside a release's load transaction once its rows are in: later stages
 * (the change feed of src/diff) register here, so a release and what is derived from it
 * commit together.
 */
import type { Transaction } from '../db/database.js';
import { writeChangeFeed } from '../diff/feed.js';
import type { Family } from '../pipeline.js';

export interface LoadedRelease {
  readonly family: Family;
  readonly releaseId: string;
  warn(message: string): void;
}

export async function afterLoad(tx: Transaction, release: LoadedRelease): Promise<void> {
  // The change feed (cms.code_change): this release against the one before it, per dataset.
  await writeChangeFeed(tx.db, release.family, release.releaseId, { warn: release.warn });
}
