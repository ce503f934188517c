/** Release diffs: what changed between two releases of a family, computed in SQL. */
export { diffReleases } from './diff.js';
export type { DiffOptions } from './options.js';
export { changeFeedStep, writeChangeFeed, type FeedWritten } from './feed.js';
export type {
  ChangeKind,
  DiffChange,
  DiffMismatch,
  DiffMove,
  DiffReconciliation,
  DiffSummary,
  DiffValue,
  ReleaseDiff,
  ValueChange,
} from './types.js';
