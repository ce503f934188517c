/**
 * `cms-ingest demo` (`npm run demo`): the main job, offline. Serves fixtures/cms-site (a miniature
 * www.cms.gov) on 127.0.0.1, syncs every release from it into the embedded database in
 * $CMS_INGEST_HOME (default ./.cms-ingest), then prints what is loaded; then imports the editorial
 * sample (fixtures/editorial) and prints one merged catalog record and the review queue.
 * Run it again: nothing new (nothing downloaded, loaded or imported).
 *
 * It uses the embedded database even when DATABASE_URL is set (a demo must not write into a real
 * database by accident); pass --database-url explicitly to run it against Postgres.
 */
import path from 'node:path';
import type { Command } from 'commander';
import {
  DEMO_CATALOG_CODE, DEMO_EDITORIAL, catalogRecord, importEditorial, listReleases, resolveConfig, reviewQueue, startDemoSite, type Database,
} from '../../index.js';
import { redactUrl } from '../../errors.js';
import { contextOf, withDatabase, type CommandContext } from '../context.js';
import { describeDemoEditorial, describeDemoReleases } from '../render/demo.js';
import { runSync } from '../run-sync.js';

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('offline demo: serve the miniature CMS site in fixtures/cms-site locally and sync from it into the embedded database')
    .action(async (_flags: object, command: Command) => {
      const base = contextOf(command);
      const explicitUrl = command.optsWithGlobals<{ databaseUrl?: string }>().databaseUrl;
      const config = resolveConfig({ databaseUrl: explicitUrl, home: base.config.home }, { ...process.env, DATABASE_URL: undefined });
      const context: CommandContext = { ...base, config };
      const { output } = context;

      const site = await startDemoSite(config.home);
      let code: number;
      try {
        output.info(`Serving the miniature CMS site (fixtures/cms-site) at ${site.url}`);
        output.info(`Syncing into ${config.databaseUrl ? redactUrl(config.databaseUrl) : `the embedded database in ${config.home}`}\n`);
        code = await runSync(
          context,
          { mirror: site.url, since: 2000, cacheDir: path.join(config.home, 'cache') },
          (work) => withDatabase(context, work),
          async (database) => {
            await showReleases(context, database);
            await showEditorial(context, database);
          },
        );
      } finally {
        await site.close();
      }
      if (code !== 0) process.exitCode = code;
    });
}

async function showReleases(context: CommandContext, database: Database): Promise<void> {
  if (!context.output.options.json) context.output.info(describeDemoReleases(database.location, await listReleases(database)));
}

async function showEditorial(context: CommandContext, database: Database): Promise<void> {
  const imported = await importEditorial(database, [DEMO_EDITORIAL], { by: 'demo' });
  if (context.output.options.json) return;
  const record = await catalogRecord(database, DEMO_CATALOG_CODE);
  context.output.info(describeDemoEditorial(DEMO_EDITORIAL, imported, DEMO_CATALOG_CODE, record, await reviewQueue(database)));
}
