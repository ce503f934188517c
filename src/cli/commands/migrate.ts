/** `cms-ingest migrate`: apply pending migrations (every command also does this on connect). */
import type { Command } from 'commander';
import { openDatabase, runMigrations } from '../../index.js';
import { contextOf } from '../context.js';

export function registerMigrate(program: Command): void {
  program
    .command('migrate')
    .description('bring the database schema up to date')
    .action(async (_flags: object, command: Command) => {
      const { config, output } = contextOf(command);
      const database = await openDatabase(config, { migrate: false });
      try {
        const applied = await runMigrations(database);
        output.result({ database: database.location, applied }, () =>
          applied.length === 0 ? `Schema up to date (${database.location}).` : `Applied ${applied.join(', ')} to ${database.location}.`,
        );
      } finally {
        await database.close();
      }
    });
}
