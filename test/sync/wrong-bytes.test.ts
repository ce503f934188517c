/**
 * sync against a mirror that misbehaves on purpose in ways a byte count and a zip directory do
 * not catch: a member whose CRC is wrong served with the real file's ETag, another release's zip
 * at a release's URL (as it is, or through a redirect), and bodies sent with a Content-Encoding
 * though identity was asked for. Each must fail that release with a message saying what happened
 * (or, for gzip, load), leave nothing wrong current, and let the next run retry.
 */
import { createHash } from 'node:crypto';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { zipSync } from 'fflate';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fileHeaders, notModified, siteFile, sitePathOf, validatorsOf } from '../../src/demo/site-server.js';
import { DownloadCache } from '../../src/sources/cache.js';
import { syncReleases, type SyncOptions, type SyncResult } from '../../src/sync/sync.js';
import { backends } from '../support/db.js';
import { zipMembers } from '../support/fixtures.js';
import { FAST_HTTP, IMPORT_SETUP, PFS_DIR, SITE_ZIPS, cmsUrl, useDatabaseAndSite } from './support.js';

/** How a twisted path is answered: with the file (its bytes and its real headers) at hand. */
type Twist = (res: ServerResponse, file: { bytes: Buffer; headers: Record<string, string | number> }, req: IncomingMessage) => void;

interface TwistedMirror {
  url: string;
  /** answer this site path (`/files/zip/…`) the twisted way until cleared */
  twist(path: string, how: Twist | undefined): void;
  requests: { path: string; headers: IncomingMessage['headers']; status: number }[];
  close(): Promise<void>;
}

/** The fixture site as the demo serves it (validators, 304s), with chosen paths answered otherwise. */
async function twistedMirror(root: string): Promise<TwistedMirror> {
  const twists = new Map<string, Twist>();
  const requests: TwistedMirror['requests'] = [];
  const server = createServer((req, res) => {
    const path = sitePathOf(req.url, '/cms') ?? '/';
    const logged = { path, headers: req.headers, status: 0 };
    requests.push(logged);
    void (async () => {
      const file = await siteFile(root, path);
      if (file === null) {
        logged.status = 404;
        res.writeHead(404).end();
        return;
      }
      const headers = await fileHeaders(file, true);
      const twist = twists.get(path);
      if (twist !== undefined) {
        logged.status = 200;
        twist(res, { bytes: await readFile(file.path), headers }, req);
        return;
      }
      if (notModified(req.headers, String(headers.etag), file.mtimeMs)) {
        logged.status = 304;
        res.writeHead(304, { etag: String(headers.etag) }).end();
        return;
      }
      logged.status = 200;
      res.writeHead(200, headers).end(await readFile(file.path));
    })().catch(() => res.destroy());
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/cms`,
    requests,
    twist: (path, how) => (how === undefined ? twists.delete(path) : twists.set(path, how)),
    close: () =>
      new Promise<void>((done) => {
        server.close(() => done());
        server.closeAllConnections();
      }),
  };
}

/** These bytes, with the file's own validators (ETag, Last-Modified) and a Content-Length that fits them. */
const serve =
  (bytes: Uint8Array, extra: Record<string, string> = {}): Twist =>
  (res, file) => {
    res.writeHead(200, { ...file.headers, 'content-length': bytes.length, ...extra });
    res.end(bytes);
  };

/** A zip's bytes with one CRC-32 in its central directory changed: the directory reads, the member does not. */
function withWrongCrc(zip: Uint8Array, member: string): Uint8Array {
  const bytes = Buffer.from(zip);
  for (let at = bytes.length - 22; at >= 0; at--) {
    if (bytes.readUInt32LE(at) !== 0x02014b50) continue;
    const nameLength = bytes.readUInt16LE(at + 28);
    if (bytes.toString('latin1', at + 46, at + 46 + nameLength) !== member) continue;
    bytes.writeUInt32LE(bytes.readUInt32LE(at + 16) ^ 0xff, at + 16);
    // the local header keeps its own copy; yauzl reads the central directory's
    return bytes;
  }
  throw new Error(`no ${member} in the zip`);
}

/**
 * A zip's bytes with one byte flipped in the middle of a member's compressed data: the length,
 * the directory and the local header are intact (the download's checks pass), the member is not.
 */
function withFlippedByte(zip: Uint8Array, member: string): Uint8Array {
  const bytes = Buffer.from(zip);
  for (let at = bytes.length - 22; at >= 0; at--) {
    if (bytes.readUInt32LE(at) !== 0x02014b50) continue;
    const nameLength = bytes.readUInt16LE(at + 28);
    if (bytes.toString('latin1', at + 46, at + 46 + nameLength) !== member) continue;
    const compressedSize = bytes.readUInt32LE(at + 20);
    const local = bytes.readUInt32LE(at + 42);
    const dataStart = local + 30 + bytes.readUInt16LE(local + 26) + bytes.readUInt16LE(local + 28);
    bytes[dataStart + Math.floor(compressedSize / 2)]! ^= 0x20;
    return bytes;
  }
  throw new Error(`no ${member} in the zip`);
}

describe.each(backends)('sync against a mirror that serves the wrong bytes, on %s', (backend) => {
  const shared = useDatabaseAndSite(backend);
  let mirror: TwistedMirror;
  beforeEach(async () => {
    mirror = await twistedMirror(shared.site.root);
  });
  afterEach(() => mirror.close());

  const sync = (options: Partial<SyncOptions> = {}): Promise<SyncResult> =>
    syncReleases(shared.test.database, IMPORT_SETUP, { mirror: mirror.url, since: 2000, families: ['pfs'], cacheDir: shared.site.cacheDir, http: FAST_HTTP, ...options });
  const byCode = (result: SyncResult) => Object.fromEntries(result.outcomes.map((outcome) => [outcome.code, outcome]));
  const loaded = () => shared.test.database.db.selectFrom('cms.releases').select(['code', 'revision', 'source_url']).orderBy('code').orderBy('revision').execute();
  const cacheIndex = async () => JSON.parse(await readFile(join(shared.site.cacheDir, 'index.json'), 'utf8')) as { entries: Record<string, { etag: string | null }> };
  const requestsOf = (path: string) => mirror.requests.filter((request) => request.path === `/${path}`);

  /** The archives in the download cache (`<sha256>.zip`). */
  const cachedArchives = () => readdir(join(shared.site.cacheDir, 'sha256')).catch(() => [] as string[]);
  const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

  // A corrupt body (right length, intact zip directory, the real file's ETag) is refused before it
  // reaches the cache: a later run asks unconditionally, and the server's 304 can never hand it back.
  for (const { damage, corrupt, error } of [
    {
      damage: 'a member whose CRC-32 is wrong behind an intact directory',
      corrupt: (zip: Uint8Array) => withWrongCrc(zip, 'PPRRVU2025_Oct.csv'),
      error: /^the download is corrupt: member "PPRRVU2025_Oct\.csv" fails its CRC-32 check \([0-9a-f]+ instead of [0-9a-f]+\)/,
    },
    {
      damage: "a flipped byte inside a member's compressed data",
      corrupt: (zip: Uint8Array) => withFlippedByte(zip, 'PPRRVU2025_Oct.csv'),
      error: /^the download is corrupt: member "PPRRVU2025_Oct\.csv" (does not inflate|fails its CRC-32 check)/,
    },
  ]) {
    it(`${damage}, sent with the good file's ETag: the download fails saying it is corrupt, nothing is cached, and the next run asks unconditionally and loads`, async () => {
      const good = await readFile(join(shared.site.root, SITE_ZIPS.RVU25D));
      const bad = corrupt(good);
      expect(bad.length).toBe(good.length);
      mirror.twist(`/${SITE_ZIPS.RVU25D}`, serve(bad));
      const first = await sync();
      expect(first.ok).toBe(false);
      expect(byCode(first).RVU25D).toMatchObject({ fetch: 'failed', failedAt: 'download', load: 'pending', sha256: null });
      const message = byCode(first).RVU25D!.error!;
      expect(message).toContain(`RVU25D: ${mirror.url}/${SITE_ZIPS.RVU25D}: `);
      expect(message.slice(message.indexOf(': the download') + 2)).toMatch(error);
      expect(message).toContain(`; ${bad.length} bytes received, sha256 ${sha256(bad)}; not cached, the next sync downloads it again`);
      expect((await loaded()).map((release) => release.code)).toEqual(['RVU24B', 'RVU26C']);
      // neither the bytes nor the URL's validators were kept
      expect(Object.keys((await cacheIndex()).entries)).not.toContain(`${mirror.url}/${SITE_ZIPS.RVU25D}`);
      expect(await cachedArchives()).not.toContain(`${sha256(bad)}.zip`);

      // the server now sends the file as it is (and would answer 304 to its ETag)
      mirror.twist(`/${SITE_ZIPS.RVU25D}`, undefined);
      const second = await sync();
      expect(second.ok).toBe(true);
      expect(byCode(second).RVU25D).toMatchObject({ fetch: 'downloaded', load: 'loaded', revision: 0, sha256: sha256(good) });
      const [, retry] = requestsOf(SITE_ZIPS.RVU25D);
      expect(retry).toMatchObject({ status: 200 });
      expect(retry!.headers['if-none-match']).toBeUndefined();
      expect(retry!.headers['if-modified-since']).toBeUndefined();
      // a release that loaded keeps its validators: the run after is conditional again
      const third = await sync();
      expect(byCode(third).RVU25D).toMatchObject({ fetch: 'not-modified', load: 'unchanged' });
      expect(requestsOf(SITE_ZIPS.RVU25D)[2]).toMatchObject({ status: 304 });
    });
  }

  it('corrupt bytes already in the cache with the good file\'s ETag (cached before downloads checked members): the load fails, drops the validators, and the next run asks unconditionally and loads', async () => {
    const good = await readFile(join(shared.site.root, SITE_ZIPS.RVU25D));
    const bad = withFlippedByte(good, 'PPRRVU2025_Oct.csv');
    const url = `${mirror.url}/${SITE_ZIPS.RVU25D}`;
    const { etag, lastModified } = await validatorsOf((await siteFile(shared.site.root, `/${SITE_ZIPS.RVU25D}`))!);
    const cache = new DownloadCache(shared.site.cacheDir);
    const temp = await cache.tempPath();
    await writeFile(temp, bad);
    await cache.commit(temp, sha256(bad));
    await cache.record(url, { etag, lastModified, sha256: sha256(bad), size: bad.length });

    const first = await sync();
    // the server answers the good file's ETag with 304, so the cached bytes are what loads
    expect(byCode(first).RVU25D).toMatchObject({ fetch: 'not-modified', load: 'failed', failedAt: 'load', sha256: sha256(bad) });
    expect(byCode(first).RVU25D!.error).toContain('PPRRVU2025_Oct.csv');
    expect(Object.keys((await cacheIndex()).entries)).not.toContain(url);

    const second = await sync();
    expect(second.ok).toBe(true);
    expect(byCode(second).RVU25D).toMatchObject({ fetch: 'downloaded', load: 'loaded', sha256: sha256(good) });
    expect(requestsOf(SITE_ZIPS.RVU25D).map((request) => [request.status, request.headers['if-none-match']])).toEqual([
      [304, etag],
      [200, undefined],
    ]);
  });

  it("another loaded release's bytes at a release's URL: that release fails naming both, exit 1, on every run; never `unchanged`", async () => {
    const rvu24b = await readFile(join(shared.site.root, SITE_ZIPS.RVU24B));
    mirror.twist(`/${SITE_ZIPS.RVU26C}`, serve(rvu24b));
    for (const run of [1, 2]) {
      const result = await sync();
      expect(result.ok, `run ${run}`).toBe(false);
      expect(result.counts).toMatchObject({ failed: 1 });
      expect(byCode(result).RVU26C).toMatchObject({
        load: 'failed',
        failedAt: 'load',
        revision: null,
        error: `the archive at ${cmsUrl(SITE_ZIPS.RVU26C)} is byte-identical to RVU24B, already loaded; the page names it RVU26C`,
      });
      expect(byCode(result).RVU24B).toMatchObject({ load: run === 1 ? 'loaded' : 'unchanged' });
    }
    // the second run asked for the file unconditionally (the first one's failure dropped its validators)
    expect(requestsOf(SITE_ZIPS.RVU26C).map((request) => request.headers['if-none-match'])).toEqual([undefined, undefined]);
    expect((await loaded()).map((release) => release.code)).toEqual(['RVU24B', 'RVU25D']);
  });

  it("a redirect to another release's zip (not yet loaded): refused, naming the code and the file that contradicts it; the other release loads as itself", async () => {
    mirror.twist(`/${SITE_ZIPS.RVU25D}`, (res) => {
      res.writeHead(302, { location: `https://www.cms.gov/${SITE_ZIPS.RVU26C}` }).end();
    });
    const result = await sync();
    expect(result.ok).toBe(false);
    expect(byCode(result).RVU25D).toMatchObject({ fetch: 'downloaded', load: 'failed', failedAt: 'load' });
    expect(byCode(result).RVU25D!.error).toContain('the release was named RVU25D, but its data file PPRRVU2026_Jul_nonQPP.csv belongs to RVU26C');
    expect(byCode(result).RVU26C).toMatchObject({ load: 'loaded', revision: 0 });
    expect(await loaded()).toEqual([
      { code: 'RVU24B', revision: 0, source_url: cmsUrl(SITE_ZIPS.RVU24B) },
      { code: 'RVU26C', revision: 0, source_url: cmsUrl(SITE_ZIPS.RVU26C) },
    ]);
  });

  it('a zip of another year served as the release (GPCI and PPRRVU of 2024 under RVU25D): refused', async () => {
    const members = await zipMembers(join(shared.site.root, SITE_ZIPS.RVU24B));
    mirror.twist(`/${SITE_ZIPS.RVU25D}`, serve(zipSync(members, { level: 0 })));
    const result = await sync();
    expect(byCode(result).RVU25D!.error).toContain('the release was named RVU25D, but its data file');
    expect((await loaded()).map((release) => release.code)).toEqual(['RVU24B', 'RVU26C']);
  });

  it('asks for identity; a gzip-encoded zip and page are decoded, gzip claimed on a plain body is read as it is; everything loads', async () => {
    const page = `/${PFS_DIR}/rvu24b.html`;
    mirror.twist(page, (res, file, req) => serve(gzipSync(file.bytes), { 'content-encoding': 'gzip' })(res, file, req));
    mirror.twist(`/${SITE_ZIPS.RVU25D}`, (res, file, req) => serve(gzipSync(file.bytes), { 'content-encoding': 'x-gzip' })(res, file, req));
    mirror.twist(`/${SITE_ZIPS.RVU26C}`, (res, file, req) => serve(file.bytes, { 'content-encoding': 'gzip' })(res, file, req));
    const result = await sync();
    expect(result.ok).toBe(true);
    expect(result.outcomes.map((outcome) => [outcome.code, outcome.load])).toEqual([
      ['RVU24B', 'loaded'],
      ['RVU25D', 'loaded'],
      ['RVU26C', 'loaded'],
    ]);
    // the archive cached and loaded is the zip itself, not its gzip
    const rvu25d = await readFile(join(shared.site.root, SITE_ZIPS.RVU25D));
    expect(byCode(result).RVU25D!.bytes).toBe(rvu25d.length);
    for (const request of mirror.requests) expect(request.headers['accept-encoding']).toBe('identity');
  });

  it('a content coding it does not decode (br) fails that release naming the coding; the others load', async () => {
    mirror.twist(`/${SITE_ZIPS.RVU25D}`, (res, file, req) => serve(file.bytes, { 'content-encoding': 'br' })(res, file, req));
    const result = await sync();
    expect(result.ok).toBe(false);
    expect(byCode(result).RVU25D).toMatchObject({ fetch: 'failed', failedAt: 'download' });
    expect(byCode(result).RVU25D!.error).toContain('the server sent the body with Content-Encoding "br", which cms-ingest does not decode');
    expect((await loaded()).map((release) => release.code)).toEqual(['RVU24B', 'RVU26C']);
  });
});
