/** `cms-ingest migrate`: apply pending migrations (every command also does this on connect). */
import type { Command } from 'commander';
import { runMigrations } from '../../index.js';
import { contextOf, withDatabase } from '../context.js';

export function registerMigrate(program: Command): void {
  program
    .command('migrate')
    .description('bring the database schema up to date')
    .action(async (_flags: object, command: Command) => {
      const context = contextOf(command);
      await withDatabase(
        context,
        async (database) => {
          const applied = await runMigrations(database);
          context.output.result({ database: database.location, applied }, () =>
            applied.length === 0 ? `Schema up to date (${database.location}).` : `Applied ${applied.join(', ')} to ${database.location}.`,
          );
        },
        { migrate: false },
      );
    });
}
