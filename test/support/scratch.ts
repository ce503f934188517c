/**
 * Scratch folders for tests, removed after the test file that made them (`scratch-setup.ts`
 * registers the hook in every file), all under the run-wide folder that global teardown removes.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DATABASES_FOLDER, OWNER_FILE } from './run-folder.js';

/** The migrated PGlite dump global setup leaves in the run folder. */
export const SNAPSHOT_NAME = 'migrated.tar';

/** What may be left in the run folder at the end: the snapshot, the owner file and the record of databases (emptied by then). */
export function allowedAtEnd(name: string): boolean {
  return name === SNAPSHOT_NAME || name === OWNER_FILE || name === DATABASES_FOLDER;
}

const made: string[] = [];

/** A temporary folder removed after the test file (wherever in the file it was asked for). */
export async function scratchDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'cms-ingest-'));
  made.push(dir);
  return dir;
}

/** Remove every folder `scratchDir()` made in this file (the per-file hook). */
export async function removeScratchDirs(): Promise<void> {
  const dirs = made.splice(0);
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
}
