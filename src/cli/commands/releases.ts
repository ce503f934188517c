/** `cms-ingest releases`: what is loaded. */
import type { Command } from 'commander';
import { listReleases, type ReleaseSummary } from '../../index.js';
import { contextOf, withDatabase } from '../context.js';
import { formatCount, formatTable } from '../output.js';

export function registerReleases(program: Command): void {
  program
    .command('releases')
    .description('list the loaded releases, newest last')
    .option('--family <family>', 'only the releases of this family (as in the FAMILY column: pfs, hcpcs …)')
    .action(async (flags: { family?: string }, command: Command) => {
      const context = contextOf(command);
      const releases = await withDatabase(context, (database) => listReleases(database, flags));
      context.output.result(releases, () =>
        releases.length === 0
          ? 'No releases loaded yet. Load one with `cms-ingest import <zip>` or `cms-ingest sync`.'
          : formatReleases(releases, 'loaded'),
      );
    });
}

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
