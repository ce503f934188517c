/**
 * `mkdir -p`, one level at a time. Node 20's `mkdir(…, { recursive: true })` loops for ever on a
 * path under /proc (each mkdir says ENOENT, and it retries the parent that exists), and on a
 * read-only mount it says ENOENT where the reason is EROFS; made level by level, every failure is
 * the system's own (EROFS, EACCES, ENOTDIR, ENOENT) and ends the call.
 */
import { mkdir, stat } from 'node:fs/promises';
import path from 'node:path';

export async function makeDirectory(directory: string): Promise<void> {
  const missing: string[] = [];
  for (let at = path.resolve(directory); ; at = path.dirname(at)) {
    const found = await stat(at).then(
      (stats) => stats,
      (error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return undefined;
        throw error;
      },
    );
    if (found) break;
    missing.unshift(at);
    if (path.dirname(at) === at) break;
  }
  for (const level of missing) {
    await mkdir(level).catch((error: NodeJS.ErrnoException) => {
      // made meanwhile by another process: fine if it is a folder
      if (error.code !== 'EEXIST') throw error;
    });
  }
  const made = await stat(directory);
  if (!made.isDirectory()) throw Object.assign(new Error(`ENOTDIR: not a directory, mkdir '${directory}'`), { code: 'ENOTDIR' });
}
