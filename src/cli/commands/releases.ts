/** `cms-ingest releases`: what is loaded. */
import type { Command } from 'commander';
import { listReleases, rememberedReleases } from '../../index.js';
import { contextOf, withDatabase } from '../context.js';
import { familyChoices } from '../help.js';
import { formatReleases } from '../render/releases.js';

export function registerReleases(program: Command): void {
  program
    .command('releases')
    .description('list the loaded releases, newest last')
    .option('--family <family>', `only the releases of this family (${familyChoices()})`)
    .action(async (flags: { family?: string }, command: Command) => {
      const context = contextOf(command);
      // The embedded database's start is most of this command's time: skip it while nothing has opened it since the last command.
      const remembered = context.config.databaseUrl ? undefined : await rememberedReleases(context.config.home, flags);
      if (remembered) context.output.debug(`releases: as the last command left the embedded database in ${context.config.home} (not opened since)`);
      const releases = remembered ?? (await withDatabase(context, (database) => listReleases(database, flags)));
      context.output.result(releases, () =>
        releases.length === 0
          ? 'No releases loaded yet. Load one with `cms-ingest import <zip>` or `cms-ingest sync`.'
          : formatReleases(releases, 'loaded'),
      );
    });
}
