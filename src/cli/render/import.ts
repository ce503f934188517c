/** An import's result as text. */
import type { ImportResult } from '../../releases/import.js';
import { formatCount, formatDuration } from '../../text-table.js';

/** What one import did: the release, revision and source, then rows per dataset. */
export function describeImport(result: ImportResult): string {
  if (result.status === 'unchanged') {
    return `${result.code}: nothing changed (${result.source} has the same bytes as revision ${result.revision}, already loaded)`;
  }
  const width = Math.max(8, ...[...result.datasets, ...result.carried].map((dataset) => dataset.dataset.length));
  const lines = [
    `${result.code} revision ${result.revision} loaded from ${result.source} in ${formatDuration(result.elapsedMs)}` +
      (result.superseded ? ` (supersedes revision ${result.superseded.revision})` : ''),
    ...result.datasets.map(
      (dataset) => `  ${dataset.dataset.padEnd(width)} ${formatCount(dataset.rows).padStart(7)} rows  → cms.${dataset.table}`,
    ),
    ...result.carried.map(
      (dataset) =>
        `  ${dataset.dataset.padEnd(width)} ${formatCount(dataset.rows).padStart(7)} rows  carried forward from revision ${dataset.from.revision} (not in ${result.source})`,
    ),
  ];
  return lines.join('\n');
}
