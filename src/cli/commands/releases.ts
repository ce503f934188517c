/** `cms-ingest releases`: what is loaded. */
import type { Command } from 'commander';
import { listReleases } from '../../index.js';
import { contextOf, withDatabase } from '../context.js';
import { formatCount, formatTable } from '../output.js';

export function registerReleases(program: Command): void {
  program
    .command('releases')
    .description('list the loaded releases, newest last')
    .option('--family <family>', 'only pfs or hcpcs')
    .action(async (flags: { family?: string }, command: Command) => {
      const context = contextOf(command);
      const releases = await withDatabase(context, (database) => listReleases(database, flags));
      context.output.result(releases, () => {
        if (releases.length === 0) return 'No releases loaded yet. Load one with `cms-ingest import <zip>` or `cms-ingest sync`.';
        return formatTable(
          ['CODE', 'REV', 'STATUS', 'FAMILY', 'EFFECTIVE', 'PUBLISHED', 'LOADED (UTC)', 'DATASETS'],
          releases.map((release) => [
            release.code,
            String(release.revision),
            release.status,
            release.family,
            release.effective_from,
            release.published_on ?? '',
            release.loaded_at.replace('T', ' ').replace('Z', ''),
            Object.entries(release.datasets)
              .map(([dataset, rows]) => `${dataset} ${formatCount(rows)}`)
              .join(', '),
          ]),
        );
      });
    });
}
