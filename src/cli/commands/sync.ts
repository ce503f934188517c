/**
 * `cms-ingest sync`: discover, download and load what is new on the CMS site.
 *
 * Exit codes: 0 all done (also when nothing was new, and for --dry-run); 1 a release, a page or a
 * --publish-to target failed (the others were still loaded); 2 usage error; 3 another sync holds
 * the lock (or another process has the embedded database open); 130 / 143 interrupted by SIGINT /
 * SIGTERM (the load in progress was rolled back; run sync again to finish).
 */
import type { Command } from 'commander';
import { rememberedReleases } from '../../index.js';
import { contextOf, withDatabase } from '../context.js';
import { familyTitles } from '../help.js';
import { runSync } from '../run-sync.js';
import { addSyncOptions, publishTargetsOf, syncOptionsOf, type SyncFlags } from '../sync-flags.js';

// the flag helpers, where tests and `schedule` found them before
export { addSyncOptions, publishTargetsOf, syncOptionsOf, type SyncFlags };

export function registerSync(program: Command): void {
  addSyncOptions(program.command('sync').description(`discover ${familyTitles(true)} on the CMS site; download and load what is new`))
    .option('--dry-run', 'list what would be fetched: no download, no load')
    .option('--allow-shrink', 'load a dataset even when it has under half the rows of the previous release')
    .addHelpText(
      'after',
      '\nExit codes: 0 done (also nothing new), 1 a release, page or publish target failed, 2 usage error,\n' +
        '3 another sync holds the lock, 130/143 interrupted by SIGINT/SIGTERM (nothing half-loaded).',
    )
    .action(async (flags: SyncFlags, command: Command) => {
      const context = contextOf(command);
      const options = { ...syncOptionsOf(flags, context), publish: publishTargetsOf(flags) };
      // the embedded database as its last command left it: a sync that finds nothing new need not start it
      const loaded = () => (context.config.databaseUrl ? Promise.resolve(undefined) : rememberedReleases(context.config.home));
      const code = await runSync(context, options, (work) => withDatabase(context, work), undefined, loaded);
      if (code !== 0) process.exitCode = code;
    });
}
