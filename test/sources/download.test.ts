import { createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DownloadError, download } from '../../src/sources/download.js';
import { createHttpClient, type HttpClient } from '../../src/sources/http.js';
import { startCmsServer, type CmsServer } from '../support/cms-server.js';
import { SITE_ZIPS, makeTestSite, testZip, type TestSite } from '../support/cms-site.js';

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
