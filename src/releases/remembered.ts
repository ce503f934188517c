/**
 * `cms-ingest releases` without starting the embedded database, whose start is most of that
 * command's time. A command that used the embedded database lists the releases before closing it;
 * once PostgreSQL has shut down cleanly, and while the command still holds the lock, the list is
 * written to `$CMS_INGEST_HOME/releases.json` with the digest of the database's control file.
 * PostgreSQL rewrites that file at every start and every shutdown (src/db/control-file.ts), so
 * while it has the same bytes nothing has opened the database since and the list is what a query
 * would return. It is served only then, and only to a build with the same migrations and the same
 * query; in any other case (a newer load, a crash, a database in use, another version) `releases`
 * opens the database as before.
 */
import { createHash } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler } from 'kysely';
import { controlFileDigest, embeddedDataDir } from '../db/control-file.js';
import type { Database } from '../db/database.js';
import { migrationNames } from '../db/migrate.js';
import type { Schema } from '../db/schema.js';
import { writeWholeFile } from '../write-file.js';
import { listReleases, releasesOf, releasesQuery, type ReleaseFilter, type ReleaseSummary } from './list.js';

const FILE = 'releases.json';

interface Remembered {
  readonly controlDigest: string;
  readonly build: string;
  readonly releases: ReleaseSummary[];
}

/**
 * List the releases now, to be written once `database` (the embedded one; any other is left
 * alone) has closed cleanly. Never fails the command: `note` hears why nothing was kept.
 */
export async function rememberReleases(database: Database, home: string, note: (message: string) => void): Promise<void> {
  if (database.afterCleanClose === undefined) return;
  const [releases, build] = await Promise.all([listReleases(database), buildKey()]);
  database.afterCleanClose(async (controlDigest) => {
    const remembered: Remembered = { controlDigest, build, releases };
    await writeWholeFile(path.join(home, FILE), JSON.stringify(remembered)).catch((error: unknown) =>
      note(`the release list is not kept for the next \`releases\`: ${(error as Error).message}`),
    );
  });
}

/** The releases as the last clean close of the embedded database in `home` left them, if nothing has opened it since. */
export async function rememberedReleases(home: string, filter: ReleaseFilter): Promise<ReleaseSummary[] | undefined> {
  let remembered: Partial<Remembered>;
  try {
    remembered = JSON.parse(await readFile(path.join(home, FILE), 'utf8')) as Partial<Remembered>;
  } catch {
    return undefined;
  }
  if (!Array.isArray(remembered.releases) || typeof remembered.controlDigest !== 'string') return undefined;
  // a list with an entry no listing writes (edited by hand, another program's) is no list
  if (!remembered.releases.every(isReleaseSummary)) return undefined;
  const [digest, build] = await Promise.all([controlFileDigest(embeddedDataDir(home)), buildKey()]);
  if (digest !== remembered.controlDigest || build !== remembered.build) return undefined;
  return releasesOf(remembered.releases, filter);
}

/**
 * Drop the kept list: the embedded database failed to open (damaged, unreadable), and a failed
 * open leaves its control file as it was, so the list would go on being served as if all were well.
 */
export async function forgetReleases(home: string): Promise<void> {
  await rm(path.join(home, FILE), { force: true });
}

/** The fields every listed release has, with their types (list.ts): what the kept list must hold. */
function isReleaseSummary(entry: unknown): entry is ReleaseSummary {
  if (typeof entry !== 'object' || entry === null) return false;
  const release = entry as Record<string, unknown>;
  return (
    typeof release.family === 'string' &&
    typeof release.code === 'string' &&
    typeof release.revision === 'number' &&
    typeof release.status === 'string' &&
    typeof release.effective_from === 'string'
  );
}

/** What decides the list's shape: the schema (this build's migrations) and the query. */
async function buildKey(): Promise<string> {
  const compileOnly = new Kysely<Schema>({
    dialect: {
      createAdapter: () => new PostgresAdapter(),
      createDriver: () => new DummyDriver(),
      createIntrospector: (db) => new PostgresIntrospector(db),
      createQueryCompiler: () => new PostgresQueryCompiler(),
    },
  });
  const query = releasesQuery(compileOnly).compile().sql;
  return createHash('sha256').update(JSON.stringify({ migrations: await migrationNames(), query })).digest('hex');
}
