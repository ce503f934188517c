/**
 * Helpers of sync around the sources stage: an HTTP client that stops reading bodies when the run
 * is aborted, and a staging link that gives a cached archive (`<sha256>.zip`) the name CMS gave
 * it, so that `releases.source_name` and `release_files` say `rvu25d-updated-09-11-2025.zip`.
 */
import { randomBytes } from 'node:crypto';
import { copyFile, link, mkdir, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { HttpClient } from '../sources/index.js';

/**
 * `http` whose every request, pages and downloads, takes `signal`: an abort destroys the request
 * wherever it is (connecting, waiting for headers, reading a body; a download's temp file is
 * removed, nothing reaches the cache), and no request starts afterwards. The run's deadlines, when
 * set, become each request's own.
 */
export function abortableHttp(
  http: HttpClient,
  signal: AbortSignal,
  deadlines: { pageDeadlineMs?: number | undefined; downloadDeadlineMs?: number | undefined } = {},
): HttpClient {
  const both = (own: AbortSignal | undefined) => (own === undefined ? signal : AbortSignal.any([signal, own]));
  return {
    get(url, options) {
      signal.throwIfAborted();
      return http.get(url, { ...options, deadlineMs: options.deadlineMs ?? deadlines.downloadDeadlineMs, signal: both(options.signal) });
    },
    getText(url, options = {}) {
      signal.throwIfAborted();
      return http.getText(url, { ...options, deadlineMs: options.deadlineMs ?? deadlines.pageDeadlineMs, signal: both(options.signal) });
    },
    close: () => http.close(),
  };
}

/**
 * The file name an archive is imported under: the part of its CMS path after `/files/zip/` (or
 * the last segment), with CMS's literal slashes turned into hyphens:
 * `/files/zip/rvu25d-updated-09/11/2025.zip` → `rvu25d-updated-09-11-2025.zip`.
 */
export function archiveFileName(url: string): string {
  let path: string;
  try {
    const pathname = new URL(url).pathname;
    try {
      path = decodeURIComponent(pathname);
    } catch {
      path = pathname;
    }
  } catch {
    path = url;
  }
  const rest = /\/files\/zip\/(.+)$/i.exec(path)?.[1] ?? path.slice(path.lastIndexOf('/') + 1);
  const name = rest
    .replace(/[/\\]+/g, '-')
    .replace(/[^\w.-]+/g, '_')
    .replace(/^[.-]+/, '');
  if (name === '') return 'archive.zip';
  return /\.zip$/i.test(name) ? name : `${name}.zip`;
}

export interface StagedArchive {
  path: string;
  remove(): Promise<void>;
}

/** Staging folders older than this are leftovers of a killed process. */
const STALE_MS = 24 * 60 * 60 * 1000;

/**
 * A name for a cached archive: a hard link (no copy) in `<cacheDir>/staging/<unique>/`, or a copy
 * where the filesystem has no hard links. The cache itself is never renamed or changed.
 */
export async function stageArchive(cacheDir: string, archive: string, name: string): Promise<StagedArchive> {
  const root = join(cacheDir, 'staging');
  await mkdir(root, { recursive: true });
  const dir = join(root, `${process.pid}-${Date.now()}-${randomBytes(4).toString('hex')}`);
  await mkdir(dir);
  const path = join(dir, name);
  try {
    await link(archive, path);
  } catch {
    await copyFile(archive, path);
  }
  return { path, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** Remove staging folders left by killed processes (older than a day: another sync may share the cache). */
export async function sweepStaging(cacheDir: string): Promise<void> {
  const root = join(cacheDir, 'staging');
  let names: string[];
  try {
    names = await readdir(root);
  } catch {
    return;
  }
  const now = Date.now();
  for (const name of names) {
    const dir = join(root, name);
    try {
      if (now - (await stat(dir)).mtimeMs > STALE_MS) await rm(dir, { recursive: true, force: true });
    } catch {
      // gone already
    }
  }
}
