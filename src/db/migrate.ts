/**
 * Numbered migrations from migrations/ (in the build: dist/migrations/, one file per migration),
 * applied in order under Kysely's migration lock. A migration is named by its file without the
 * extension (`0001_pfs`), so the sources and the build record the same names.
 */
import { readdir } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import path from 'node:path';
import { Migrator, sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import { MIGRATIONS } from '../locations.js';

/** Keep in step with scripts/build.mjs, which builds every file of this pattern. */
const MIGRATION_NAME = /^\d{4}_[\w-]+$/;

/** The migrations there are, by name, in order. */
export async function migrationNames(): Promise<string[]> {
  return (await readdir(MIGRATIONS.dir))
    .filter((file) => file.endsWith(MIGRATIONS.extension))
    .map((file) => file.slice(0, -MIGRATIONS.extension.length))
    .filter((name) => MIGRATION_NAME.test(name))
    .sort();
}

class FolderMigrations implements MigrationProvider {
  constructor(private readonly names: readonly string[]) {}

  async getMigrations(): Promise<Record<string, Migration>> {
    const names = this.names;
    const migrations: Record<string, Migration> = {};
    for (const name of names) {
      migrations[name] = (await import(pathToFileURL(path.join(MIGRATIONS.dir, name + MIGRATIONS.extension)).href)) as Migration;
    }
    return migrations;
  }
}

export interface MigrationReport {
  applied: string[];
}

/**
 * Whether every migration is recorded as applied already: the usual case of every command after
 * the first. One query then, instead of the migrator's (its tables, its lock, and importing every
 * migration file); anything else (a table missing, a migration not recorded, one recorded that is
 * not here) goes to the migrator, which applies or reports it.
 * A migration committing meanwhile is either recorded here or not: never half.
 */
async function allApplied(db: Kysely<any>, names: readonly string[]): Promise<boolean> {
  try {
    const { rows } = await sql<{ name: string }>`select name from cms.kysely_migration`.execute(db);
    // exactly the migrations there are: one missing here (a newer build ran) is the migrator's to report
    const applied = new Set(rows.map((row) => row.name));
    return applied.size === names.length && names.every((name) => applied.has(name));
  } catch {
    return false;
  }
}

export async function migrate(db: Kysely<any>): Promise<MigrationReport> {
  const names = await migrationNames();
  if (await allApplied(db, names)) return { applied: [] };
  const migrator = new Migrator({
    db,
    provider: new FolderMigrations(names),
    migrationTableSchema: 'cms',
  });
  const { error, results = [] } = await migrator.migrateToLatest();
  if (error) {
    const failed = results.find((result) => result.status === 'Error');
    const message = (error as Error).message ?? String(error);
    // a statement_timeout from the connection (options=-c statement_timeout=…) or the role cancels the migration lock itself
    const hint = (error as { code?: unknown }).code === '57014' ? ' (a statement_timeout too short for migrations? it can come from the connection string\'s options=-c statement_timeout=…, the role or the database)' : '';
    throw new Error(
      failed === undefined
        ? `could not bring the database schema up to date (before any migration ran): ${message}${hint}`
        : `migration ${failed.migrationName} failed: ${message}${hint}`,
      { cause: error },
    );
  }
  return { applied: results.filter((result) => result.status === 'Success').map((result) => result.migrationName) };
}
