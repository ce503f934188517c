/**
 * Responses as real servers frame them, read by a slow consumer: Content-Length, chunked and
 * close-delimited bodies written at once with the FIN right behind them (the case that crashed
 * undici's parser with `assert(!this.paused)`), an HTTP/1.0 server that closes after each
 * response, a declared length over the limit, a trickle past the deadline, and an abort signal.
 * Raw node:net servers on 127.0.0.1, so that the bytes on the wire are exactly the test's.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { DownloadError, download } from '../../src/sources/download.js';
import { HttpError, createHttpClient, type HttpClient } from '../../src/sources/http.js';
import { testZip } from '../support/cms-site.js';

/** A multi-megabyte body: a real stored zip, so that download() accepts it. */
const BODY = Buffer.from(testZip('framing', 4 * 1024 * 1024));
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

interface RawServer {
  url: string;
  /** connections accepted, and the request heads received */
  requests: string[];
  /** connections that have closed */
  closed: number;
  close(): Promise<void>;
}

/** A server that answers every request with `respond(socket)`; the request head is logged. */
async function rawServer(respond: (socket: Socket, request: string) => void): Promise<RawServer> {
  const sockets = new Set<Socket>();
  const state = { requests: [] as string[], closed: 0 };
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => {
      sockets.delete(socket);
      state.closed++;
    });
    let head = '';
    socket.on('data', (chunk: Buffer) => {
      if (head.includes('\r\n\r\n')) return;
      head += chunk.toString('latin1');
      if (head.includes('\r\n\r\n')) {
        state.requests.push(head);
        respond(socket, head);
      }
    });
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    get requests() {
      return state.requests;
    },
    get closed() {
      return state.closed;
    },
    close: () =>
      new Promise<void>((done) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => done());
      }),
  };
}

const opened: { close(): Promise<void> }[] = [];
const track = <T extends { close(): Promise<void> }>(thing: T): T => {
  opened.push(thing);
  return thing;
};
afterEach(async () => {
  await Promise.all(opened.splice(0).map((thing) => thing.close()));
});

function client(server: RawServer, overrides: Parameters<typeof createHttpClient>[0] = {}): HttpClient {
  return track(createHttpClient({ mirror: server.url, retries: 0, bodyTimeoutMs: 5_000, headersTimeoutMs: 5_000, ...overrides }));
}

/** Reads the body slowly (5 ms per chunk), as a consumer writing to a slow disk would: the body is paused when the FIN comes. */
async function slowly(body: AsyncIterable<Buffer>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) {
    chunks.push(chunk);
    await sleep(5);
  }
  return Buffer.concat(chunks);
}

function chunked(body: Buffer, size: number): Buffer {
  const parts: Buffer[] = [];
  for (let offset = 0; offset < body.length; offset += size) {
    const part = body.subarray(offset, offset + size);
    parts.push(Buffer.from(`${part.length.toString(16)}\r\n`), part, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from('0\r\n\r\n'));
  return Buffer.concat(parts);
}

/** Headers, the whole body and the FIN in one go: the body is still arriving when the socket ends. */
const FRAMINGS: [string, () => Buffer][] = [
  ['HTTP/1.1 with Content-Length', () => Buffer.concat([Buffer.from(`HTTP/1.1 200 OK\r\nContent-Type: application/zip\r\nContent-Length: ${BODY.length}\r\nConnection: close\r\n\r\n`), BODY])],
  ['HTTP/1.1 chunked', () => Buffer.concat([Buffer.from('HTTP/1.1 200 OK\r\nContent-Type: application/zip\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n'), chunked(BODY, 100_000)])],
  ['HTTP/1.1 close-delimited (no length)', () => Buffer.concat([Buffer.from('HTTP/1.1 200 OK\r\nContent-Type: application/zip\r\nConnection: close\r\n\r\n'), BODY])],
  ['HTTP/1.0 close-delimited', () => Buffer.concat([Buffer.from('HTTP/1.0 200 OK\r\nContent-Type: application/zip\r\n\r\n'), BODY])],
  ['HTTP/1.0 with Content-Length', () => Buffer.concat([Buffer.from(`HTTP/1.0 200 OK\r\nContent-Type: application/zip\r\nContent-Length: ${BODY.length}\r\n\r\n`), BODY])],
];

describe('every framing, written at once with the FIN, read by a slow consumer', () => {
  it.each(FRAMINGS)('%s: the whole body arrives, the process survives', async (_name, response) => {
    const server = track(await rawServer((socket) => socket.end(response())));
    const result = await client(server).get(`${server.url}/files/zip/x.zip`, { consume: (body) => slowly(body) });
    expect(result.notModified).toBe(false);
    if (!result.notModified) expect(sha256(result.value)).toBe(sha256(BODY));
  });

  it.each(FRAMINGS)('%s: download() streams it to the cache (hash and disk write in the way)', async (_name, response) => {
    const server = track(await rawServer((socket) => socket.end(response())));
    const cacheDir = await mkdtemp(join(tmpdir(), 'cms-framing-'));
    track({ close: () => rm(cacheDir, { recursive: true, force: true }) });
    const result = await download({ code: 'RVU25D', url: `${server.url}/files/zip/rvu25d.zip` }, { cacheDir, http: client(server) });
    expect(result).toMatchObject({ status: 'downloaded', sha256: sha256(BODY), size: BODY.length });
  });

  it('a body cut short by the FIN (fewer bytes than Content-Length) is an error, not a crash and not a success', async () => {
    const server = track(
      await rawServer((socket) =>
        socket.end(Buffer.concat([Buffer.from(`HTTP/1.1 200 OK\r\nContent-Length: ${BODY.length}\r\n\r\n`), BODY.subarray(0, 1_000_000)])),
      ),
    );
    const error = await client(server)
      .get(`${server.url}/x.zip`, { consume: (body) => slowly(body) })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect((error as HttpError).problem).toMatch(new RegExp(`^body cut short: the connection closed after \\d+ of ${BODY.length} bytes$`));
  });

  it('a chunked body cut short by the FIN is an error', async () => {
    const whole = chunked(BODY, 100_000);
    const server = track(
      await rawServer((socket) =>
        socket.end(Buffer.concat([Buffer.from('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n'), whole.subarray(0, 500_000)])),
      ),
    );
    const error = await client(server)
      .get(`${server.url}/x.zip`, { consume: (body) => slowly(body) })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect((error as HttpError).problem).toMatch(/^body cut short: the connection closed after \d+ bytes$/);
  });

  it('garbage instead of a status line is an HttpError', async () => {
    const server = track(await rawServer((socket) => socket.end('SSH-2.0-OpenSSH_9.6\r\n\r\n')));
    const error = await client(server)
      .getText(`${server.url}/page`)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect((error as HttpError).message).toMatch(/^GET http:\/\/127\.0\.0\.1:\d+\/page: malformed HTTP response before the response/);
  });
});

describe('a declared Content-Length over the limit', () => {
  it('is refused from the header, without reading the body', async () => {
    // 3 GiB announced; a few bytes sent, then the server would trickle for ever
    const server = track(
      await rawServer((socket) => {
        socket.write('HTTP/1.1 200 OK\r\nContent-Type: application/zip\r\nContent-Length: 3221225472\r\n\r\nPK\u0003\u0004');
      }),
    );
    const cacheDir = await mkdtemp(join(tmpdir(), 'cms-framing-'));
    track({ close: () => rm(cacheDir, { recursive: true, force: true }) });
    const started = performance.now();
    const error = await download({ code: 'RVU25D', url: `${server.url}/files/zip/rvu25d.zip` }, { cacheDir, http: client(server) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DownloadError);
    expect((error as DownloadError).problem).toBe(`Content-Length 3221225472 is over the ${2 * 1024 ** 3}-byte limit; not downloaded`);
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(await readdir(join(cacheDir, 'tmp')).catch(() => [])).toEqual([]);
    expect(server.requests).toHaveLength(1);
  });

  it('a page whose Content-Length is over the page limit is refused from the header', async () => {
    const server = track(await rawServer((socket) => socket.write('HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 50000000\r\n\r\n<html>')));
    const error = await client(server)
      .getText(`${server.url}/page`)
      .catch((e: unknown) => e);
    expect((error as HttpError).problem).toBe('page of 50000000 bytes (Content-Length) is larger than the 5242880-byte limit; not read');
  });
});

/** A server that sends its headers, then one body byte every `everyMs` (at most `bytes` of them). */
function trickler(everyMs: number, bytes = 200): Promise<RawServer> {
  return rawServer((socket) => {
    socket.write('HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n');
    let sent = 0;
    const timer = setInterval(() => {
      if (socket.destroyed || sent >= bytes) {
        clearInterval(timer);
        socket.end();
        return;
      }
      sent++;
      socket.write('x');
    }, everyMs);
    socket.on('close', () => clearInterval(timer));
  });
}

describe('the total deadline of a request', () => {
  it('ends a page that trickles (never idle long enough for the idle timeout) at its deadline, without retrying', async () => {
    const server = track(await trickler(50));
    const http = client(server, { retries: 3, retryBaseMs: 10, bodyTimeoutMs: 1_000, pageDeadlineMs: 600 });
    const started = performance.now();
    const error = await http.getText(`${server.url}/page`).catch((e: unknown) => e);
    const elapsed = performance.now() - started;
    expect(error).toBeInstanceOf(HttpError);
    expect((error as HttpError).problem).toBe('no complete response within the 600 ms deadline');
    expect(elapsed).toBeGreaterThanOrEqual(550);
    expect(elapsed).toBeLessThan(1_500);
    expect(server.requests).toHaveLength(1);
  });

  it('a download has its own, longer deadline (downloadDeadlineMs), and a request can set its own', async () => {
    const server = track(await trickler(50));
    const http = client(server, { bodyTimeoutMs: 1_000, pageDeadlineMs: 100, downloadDeadlineMs: 700 });
    const started = performance.now();
    const error = await http.get(`${server.url}/x.zip`, { consume: (body) => slowly(body) }).catch((e: unknown) => e);
    expect((error as HttpError).problem).toBe('no complete response within the 700 ms deadline');
    expect(performance.now() - started).toBeGreaterThanOrEqual(650);
    const own = await http.get(`${server.url}/x.zip`, { deadlineMs: 200, consume: (body) => slowly(body) }).catch((e: unknown) => e);
    expect((own as HttpError).problem).toBe('no complete response within the 200 ms deadline');
  });

  it('refuses a deadline that is not a positive number', () => {
    expect(() => createHttpClient({ pageDeadlineMs: 0 })).toThrow('pageDeadlineMs must be a positive number of milliseconds, not 0');
    expect(() => createHttpClient({ downloadDeadlineMs: Number.NaN })).toThrow('downloadDeadlineMs must be a positive number of milliseconds, not null');
  });
});

describe('the abort signal', () => {
  it('ends a page mid-trickle at once, closes the connection, and sends nothing more', async () => {
    const server = track(await trickler(200));
    const controller = new AbortController();
    const http = client(server, { retries: 3, retryBaseMs: 10, signal: controller.signal });
    const pending = http.getText(`${server.url}/page`).catch((e: unknown) => e);
    await sleep(500);
    const stopped = performance.now();
    controller.abort(new Error('interrupted by SIGTERM'));
    const error = await pending;
    expect(performance.now() - stopped).toBeLessThan(200);
    expect(error).toEqual(new Error('interrupted by SIGTERM'));
    await sleep(300);
    expect(server.requests).toHaveLength(1);
    // the trickling connection was dropped, not left open
    expect(server.closed).toBe(1);
    // and no request starts once the signal has fired
    const after = await http.getText(`${server.url}/page`).catch((e: unknown) => e);
    expect(after).toEqual(new Error('interrupted by SIGTERM'));
    expect(server.requests).toHaveLength(1);
  });

  it('ends a request still waiting for headers, and one waiting out a retry backoff', async () => {
    const silent = track(await rawServer(() => undefined));
    const controller = new AbortController();
    const waiting = client(silent, { headersTimeoutMs: 10_000 }).getText(`${silent.url}/page`, { signal: controller.signal }).catch((e: unknown) => e);
    await sleep(100);
    controller.abort(new Error('stop'));
    expect(await waiting).toEqual(new Error('stop'));

    const busy = track(await rawServer((socket) => socket.end('HTTP/1.1 503 Service Unavailable\r\nRetry-After: 30\r\nContent-Length: 0\r\n\r\n')));
    const later = new AbortController();
    const started = performance.now();
    const backingOff = client(busy, { retries: 3, signal: later.signal }).getText(`${busy.url}/page`).catch((e: unknown) => e);
    await sleep(200);
    later.abort(new Error('stop'));
    expect(await backingOff).toEqual(new Error('stop'));
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(busy.requests).toHaveLength(1);
  });
});
