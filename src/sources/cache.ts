/**
 * The download cache: archives kept by content (`<dir>/sha256/<hex>.zip`), and a small index
 * `<dir>/index.json` of what each URL last answered (ETag, Last-Modified, sha256) so the next
 * request can be conditional. Both are written atomically (temp file + rename), so a killed
 * process leaves either the old state or the new one, never half a file.
 */
import { randomBytes } from 'node:crypto';
import { readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { makeDirectory } from '../make-directory.js';

export interface CacheEntry {
  etag: string | null;
  lastModified: string | null;
  sha256: string;
  size: number;
  /** when it was stored, ISO */
  storedAt: string;
}

interface IndexFile {
  version: 1;
  entries: Record<string, CacheEntry>;
}

const SHA256_HEX = /^[0-9a-f]{64}$/;
/** temp files older than this are leftovers of a killed process */
const STALE_TEMP_MS = 24 * 60 * 60 * 1000;

/** Index updates of one cache directory run one at a time within this process. */
const indexQueues = new Map<string, Promise<unknown>>();

export class DownloadCache {
  readonly dir: string;
  private swept = false;

  constructor(dir: string) {
    this.dir = resolve(dir);
  }

  /** Where the archive with this sha256 lives (whether or not it exists). */
  archivePath(sha256: string): string {
    if (!SHA256_HEX.test(sha256)) throw new Error(`not a sha256: ${JSON.stringify(sha256)}`);
    return join(this.dir, 'sha256', `${sha256}.zip`);
  }

  /** The entry for a URL whose archive is still on disk with the recorded size, else undefined. */
  async lookup(url: string): Promise<CacheEntry | undefined> {
    const entry = (await this.readIndex()).entries[url];
    if (entry === undefined || !SHA256_HEX.test(entry.sha256)) return undefined;
    try {
      const info = await stat(this.archivePath(entry.sha256));
      return info.isFile() && info.size === entry.size ? entry : undefined;
    } catch {
      return undefined;
    }
  }

  /** A fresh temp file path inside the cache (same filesystem as the archives, so rename is atomic). */
  async tempPath(): Promise<string> {
    const tmp = join(this.dir, 'tmp');
    await makeDirectory(tmp);
    if (!this.swept) {
      this.swept = true;
      await this.sweepStaleTemp(tmp);
    }
    return join(tmp, `${Date.now()}-${randomBytes(6).toString('hex')}.part`);
  }

  /** Move a verified temp file into place under its sha256; returns the archive path. */
  async commit(tempFile: string, sha256: string): Promise<string> {
    const path = this.archivePath(sha256);
    await makeDirectory(join(this.dir, 'sha256'));
    // same name means same bytes: replacing an existing copy is harmless
    await rename(tempFile, path);
    return path;
  }

  /** Record what a URL answered. Serialised per directory; the index file is replaced atomically. */
  async record(url: string, entry: Omit<CacheEntry, 'storedAt'>): Promise<void> {
    await this.updateIndex((index) => {
      index.entries[url] = { ...entry, storedAt: new Date().toISOString() };
    });
  }

  /** Forget a URL (its archive stays; another URL may share it). */
  async forget(url: string): Promise<void> {
    await this.updateIndex((index) => {
      delete index.entries[url];
    });
  }

  private async updateIndex(change: (index: IndexFile) => void): Promise<void> {
    const previous = indexQueues.get(this.dir) ?? Promise.resolve();
    const next = previous
      .catch(() => undefined)
      .then(async () => {
        // re-read inside the queue so concurrent updates are merged, not lost
        const index = await this.readIndex();
        change(index);
        await makeDirectory(this.dir);
        const temp = join(this.dir, `index.json.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
        await writeFile(temp, `${JSON.stringify(index, null, 2)}\n`);
        await rename(temp, join(this.dir, 'index.json'));
      });
    indexQueues.set(this.dir, next);
    try {
      await next;
    } finally {
      if (indexQueues.get(this.dir) === next) indexQueues.delete(this.dir);
    }
  }

  private async readIndex(): Promise<IndexFile> {
    let text: string;
    try {
      text = await readFile(join(this.dir, 'index.json'), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, entries: {} };
      throw error;
    }
    try {
      const parsed = JSON.parse(text) as Partial<IndexFile>;
      if (parsed.version === 1 && typeof parsed.entries === 'object' && parsed.entries !== null) {
        return { version: 1, entries: parsed.entries };
      }
    } catch {
      // fall through
    }
    // an unreadable index only costs a re-download; the archives themselves are content-addressed
    return { version: 1, entries: {} };
  }

  private async sweepStaleTemp(tmp: string): Promise<void> {
    const now = Date.now();
    for (const name of await readdir(tmp)) {
      if (!name.endsWith('.part')) continue;
      const path = join(tmp, name);
      try {
        if (now - (await stat(path)).mtimeMs > STALE_TEMP_MS) await rm(path, { force: true });
      } catch {
        // another process may have just removed or renamed it
      }
    }
  }
}
