/**
 * Download one release archive into the cache, safely: the body streams to a temp file (hashed
 * and counted on the way, never held in memory), is checked (length against Content-Length, a
 * readable zip central directory, every member's bytes against its CRC-32 and size), and only
 * then renamed into place under its sha256 and recorded for its URL. A partial or corrupt
 * download never reaches the cache, so no later 304 can hand it back. An unchanged file answers
 * 304 and is served from the cache without a body.
 */
import { once } from 'node:events';
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import { Transform, Writable, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import yauzl from 'yauzl';
import { redactUrl } from '../errors.js';
import { DownloadCache, type CacheEntry } from './cache.js';
import { HttpError, type HttpClient, type ResponseInfo } from './http.js';
import type { ReleaseRef } from './release-ref.js';

export interface DownloadOptions {
  /** where archives and the index live (created if missing) */
  cacheDir: string;
  http: HttpClient;
  /** bytes received so far and the expected total (null without Content-Length); restarts on a retry */
  onProgress?: (received: number, total: number | null) => void;
  /** refuse bodies larger than this. Default 2 GiB. */
  maxBytes?: number;
  /**
   * How much the member check inflates: past a member's or the total's bound, members are left
   * to the import, which refuses a zip bomb from its declarations (the caller passes the import's
   * bounds, archive/limits.ts). Default: every member.
   */
  inflateLimits?: { readonly maxMemberBytes: number; readonly maxTotalBytes: number };
}

export interface DownloadResult {
  /** the archive in the cache: `<cacheDir>/sha256/<hex>.zip` */
  path: string;
  sha256: string;
  size: number;
  /** 'not-modified': the server answered 304 and no body was transferred */
  status: 'downloaded' | 'not-modified';
  /**
   * The URL that answered, after redirects (for 'not-modified', the one that answered 304): the
   * URL requested when nothing redirected. The cache stays keyed by the URL requested.
   */
  url: string;
  etag: string | null;
  lastModified: string | null;
}

/** A download that failed or was rejected. Names the release and the URL (credentials redacted). */
export class DownloadError extends Error {
  override readonly name = 'DownloadError';
  /** the release code, e.g. RVU25D */
  readonly release: string;
  /** the URL, credentials redacted */
  readonly url: string;
  readonly problem: string;

  constructor(release: string, url: string, problem: string, cause?: unknown) {
    const redacted = redactUrl(url);
    super(`${release}: ${redacted}: ${problem}`, { cause });
    this.release = release;
    this.url = redacted;
    this.problem = problem;
  }
}

interface Fetched {
  temp: string;
  sha256: string;
  size: number;
  info: ResponseInfo;
}

export async function download(ref: Pick<ReleaseRef, 'code' | 'url'>, options: DownloadOptions): Promise<DownloadResult> {
  const cache = new DownloadCache(options.cacheDir);
  try {
    const cached = await cache.lookup(ref.url);
    let outcome = await fetchToTemp(cache, ref, options, cached);
    if ('notModified' in outcome && cached !== undefined) {
      // the archive could have gone between the lookup and the 304
      const still = await cache.lookup(ref.url);
      if (still !== undefined) {
        const { sha256, size, etag, lastModified } = still;
        return { path: cache.archivePath(sha256), sha256, size, status: 'not-modified', url: outcome.notModified.url, etag, lastModified };
      }
      outcome = await fetchToTemp(cache, ref, options, undefined);
    }
    if ('notModified' in outcome) throw new DownloadError(ref.code, ref.url, 'HTTP 304 Not Modified to an unconditional request');
    return await verifyAndStore(cache, ref, outcome, options.inflateLimits);
  } catch (error) {
    if (error instanceof DownloadError) throw error;
    // the URL requested leads the message; a redirect target that failed is named in the problem
    const problem = error instanceof HttpError ? `${error.problemOf(ref.url)}${error.attempts > 1 ? ` (gave up after ${error.attempts} attempts)` : ''}` : errorText(error);
    throw new DownloadError(ref.code, ref.url, problem, error);
  }
}

/** GET (conditional when the cache knows the URL) into a temp file; on 304, what answered it. */
async function fetchToTemp(
  cache: DownloadCache,
  ref: Pick<ReleaseRef, 'code' | 'url'>,
  options: DownloadOptions,
  cached: CacheEntry | undefined,
): Promise<Fetched | { notModified: ResponseInfo }> {
  const maxBytes = options.maxBytes ?? 2 * 1024 ** 3;
  const result = await options.http.get(ref.url, {
    conditional: cached === undefined ? undefined : { etag: cached.etag, lastModified: cached.lastModified },
    consume: async (body, info) => ({ ...(await streamToTemp(cache, body, info, maxBytes, options.onProgress)), info }),
  });
  return result.notModified ? { notModified: result.info } : result.value;
}

/** One attempt's body → a temp file, hashed and counted while streaming. Removes the temp file on any failure. */
async function streamToTemp(
  cache: DownloadCache,
  body: Readable,
  info: ResponseInfo,
  maxBytes: number,
  onProgress: DownloadOptions['onProgress'],
): Promise<{ temp: string; sha256: string; size: number }> {
  if (info.contentLength !== null && info.contentLength > maxBytes) {
    // refused from the header: a declared 3 GB is not read for 2 GB first
    throw new DownloadLimitError(`Content-Length ${info.contentLength} is over the ${maxBytes}-byte limit; not downloaded`);
  }
  const temp = await cache.tempPath();
  const hash = createHash('sha256');
  let received = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      received += chunk.length;
      if (received > maxBytes) {
        done(new DownloadLimitError(`larger than the ${maxBytes}-byte limit`));
        return;
      }
      hash.update(chunk);
      onProgress?.(received, info.contentLength);
      done(null, chunk);
    },
  });
  const file = createWriteStream(temp, { flags: 'wx' });
  try {
    await pipeline(body, meter, file);
    if (info.contentLength !== null && received !== info.contentLength) {
      // retryable: a connection that ended early is a network fault, not a bad file
      throw new HttpError(info.url, `body cut short: ended after ${received} of ${info.contentLength} bytes`, { status: info.status, retryable: true });
    }
    return { temp, sha256: hash.digest('hex'), size: received };
  } catch (error) {
    // A body that fails at once can fail the pipeline while the file is still being opened; the
    // stream then creates it after an early rm. Wait until it is closed, then remove it.
    if (!file.closed) await once(file, 'close').catch(() => undefined);
    await rm(temp, { force: true });
    throw error;
  }
}

async function verifyAndStore(
  cache: DownloadCache,
  ref: Pick<ReleaseRef, 'code' | 'url'>,
  fetched: Fetched,
  limits: DownloadOptions['inflateLimits'],
): Promise<DownloadResult> {
  try {
    await verifyZip(fetched.temp, limits);
  } catch (error) {
    const problem =
      error instanceof CorruptMemberError
        ? `the download is corrupt: ${error.message}; ${fetched.size} bytes received, sha256 ${fetched.sha256}; not cached, the next sync downloads it again`
        : await notAZip(fetched, error);
    await rm(fetched.temp, { force: true });
    throw new DownloadError(ref.code, ref.url, problem, error);
  }
  let path: string;
  try {
    path = await cache.commit(fetched.temp, fetched.sha256);
  } catch (error) {
    await rm(fetched.temp, { force: true });
    throw error;
  }
  const { etag, lastModified } = fetched.info;
  await cache.record(ref.url, { etag, lastModified, sha256: fetched.sha256, size: fetched.size });
  return { path, sha256: fetched.sha256, size: fetched.size, status: 'downloaded', url: fetched.info.url, etag, lastModified };
}

/**
 * Walk the central directory: every entry must be readable and its data must lie inside the file
 * (catches truncated files, HTML error pages and random bytes); then every member's bytes are
 * streamed through (nothing is written) and must inflate to the size and CRC-32 the directory
 * declares (catches a right-length body with a flipped byte inside a member). Members yauzl cannot
 * read (encrypted, an unsupported method) and, past `limits` (the import's, archive/limits.ts), the
 * rest are left to the import, which refuses them or checks what it reads. A CorruptMemberError
 * names the member.
 */
export function verifyZip(path: string, limits: DownloadOptions['inflateLimits'] = { maxMemberBytes: Infinity, maxTotalBytes: Infinity }): Promise<number> {
  return new Promise((resolve, reject) => {
    yauzl.open(path, { lazyEntries: true, autoClose: true, validateEntrySizes: true }, (openError, zip) => {
      if (openError !== null || zip === undefined) {
        reject(openError ?? new Error('could not open'));
        return;
      }
      let entries = 0;
      let inflated = 0;
      let failed = false;
      const fail = (error: Error) => {
        if (failed) return;
        failed = true;
        zip.close();
        reject(error);
      };
      zip.on('error', fail);
      zip.on('entry', (entry: yauzl.Entry) => {
        entries++;
        if (entry.relativeOffsetOfLocalHeader + entry.compressedSize > zip.fileSize) {
          fail(new Error(`entry ${JSON.stringify(entry.fileName)} extends past the end of the file`));
          return;
        }
        const checked = (entry.compressionMethod === 0 || entry.compressionMethod === 8) && !entry.isEncrypted();
        // a zip bomb is the import's to refuse from its declarations, not ours to inflate
        const withinLimits = entry.uncompressedSize <= limits.maxMemberBytes && inflated + entry.uncompressedSize <= limits.maxTotalBytes;
        if (!checked || !withinLimits) {
          zip.readEntry();
          return;
        }
        inflated += entry.uncompressedSize;
        checkMember(zip, entry).then(
          () => {
            if (!failed) zip.readEntry();
          },
          (error: unknown) => fail(error as Error),
        );
      });
      zip.on('end', () => {
        if (entries === 0) reject(new Error('the archive has no entries'));
        else resolve(entries);
      });
      zip.readEntry();
    });
  });
}

/** A member whose bytes do not inflate, or not to its declared size and CRC-32: the archive is damaged, not merely not a zip. */
class CorruptMemberError extends Error {
  override readonly name = 'CorruptMemberError';
}

/** One member's bytes, streamed and dropped: yauzl checks the local header and the size (validateEntrySizes), this the CRC-32. */
async function checkMember(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<void> {
  const member = JSON.stringify(entry.fileName);
  let crc = 0;
  try {
    const stream = await zip.openReadStreamPromise(entry);
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        crc = zlib.crc32(chunk, crc);
        done();
      },
    });
    await pipeline(stream, sink);
  } catch (error) {
    const message = errorText(error);
    const what = /bytes in the stream/.test(message)
      ? 'does not inflate to its declared size'
      : /^Z_/.test(String((error as NodeJS.ErrnoException).code))
        ? 'does not inflate'
        : 'cannot be read';
    throw new CorruptMemberError(`member ${member} ${what} (${message})`, { cause: error });
  }
  if (crc >>> 0 !== entry.crc32 >>> 0) {
    throw new CorruptMemberError(`member ${member} fails its CRC-32 check (${(crc >>> 0).toString(16)} instead of ${(entry.crc32 >>> 0).toString(16)})`);
  }
}

/**
 * What came back instead of a zip, in words: an HTML page (a login wall, an error page served
 * with 200) is named as such, with its Content-Type and first bytes.
 */
async function notAZip(fetched: Fetched, error: unknown): Promise<string> {
  const start = await firstBytes(fetched.temp, 64);
  const type = fetched.info.contentType;
  const shown = `Content-Type ${type === null ? 'none' : JSON.stringify(type)}; it begins ${JSON.stringify(start.toString('latin1'))}`;
  const html = /^\s*</.test(start.toString('latin1').replace(/^\uFEFF|^\xEF\xBB\xBF/, '')) || /\bhtml\b/i.test(type ?? '');
  if (html) return `the server sent an HTML page, not a zip archive (${shown})`;
  return `not a readable zip archive (${errorText(error)}; ${shown})`;
}

async function firstBytes(path: string, count: number): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(count);
    const { bytesRead } = await handle.read(buffer, 0, count, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

class DownloadLimitError extends Error {
  override readonly name = 'DownloadLimitError';
}

function errorText(error: unknown): string {
  return redactUrl(error instanceof Error ? error.message : String(error));
}
