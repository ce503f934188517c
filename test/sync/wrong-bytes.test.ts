/**
 * sync against a mirror that misbehaves on purpose in ways a byte count and a zip directory do
 * not catch: a member whose CRC is wrong served with the real file's ETag, another release's zip
 * at a release's URL (as it is, or through a redirect), and bodies sent with a Content-Encoding
 * though identity was asked for. Each must fail that release with a message saying what happened
 * (or, for gzip, load), leave nothing wrong current, and let the next run retry.
 */
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { zipSync } from 'fflate';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fileHeaders, notModified, siteFile, sitePathOf } from '../../src/demo/site-server.js';
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

  it('a member with a wrong CRC behind an intact directory, sent with the good file\'s ETag: fails, and the next run downloads again and loads', async () => {
    const good = await readFile(join(shared.site.root, SITE_ZIPS.RVU25D));
    mirror.twist(`/${SITE_ZIPS.RVU25D}`, serve(withWrongCrc(good, 'PPRRVU2025_Oct.csv')));
    const first = await sync();
    expect(first.ok).toBe(false);
    expect(byCode(first).RVU25D).toMatchObject({ fetch: 'downloaded', load: 'failed', failedAt: 'load' });
    expect(byCode(first).RVU25D!.error).toMatch(/PPRRVU2025_Oct\.csv: corrupt member: CRC-32/);
    expect((await loaded()).map((release) => release.code)).toEqual(['RVU24B', 'RVU26C']);
    // the URL's validators are gone: nothing can answer 304 for the bytes that failed
    expect(Object.keys((await cacheIndex()).entries)).not.toContain(`${mirror.url}/${SITE_ZIPS.RVU25D}`);

    // the server now sends the file as it is (and would answer 304 to its ETag)
    mirror.twist(`/${SITE_ZIPS.RVU25D}`, undefined);
    const second = await sync();
    expect(second.ok).toBe(true);
    expect(byCode(second).RVU25D).toMatchObject({ fetch: 'downloaded', load: 'loaded', revision: 0 });
    const [, retry] = requestsOf(SITE_ZIPS.RVU25D);
    expect(retry).toMatchObject({ status: 200 });
    expect(retry!.headers['if-none-match']).toBeUndefined();
    expect(retry!.headers['if-modified-since']).toBeUndefined();
    // a release that loaded keeps its validators: the run after is conditional again
    const third = await sync();
    expect(byCode(third).RVU25D).toMatchObject({ fetch: 'not-modified', load: 'unchanged' });
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
