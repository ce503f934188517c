/** Open the configured database and bring its schema up to date. */
import type { Config } from '../config.js';
import type { Database } from './database.js';
import { migrate } from './migrate.js';
import { openEmbedded } from './pglite.js';
import { openPostgres } from './postgres.js';

export async function connect(config: Config, options: { migrate?: boolean } = {}): Promise<Database> {
  const database = config.databaseUrl ? await openPostgres(config.databaseUrl) : await openEmbedded(config.home);
  if (options.migrate !== false) {
    try {
      await migrate(database.db);
    } catch (error) {
      await database.close();
      throw error;
    }
  }
  return database;
}
