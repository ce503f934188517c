/** Open the configured database and bring its schema up to date. */
import type { Config } from '../config.js';
import type { Database } from './database.js';
import type { EmbeddedOptions } from './pglite.js';
import { migrate } from './migrate.js';

export interface ConnectOptions {
  /** false: open without migrating (the `migrate` command does it itself) */
  readonly migrate?: boolean;
  /** for the embedded database: see EmbeddedOptions */
  readonly wasm?: EmbeddedOptions['wasm'];
}

export async function connect(config: Config, options: ConnectOptions = {}): Promise<Database> {
  // PGlite (WebAssembly, tens of MB) loads only when the embedded database is the one chosen.
  const database = config.databaseUrl
    ? await (await import('./postgres.js')).openPostgres(config.databaseUrl)
    : await (await import('./pglite.js')).openEmbedded(config.home, { wasm: options.wasm });
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
