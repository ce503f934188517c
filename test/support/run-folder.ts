/**
 * The run-wide scratch folder (`$TMPDIR/cms-ingest-run-*`, see global-setup.ts), and the removal
 * of those that dead runs left behind. Global teardown removes a run's own folder, but a run that
 * never gets to teardown leaves its folder (41 MB with the migrated snapshot): a run killed or
 * crashed, or one under Stryker's vitest runner, which runs global setup and never the teardown.
 * So each folder names the process that owns it (`owner.pid`), and global setup removes the run
 * folders whose owner is no longer alive. Such a run also left its scratch databases on
 * TEST_DATABASE_URL's server: each is recorded in its run folder (`databases/`, one empty file per
 * name) while it exists, and dropped with the folder. No vitest import: global setup uses this.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const RUN_FOLDER_PREFIX = 'cms-ingest-run-';
/** The file in a run folder holding the pid of the process that owns it (global setup's). */
export const OWNER_FILE = 'owner.pid';
/** The folder in a run folder recording the scratch databases of the run that exist now. */
export const DATABASES_FOLDER = 'databases';
/**
 * A run folder without an owner file is removed once nothing in it has changed for this long: one
 * of a run from before owner files, or one whose run died between making it and writing the file.
 * A younger one may be a live run's (being set up, or a run of a checkout without owner files):
 * a day, because such a run (Stryker's) can last hours, though its test files keep changing the
 * folder (each makes and removes its scratch folders there).
 */
export const UNOWNED_GRACE_MS = 24 * 60 * 60_000;

/** Make the run folder under `parent`, owned by this process. */
export async function makeRunFolder(parent: string): Promise<string> {
  const folder = await mkdtemp(path.join(parent, RUN_FOLDER_PREFIX));
  await writeFile(path.join(folder, OWNER_FILE), `${process.pid}\n`);
  return folder;
}

/** Whether a process with this pid exists (EPERM: it does, owned by another user). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether no live run owns this run folder: its owner is dead, or it has none and is old. */
async function isStale(folder: string, now: number): Promise<boolean> {
  const owner = await readFile(path.join(folder, OWNER_FILE), 'utf8').catch(() => undefined);
  if (owner !== undefined) {
    const pid = Number(owner.trim());
    return !Number.isSafeInteger(pid) || pid <= 0 || !isAlive(pid);
  }
  const changed = await stat(folder).then((info) => info.mtimeMs, () => undefined);
  return changed !== undefined && now - changed > UNOWNED_GRACE_MS;
}

/** The run folder this process works in (TMPDIR, for the workers and global setup), if it is one. */
function currentRunFolder(): string | undefined {
  const folder = tmpdir();
  return path.basename(folder).startsWith(RUN_FOLDER_PREFIX) && existsSync(path.join(folder, OWNER_FILE)) ? folder : undefined;
}

/** Record a scratch database just created (outside a test run, as in bench/, nothing is recorded). */
export async function recordDatabase(name: string): Promise<void> {
  const folder = currentRunFolder();
  if (folder === undefined) return;
  await mkdir(path.join(folder, DATABASES_FOLDER), { recursive: true });
  await writeFile(path.join(folder, DATABASES_FOLDER, name), '');
}

/** A scratch database is dropped: no longer recorded. */
export async function forgetDatabase(name: string): Promise<void> {
  const folder = currentRunFolder();
  if (folder !== undefined) await rm(path.join(folder, DATABASES_FOLDER, name), { force: true });
}

/** The scratch databases a run folder records (the ones its run made and has not dropped). */
export async function recordedDatabases(folder: string): Promise<string[]> {
  return (await readdir(path.join(folder, DATABASES_FOLDER)).catch(() => [])).sort();
}

/**
 * Remove the run folders under `parent` that no live run owns, dropping first, with
 * `dropDatabases`, the scratch databases each records (given when there is a server to drop them
 * on); returns the names of the folders removed.
 */
export async function removeStaleRunFolders(
  parent: string,
  now = Date.now(),
  dropDatabases?: (names: readonly string[]) => Promise<void>,
): Promise<string[]> {
  const entries = await readdir(parent, { withFileTypes: true }).catch(() => []);
  const removed: string[] = [];
  for (const entry of entries) {
    if (!entry.isDirectory() || !entry.name.startsWith(RUN_FOLDER_PREFIX)) continue;
    const folder = path.join(parent, entry.name);
    if (!(await isStale(folder, now))) continue;
    const databases = await recordedDatabases(folder);
    if (databases.length > 0 && dropDatabases !== undefined) await dropDatabases(databases);
    await rm(folder, { recursive: true, force: true });
    removed.push(entry.name);
  }
  return removed;
}
