/**
 * The embedded database's control file (`global/pg_control`), read without starting PostgreSQL.
 * PostgreSQL rewrites it whenever it starts (the state becomes "in production") and when it shuts
 * down (the shutdown checkpoint's location and time): the same bytes as right after a clean close
 * mean nothing has opened the database since. src/releases/remembered.ts relies on that.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';

/** Where the embedded database keeps its data under `$CMS_INGEST_HOME`. */
export function embeddedDataDir(home: string): string {
  return path.join(home, 'pgdata');
}

/** sha256 of the control file; undefined when there is none (no database yet) or it cannot be read. */
export async function controlFileDigest(dataDir: string): Promise<string | undefined> {
  try {
    return createHash('sha256').update(await readFile(path.join(dataDir, 'global', 'pg_control'))).digest('hex');
  } catch {
    return undefined;
  }
}
