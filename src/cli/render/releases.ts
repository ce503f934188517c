/** The loaded releases as text. */
import type { ReleaseSummary } from '../../releases/list.js';
import { formatCount, formatTable } from '../../text-table.js';

/** The releases as a table; the seventh column is when each was loaded, or the file it came from. */
export function formatReleases(releases: readonly ReleaseSummary[], seventh: 'loaded' | 'source'): string {
  return formatTable(
    ['CODE', 'REV', 'STATUS', 'FAMILY', 'EFFECTIVE', 'PUBLISHED', seventh === 'loaded' ? 'LOADED (UTC)' : 'SOURCE', 'DATASETS'],
    releases.map((release) => [
      release.code,
      String(release.revision),
      release.status,
      release.family,
      release.effective_from,
      release.published_on ?? '',
      seventh === 'loaded' ? release.loaded_at.replace('T', ' ').replace('Z', '') : release.source_name,
      Object.entries(release.datasets)
        .map(([dataset, rows]) => `${dataset} ${formatCount(rows)}`)
        .join(', '),
    ]),
  );
}
