import { createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import zlib from 'node:zlib';
import { zipSync } from 'fflate';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DownloadError, download } from '../../src/sources/download.js';
import { createHttpClient, type HttpClient } from '../../src/sources/http.js';
import { startCmsServer, type CmsServer } from '../support/cms-server.js';
import { SITE_ZIPS, makeTestSite, testZip, type TestSite } from '../support/cms-site.js';
import { patchMember } from '../support/zip-patch.js';

const ZIP = `/${SITE_ZIPS.RVU25D}`;
const SIZE = 64 * 1024;

let site: TestSite;
let server: CmsServer;
let http: HttpClient;
let cacheDir: string;
let ref: { code: string; url: string };

beforeEach(async () => {
  site = await makeTestSite(SIZE);
  server = await startCmsServer({ root: site.root, prefix: '/cms' });
  http = createHttpClient({ mirror: server.url, retries: 3, retryBaseMs: 10, retryMaxMs: 40, bodyTimeoutMs: 5_000 });
  cacheDir = await mkdtemp(join(tmpdir(), 'cms-cache-'));
  ref = { code: 'RVU25D', url: `${server.url}${ZIP}` };
});

afterEach(async () => {
  await http.close();
  await server.close();
  await site.cleanup();
  await rm(cacheDir, { recursive: true, force: true });
});

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const served = async () => new Uint8Array(await readFile(join(site.root, SITE_ZIPS.RVU25D)));
const zipRequests = () => server.requests.filter((r) => r.path === ZIP);

async function cacheContents(): Promise<{ archives: string[]; temp: string[] }> {
  const list = async (dir: string) => readdir(join(cacheDir, dir)).catch(() => [] as string[]);
  return { archives: await list('sha256'), temp: await list('tmp') };
}

async function downloadError(promise: Promise<unknown>): Promise<DownloadError> {
  const error = await promise.catch((e: unknown) => e);
  if (error instanceof DownloadError) return error;
  throw new Error(`expected a DownloadError, got ${String(error)}`);
}

/** A one-member zip (as fflate writes it: the local header at 0) with one byte flipped halfway through the member's data. */
function flippedInside(zip: Uint8Array): Uint8Array {
  const bytes = Buffer.from(zip);
  const dataStart = 30 + bytes.readUInt16LE(26) + bytes.readUInt16LE(28);
  bytes[dataStart + Math.floor(bytes.readUInt32LE(18) / 2)]! ^= 0x01;
  return new Uint8Array(bytes);
}

describe('download', () => {
  it('streams the zip into the cache under its sha256, reporting progress', async () => {
    const progress: [number, number | null][] = [];
    const result = await download(ref, { cacheDir, http, onProgress: (received, total) => progress.push([received, total]) });
    const bytes = await served();
    expect(result).toMatchObject({ status: 'downloaded', sha256: sha256(bytes), size: bytes.length });
    expect(result.path).toBe(join(cacheDir, 'sha256', `${sha256(bytes)}.zip`));
    expect(sha256(await readFile(result.path))).toBe(sha256(bytes));
    expect(progress.at(-1)).toEqual([bytes.length, bytes.length]);
    expect(await cacheContents()).toEqual({ archives: [`${sha256(bytes)}.zip`], temp: [] });
    const index = JSON.parse(await readFile(join(cacheDir, 'index.json'), 'utf8')) as { entries: Record<string, { sha256: string; etag: string }> };
    expect(index.entries[ref.url]).toMatchObject({ sha256: sha256(bytes), etag: result.etag });
  });

  it('asks again conditionally; a 304 answers from the cache and no body is downloaded', async () => {
    const first = await download(ref, { cacheDir, http });
    const second = await download(ref, { cacheDir, http });
    expect(second).toEqual({ ...first, status: 'not-modified' });
    const [, again] = zipRequests();
    expect(again?.headers['if-none-match']).toBe(first.etag);
    expect(again?.headers['if-modified-since']).toBe(first.lastModified);
    expect(again).toMatchObject({ status: 304, bodyBytes: 0 });
  });

  it('reports the URL that answered after redirects (also for a 304), and keys the cache by the URL requested', async () => {
    const moved = 'files/zip/moved/rvu25d.zip';
    await site.put(moved, await served());
    server.setFault(ZIP, { kind: 'status', status: 302, headers: { location: `https://www.cms.gov/${moved}` }, times: Infinity });
    const first = await download(ref, { cacheDir, http });
    expect(first).toMatchObject({ status: 'downloaded', url: `${server.url}/${moved}` });
    const second = await download(ref, { cacheDir, http });
    expect(second).toMatchObject({ status: 'not-modified', url: `${server.url}/${moved}`, sha256: first.sha256 });
    expect(server.requests.filter((request) => request.path === `/${moved}`).map((request) => request.status)).toEqual([200, 304]);
    const index = JSON.parse(await readFile(join(cacheDir, 'index.json'), 'utf8')) as { entries: Record<string, unknown> };
    expect(Object.keys(index.entries)).toEqual([ref.url]);
    // without a redirect it is the URL requested
    server.setFault(ZIP);
    expect((await download(ref, { cacheDir, http })).url).toBe(ref.url);
  });

  it('downloads unconditionally when the cached archive has gone', async () => {
    const first = await download(ref, { cacheDir, http });
    await rm(first.path);
    const second = await download(ref, { cacheDir, http });
    expect(second).toMatchObject({ status: 'downloaded', sha256: first.sha256 });
    expect(zipRequests()[1]?.headers['if-none-match']).toBeUndefined();
    expect(zipRequests()[1]?.status).toBe(200);
  });

  it('a file re-posted with new bytes at the same URL gets a new sha256; the old archive stays', async () => {
    const first = await download(ref, { cacheDir, http });
    const reposted = testZip('RVU25D re-post', SIZE);
    await site.put(SITE_ZIPS.RVU25D, reposted);
    const second = await download(ref, { cacheDir, http });
    expect(second.status).toBe('downloaded');
    expect(second.sha256).toBe(sha256(reposted));
    expect(second.sha256).not.toBe(first.sha256);
    expect((await cacheContents()).archives.sort()).toEqual([`${first.sha256}.zip`, `${second.sha256}.zip`].sort());
  });

  it('retries a connection reset mid-body and then succeeds', async () => {
    server.setFault(ZIP, { kind: 'reset', afterBytes: 10_000 });
    const result = await download(ref, { cacheDir, http });
    expect(result.sha256).toBe(sha256(await served()));
    expect(zipRequests().map((r) => r.fault)).toEqual(['reset', null]);
    expect((await cacheContents()).temp).toEqual([]);
  });

  it('retries a 500 and then succeeds', async () => {
    server.setFault(ZIP, { kind: 'status', status: 500 });
    expect((await download(ref, { cacheDir, http })).status).toBe('downloaded');
    expect(zipRequests().map((r) => r.status)).toEqual([500, 200]);
  });

  it('rejects a body shorter than its Content-Length after the retries, leaving nothing in the cache', async () => {
    server.setFault(ZIP, { kind: 'short', bytes: 10_000, times: Infinity });
    const error = await downloadError(download(ref, { cacheDir, http }));
    const total = (await served()).length;
    expect(error.release).toBe('RVU25D');
    expect(error.url).toBe(ref.url);
    expect(error.message).toBe(`RVU25D: ${ref.url}: body cut short: the connection closed after 10000 of ${total} bytes (gave up after 4 attempts)`);
    expect(zipRequests()).toHaveLength(4);
    expect(await cacheContents()).toEqual({ archives: [], temp: [] });
    await expect(readFile(join(cacheDir, 'index.json'), 'utf8')).rejects.toThrow(/ENOENT/);
  });

  it('times out a download that stops sending', async () => {
    server.setFault(ZIP, { kind: 'hang', afterBytes: 10_000, times: Infinity });
    const quick = createHttpClient({ mirror: server.url, retries: 0, bodyTimeoutMs: 300 });
    try {
      const error = await downloadError(download(ref, { cacheDir, http: quick }));
      expect(error.message).toContain('RVU25D');
      expect(error.problem).toMatch(/^body stalled: no data for 300 ms after 10000 of \d+ bytes$/);
      expect(await cacheContents()).toEqual({ archives: [], temp: [] });
    } finally {
      await quick.close();
    }
  });

  it('rejects a corrupt zip (bad bytes, correct length) without retrying, leaving nothing in the cache', async () => {
    const bytes = await served();
    const corrupt = bytes.slice();
    // break the end-of-central-directory record, as a truncated or garbled upload would
    corrupt.fill(0x41, corrupt.length - 22);
    await site.put(SITE_ZIPS.RVU25D, corrupt);
    const error = await downloadError(download(ref, { cacheDir, http }));
    expect(error.message).toMatch(/^RVU25D: http:\/\/127\.0\.0\.1:\d+\/cms\/files\/zip\/rvu25d-updated-09\/11\/2025\.zip: not a readable zip archive/);
    expect(zipRequests()).toHaveLength(1);
    expect(await cacheContents()).toEqual({ archives: [], temp: [] });
  });

  it('rejects a zip damaged inside a member (a flipped byte; right length, intact directory) without retrying or caching, and asks unconditionally next time', async () => {
    const good = await served();
    const corrupt = flippedInside(good);
    expect(corrupt.length).toBe(good.length);
    await site.put(SITE_ZIPS.RVU25D, corrupt);
    const error = await downloadError(download(ref, { cacheDir, http }));
    expect(error.problem).toMatch(
      new RegExp(
        `^the download is corrupt: member "RVU25D\\.txt" fails its CRC-32 check \\([0-9a-f]+ instead of [0-9a-f]+\\); ${corrupt.length} bytes received, sha256 ${sha256(corrupt)}; not cached, the next sync downloads it again$`,
      ),
    );
    expect(error.message).toBe(`RVU25D: ${ref.url}: ${error.problem}`);
    expect(zipRequests()).toHaveLength(1);
    expect(await cacheContents()).toEqual({ archives: [], temp: [] });
    await expect(readFile(join(cacheDir, 'index.json'), 'utf8')).rejects.toThrow(/ENOENT/);

    await site.put(SITE_ZIPS.RVU25D, good);
    const result = await download(ref, { cacheDir, http });
    expect(result).toMatchObject({ status: 'downloaded', sha256: sha256(good) });
    const [, again] = zipRequests();
    expect(again).toMatchObject({ status: 200 });
    expect(again!.headers['if-none-match']).toBeUndefined();
    expect(again!.headers['if-modified-since']).toBeUndefined();
  });

  it('rejects a deflated member that no longer inflates to its bytes, naming it; a wrong size or CRC in the directory alike', async () => {
    const text = Array.from({ length: 400 }, (_, i) => `${String(i).padStart(5, '0')},A,${(i * 7919) % 1000}.25,description of code ${i}\n`).join('');
    const deflated = zipSync({ 'PPRRVU.csv': new TextEncoder().encode(text) }, { level: 6 });
    await site.put(SITE_ZIPS.RVU25D, flippedInside(deflated));
    expect((await downloadError(download(ref, { cacheDir, http }))).problem).toMatch(/^the download is corrupt: member "PPRRVU\.csv" (does not inflate( to its declared size)? \(.+\)|fails its CRC-32 check \(.+\));/);
    const real = zlib.crc32(new TextEncoder().encode(text)) >>> 0;
    await site.put(SITE_ZIPS.RVU25D, patchMember(deflated, 'PPRRVU.csv', { crc32: real ^ 1 }));
    expect((await downloadError(download(ref, { cacheDir, http }))).problem).toMatch(
      new RegExp(`^the download is corrupt: member "PPRRVU\\.csv" fails its CRC-32 check \\(${real.toString(16)} instead of ${((real ^ 1) >>> 0).toString(16)}\\);`),
    );
    await site.put(SITE_ZIPS.RVU25D, patchMember(deflated, 'PPRRVU.csv', { uncompressedSize: text.length + 1 }));
    expect((await downloadError(download(ref, { cacheDir, http }))).problem).toMatch(/^the download is corrupt: member "PPRRVU\.csv" does not inflate to its declared size \(not enough bytes in the stream/);
    expect(await cacheContents()).toEqual({ archives: [], temp: [] });
  });

  it('leaves a member it cannot decode (an unsupported method) to the import: the download is cached', async () => {
    const zip = zipSync({ 'notes.pdf': new Uint8Array(2000).fill(7), 'data.csv': new TextEncoder().encode('a,b\n1,2\n') }, { level: 6 });
    const odd = patchMember(zip, 'notes.pdf', { compressionMethod: 12 });
    await site.put(SITE_ZIPS.RVU25D, odd);
    expect(await download(ref, { cacheDir, http })).toMatchObject({ status: 'downloaded', sha256: sha256(odd) });
  });

  it('rejects an HTML page served with 200 in place of the zip, saying HTML came back and how it begins', async () => {
    await site.put(SITE_ZIPS.RVU25D, '<html><body>Access Denied</body></html>');
    const error = await downloadError(download(ref, { cacheDir, http }));
    // the test server types the file by its .zip name: the first bytes give it away
    expect(error.problem).toBe('the server sent an HTML page, not a zip archive (Content-Type "application/zip"; it begins "<html><body>Access Denied</body></html>")');
    // a server that answers 200 with a page will answer it again: no retry, and nothing cached
    expect(zipRequests()).toHaveLength(1);
    expect(await cacheContents()).toEqual({ archives: [], temp: [] });
  });

  it('names an HTML content type, and shows random bytes quoted on one line', async () => {
    const html = await startCmsServer({ root: site.root, prefix: '/cms' });
    const typed = createHttpClient({ mirror: html.url, retries: 0 });
    try {
      html.setFault(ZIP, { kind: 'status', status: 200, headers: { 'content-type': 'text/html; charset=UTF-8' } });
      const error = await downloadError(download({ code: 'RVU25D', url: `${html.url}${ZIP}` }, { cacheDir, http: typed }));
      expect(error.problem).toBe('the server sent an HTML page, not a zip archive (Content-Type "text/html; charset=UTF-8"; it begins "injected 200\\n")');
    } finally {
      await typed.close();
      await html.close();
    }
    await site.put(SITE_ZIPS.RVU25D, 'line one\nline two, not a zip at all');
    const error = await downloadError(download(ref, { cacheDir, http }));
    expect(error.problem).toMatch(/^not a readable zip archive \(.+; Content-Type "application\/zip"; it begins "line one\\nline two, not a zip at all"\)$/);
  });

  it('names the release and the URL when the zip link is a 404, without retrying', async () => {
    const missing = { code: 'RVU25C', url: `${server.url}/files/zip/rvu25c-updated-06/05/2025.zip` };
    const error = await downloadError(download(missing, { cacheDir, http }));
    expect(error.message).toBe(`RVU25C: ${missing.url}: HTTP 404 Not Found`);
    expect(server.requests).toHaveLength(1);
  });

  it('streams the body to a temp file as it arrives, never holding it whole', async () => {
    let release = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    server.setFault(ZIP, { kind: 'pause', afterBytes: 32_768, until: gate });
    const patient = createHttpClient({ mirror: server.url, retries: 0, bodyTimeoutMs: 10_000 });
    try {
      const pending = download(ref, { cacheDir, http: patient });
      // half the body is on disk, in the cache's temp folder, while the rest has not been sent
      const onDisk = async () => {
        const temp = (await cacheContents()).temp;
        const sizes = await Promise.all(temp.map(async (name) => (await readFile(join(cacheDir, 'tmp', name))).length));
        return Math.max(0, ...sizes);
      };
      for (let tries = 0; (await onDisk()) < 32_768 && tries < 200; tries++) await new Promise((r) => setTimeout(r, 10));
      expect(await onDisk()).toBe(32_768);
      expect((await cacheContents()).archives).toEqual([]);
      release();
      const result = await pending;
      expect(result.sha256).toBe(sha256(await served()));
      expect(await cacheContents()).toEqual({ archives: [`${result.sha256}.zip`], temp: [] });
    } finally {
      release();
      await patient.close();
    }
  });
});
