/** `cms-ingest releases`: what is loaded. */
import type { Command } from 'commander';
import { listReleases, rememberedReleases, type ReleaseSummary } from '../../index.js';
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
      // With --family and nothing of it: which families are loaded, for the message.
      const othersWanted = (listed: readonly ReleaseSummary[]) => flags.family !== undefined && listed.length === 0;
      const { releases, loaded } = remembered
        ? { releases: remembered, loaded: othersWanted(remembered) ? familiesOf(await rememberedReleases(context.config.home)) : undefined }
        : await withDatabase(context, async (database) => {
            const listed = await listReleases(database, flags);
            return { releases: listed, loaded: othersWanted(listed) ? familiesOf(await listReleases(database)) : undefined };
          });
      context.output.result(releases, () => (releases.length === 0 ? noReleases(flags.family, loaded) : formatReleases(releases, 'loaded')));
    });
}

const familiesOf = (releases: readonly ReleaseSummary[] | undefined): string[] | undefined =>
  releases && [...new Set(releases.map((release) => release.family))];

/** Nothing to list: nothing is loaded at all, or nothing of the --family asked for (and which families are, when known). */
function noReleases(family: string | undefined, loaded: readonly string[] | undefined): string {
  const load = 'Load one with `cms-ingest import <zip>` or `cms-ingest sync`.';
  if (family === undefined || loaded?.length === 0) return `No releases loaded yet. ${load}`;
  const others = loaded === undefined ? '' : ` (loaded: ${loaded.join(', ')}; \`cms-ingest releases\` lists them)`;
  return `No ${family} releases are loaded${others}. ${load}`;
}
