import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HttpError, createHttpClient, parseRetryAfter, type HttpClient } from '../../src/sources/http.js';
import { startCmsServer, type CmsServer } from '../support/cms-server.js';
import { PFS_DIR, makeTestSite, type TestSite } from '../support/cms-site.js';

const PAGE = `/${PFS_DIR}/rvu25d-0`;

let site: TestSite;
let server: CmsServer;
let http: HttpClient;
let extra: HttpClient[] = [];

/** Test timings: fast retries; timeouts generous (a loaded machine), except in the tests of the timeouts. */
function client(overrides: Parameters<typeof createHttpClient>[0] = {}) {
  return track(createHttpClient({ mirror: server.url, retries: 3, retryBaseMs: 10, retryMaxMs: 40, bodyTimeoutMs: 5_000, headersTimeoutMs: 5_000, ...overrides }));
}

function track(created: HttpClient): HttpClient {
  extra.push(created);
  return created;
}

async function failure(promise: Promise<unknown>): Promise<HttpError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof HttpError) return error;
    throw error;
  }
  throw new Error('expected an HttpError');
}

beforeEach(async () => {
  site = await makeTestSite();
  server = await startCmsServer({ root: site.root, prefix: '/cms' });
  http = client();
});

afterEach(async () => {
  await Promise.all(extra.map((c) => c.close()));
  extra = [];
  await server.close();
  await site.cleanup();
});

describe('retries', () => {
  it('retries an HTTP 500 and then succeeds', async () => {
    server.setFault(PAGE, { kind: 'status', status: 500 });
    const page = await http.getText(`${server.url}${PAGE}`);
    expect(page.text).toContain('RVU25D');
    expect(server.requests.filter((r) => r.path === PAGE).map((r) => r.status)).toEqual([500, 200]);
  });

  it('waits as long as a 429 Retry-After asks before retrying', async () => {
    server.setFault(PAGE, { kind: 'status', status: 429, headers: { 'retry-after': '1' } });
    const started = performance.now();
    await http.getText(`${server.url}${PAGE}`);
    expect(performance.now() - started).toBeGreaterThanOrEqual(950);
    expect(server.requests.filter((r) => r.path === PAGE).map((r) => r.status)).toEqual([429, 200]);
  });

  it('does not retry a 404, and the error names the URL', async () => {
    const url = `${server.url}/files/zip/rvu99a.zip`;
    const error = await failure(http.getText(url));
    expect(error.status).toBe(404);
    expect(error.retryable).toBe(false);
    expect(error.message).toBe(`GET ${url}: HTTP 404 Not Found`);
    expect(server.requests).toHaveLength(1);
  });

  it('gives up after the configured retries, saying how many attempts it made', async () => {
    server.setFault(PAGE, { kind: 'status', status: 503, times: Infinity });
    const error = await failure(http.getText(`${server.url}${PAGE}`));
    expect(error.status).toBe(503);
    expect(error.message).toContain('HTTP 503 Service Unavailable (gave up after 4 attempts)');
    expect(server.requests).toHaveLength(4);
  });

  it('tells the retries, and the deadline\'s last attempt, about the URL requested, naming a redirect target that failed', async () => {
    const moved = `/${PFS_DIR}/moved`;
    server.setFault(PAGE, { kind: 'status', status: 302, headers: { location: `https://www.cms.gov${moved}` }, times: Infinity });
    server.setFault(moved, { kind: 'status', status: 503, times: Infinity });
    const retries: { url: string; attempt: number; problem: string }[] = [];
    // the first backoff (600 ms) outlasts the deadline: one attempt, one retry told
    const quick = client({ retryBaseMs: 600, retryMaxMs: 600, pageDeadlineMs: 400, onRetry: (event) => retries.push({ url: event.url, attempt: event.attempt, problem: event.error.problemOf(event.url) }) });
    const error = await failure(quick.getText(`${server.url}${PAGE}`));
    const failed = `redirected to ${server.url}${moved}: HTTP 503 Service Unavailable`;
    expect(retries).toEqual([{ url: `${server.url}${PAGE}`, attempt: 1, problem: failed }]);
    expect(error.message).toBe(`GET ${server.url}${PAGE}: no complete response within the 400 ms deadline; the last attempt failed: ${failed}`);
  });

  it('retries a connection reset mid-body', async () => {
    server.setFault(PAGE, { kind: 'reset', afterBytes: 1000 });
    const page = await http.getText(`${server.url}${PAGE}`);
    expect(page.text).toContain('RVU25D - Updated 09/11/2025');
    expect(server.requests.map((r) => r.fault)).toEqual(['reset', null]);
  });

  it('times out a response that stops sending, retries, then reports the stall', async () => {
    server.setFault(PAGE, { kind: 'hang', afterBytes: 500, times: Infinity });
    const error = await failure(client({ retries: 1, bodyTimeoutMs: 300 }).getText(`${server.url}${PAGE}`));
    expect(error.message).toContain('body stalled: no data for 300 ms');
    expect(error.attempts).toBe(2);
  });

  it('times out a server that never sends headers', async () => {
    server.setFault(PAGE, { kind: 'no-headers', times: Infinity });
    const error = await failure(client({ retries: 0, headersTimeoutMs: 300 }).getText(`${server.url}${PAGE}`));
    expect(error.message).toContain('no response headers within 300 ms');
  });
});

describe('what is fetched', () => {
  it('refuses a URL outside the allowed host without a request', async () => {
    const error = await failure(http.getText('https://www.example.org/files/zip/rvu25a.zip'));
    expect(error.message).toContain('not fetched: only the mirror');
    expect(server.requests).toHaveLength(0);
  });

  it('redacts credentials from error messages', async () => {
    const withCredentials = server.url.replace('http://', 'http://reader:s3cret@');
    const authed = track(createHttpClient({ mirror: withCredentials, retries: 0 }));
    {
      const error = await failure(authed.getText(`${withCredentials}/files/zip/missing.zip`));
      expect(error.message).not.toContain('s3cret');
      expect(error.message).toContain('reader:***@');
      expect(server.requests[0]?.headers.authorization).toBe(`Basic ${Buffer.from('reader:s3cret').toString('base64')}`);
    }
  });

  it('follows redirects within the mirror (a www.cms.gov Location stays on it), and refuses one to another host', async () => {
    const redirector = createServer((req, res) => {
      if (req.url === '/cms/old') res.writeHead(302, { location: '/cms/new' }).end();
      else if (req.url === '/cms/new') res.writeHead(301, { location: 'https://www.cms.gov/final' }).end();
      else if (req.url === '/cms/final') res.writeHead(200, { 'content-type': 'text/plain' }).end('arrived');
      else res.writeHead(302, { location: 'https://elsewhere.example.net/x.zip' }).end();
    });
    await new Promise<void>((ready) => redirector.listen(0, '127.0.0.1', ready));
    const mirror = `http://127.0.0.1:${(redirector.address() as AddressInfo).port}/cms`;
    const viaRedirects = track(createHttpClient({ mirror, retries: 0 }));
    try {
      expect(await viaRedirects.getText(`${mirror}/old`)).toEqual({ url: `${mirror}/final`, text: 'arrived' });
      const error = await failure(viaRedirects.getText(`${mirror}/away`));
      expect(error.message).toBe(`GET ${mirror}/away: redirected to https://elsewhere.example.net/x.zip, which is not an allowed host`);
    } finally {
      redirector.closeAllConnections();
      await new Promise((done) => redirector.close(done));
    }
  });
});

describe('Retry-After', () => {
  it('reads delay-seconds and HTTP dates', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Wed, 31 Dec 2025 00:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });
});
