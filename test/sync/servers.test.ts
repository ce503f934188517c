/**
 * `cms-ingest sync` as a process against servers that behave like real ones: an HTTP/1.0 mirror
 * that closes the connection after every response (as Python's http.server does), and a landing
 * page that trickles one byte at a time while SIGTERM comes. Raw node:net servers on
 * 127.0.0.1; the embedded database (what the process does does not depend on the backend). The
 * page deadline, a client-side limit with nothing of the process to it, runs through the CLI's
 * entry function in this process (test/support/cli-main.ts).
 */
import { readFile } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentType, siteFile, sitePathOf } from '../../src/demo/site-server.js';
import { UsageError } from '../../src/errors.js';
import { syncDeadlines } from '../../src/sync/sync.js';
import { PROCESS_TEST_TIMEOUT_MS, startCli, waitForStderr, waitUntil } from '../support/cli.js';
import { runCliInProcess } from '../support/cli-main.js';
import { scratchDir } from '../support/fixtures.js';
import { ALL_CODES, seedEmbeddedHome, startSyncSite, type SyncSite } from './support.js';

interface LoggedRequest {
  path: string;
  at: number;
  /** when its connection closed */
  closedAt?: number;
}

/** A raw server: `answer` writes the response for each request; every request is logged with its time. */
async function netServer(answer: (socket: Socket, sitePath: string) => void): Promise<{ url: string; requests: LoggedRequest[]; close(): Promise<void> }> {
  const requests: LoggedRequest[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let head = '';
    socket.on('data', (chunk: Buffer) => {
      if (head.includes('\r\n\r\n')) return;
      head += chunk.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      const target = head.split(' ')[1] ?? '/';
      const sitePath = sitePathOf(target.split('?')[0], '/cms') ?? target;
      const logged: LoggedRequest = { path: sitePath, at: Date.now() };
      requests.push(logged);
      socket.on('close', () => (logged.closedAt = Date.now()));
      answer(socket, sitePath);
    });
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/cms`,
    requests,
    close: () =>
      new Promise<void>((done) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => done());
      }),
  };
}

describe('sync against real-world servers (the process)', () => {
  let site: SyncSite;
  let home: string;
  beforeAll(async () => {
    site = await startSyncSite();
    home = path.join(await scratchDir(), 'home');
    await seedEmbeddedHome(home);
  });
  afterAll(async () => {
    await site.close();
  });

  it('an HTTP/1.0 mirror that closes after every response (no Content-Length): everything loads, exit 0', { timeout: PROCESS_TEST_TIMEOUT_MS }, async () => {
    const mirror = await netServer((socket, sitePath) => {
      void (async () => {
        const file = await siteFile(site.root, sitePath);
        if (file === null) {
          socket.end('HTTP/1.0 404 Not Found\r\nContent-Type: text/html\r\n\r\n<html>not found</html>');
          return;
        }
        // headers, the whole body and the FIN at once: the body is still being read when the socket ends
        const body = await readFile(file.path);
        socket.end(Buffer.concat([Buffer.from(`HTTP/1.0 200 OK\r\nContent-Type: ${contentType(file.path)}\r\n\r\n`), body]));
      })();
    });
    try {
      const run = await startCli(['sync', '--mirror', mirror.url, '--since', '2000', '--json'], { CMS_INGEST_HOME: home }).done;
      expect(run.stderr).not.toMatch(/error|assert/i);
      expect(run.code).toBe(0);
      const outcomes = JSON.parse(run.stdout) as { code: string; fetch: string; load: string }[];
      expect(outcomes.map((o) => [o.code, o.fetch, o.load])).toEqual(ALL_CODES.map((code) => [code, 'downloaded', 'loaded']));
    } finally {
      await mirror.close();
    }
  });

  it('SIGTERM while the landing page trickles (a byte every 300 ms for two minutes): exit 143 within a few seconds, no request after the signal', { timeout: PROCESS_TEST_TIMEOUT_MS }, async () => {
    const trickle = await netServer((socket) => {
      socket.write('HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<html>');
      // bounded: at most 400 bytes (two minutes, far past the 5 s the exit may take), then the page ends
      let sent = 0;
      const timer = setInterval(() => {
        if (socket.destroyed || ++sent > 400) {
          clearInterval(timer);
          socket.end();
          return;
        }
        socket.write(' ');
      }, 300);
      socket.on('close', () => clearInterval(timer));
    });
    try {
      const run = startCli(['sync', '--mirror', trickle.url, '--since', '2000', '--family', 'pfs'], { CMS_INGEST_HOME: home });
      await waitForStderr(run, (stderr) => stderr.includes('looking for pfs releases'));
      await waitUntil(() => trickle.requests.length > 0, 'the trickling server has the request', run);
      expect(trickle.requests).toHaveLength(1);
      // past the first trickled byte, mid-page
      await sleep(450);
      const signalled = Date.now();
      run.child.kill('SIGTERM');
      const stopped = await run.done;
      const took = Date.now() - signalled;
      expect(stopped.code, stopped.stderr).toBe(143);
      expect(took).toBeLessThan(5_000);
      expect(stopped.stderr).toContain('SIGTERM: stopping');
      expect(stopped.stderr).toContain('interrupted by SIGTERM: nothing was half-loaded; run sync again to finish');
      expect(trickle.requests.filter((request) => request.at >= signalled)).toEqual([]);
      expect(trickle.requests).toHaveLength(1);
    } finally {
      await trickle.close();
    }
  });

  it('--page-deadline ends a page that trickles at the deadline; nonsense deadlines are usage errors (exit 2)', { timeout: PROCESS_TEST_TIMEOUT_MS }, async () => {
    const trickle = await netServer((socket) => {
      socket.write('HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<html>');
      let sent = 0;
      const timer = setInterval(() => {
        if (socket.destroyed || ++sent > 100) {
          clearInterval(timer);
          socket.end();
          return;
        }
        socket.write(' ');
      }, 200);
      socket.on('close', () => clearInterval(timer));
    });
    try {
      const run = await runCliInProcess(['sync', '--mirror', trickle.url, '--since', '2000', '--family', 'pfs', '--page-deadline', '0.5'], { CMS_INGEST_HOME: home });
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/error: pfs page: GET http:\/\/127\.0\.0\.1:\d+\/cms\/medicare\/payment\/fee-schedules\/physician\/pfs-relative-value-files: no complete response within the 500 ms deadline/);
      // the client dropped the trickling page at its deadline, and did not ask again
      expect(trickle.requests).toHaveLength(1);
      // in process, the run can return before the server's side of the socket sees the close
      await waitUntil(() => trickle.requests[0]!.closedAt !== undefined, 'the trickling page is closed');
      const lasted = trickle.requests[0]!.closedAt! - trickle.requests[0]!.at;
      expect(lasted).toBeGreaterThanOrEqual(400);
      expect(lasted).toBeLessThan(2_000);
    } finally {
      await trickle.close();
    }
    const bad = await runCliInProcess(['sync', '--mirror', 'http://127.0.0.1:9/cms', '--page-deadline', 'soon'], { CMS_INGEST_HOME: home });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('error: --page-deadline must be a number of seconds greater than 0, not "soon"\n');
  });

  it('deadline options: seconds, checked below the CLI', () => {
    expect(syncDeadlines({ pageDeadline: '90', downloadDeadline: 0.5 })).toEqual({ pageDeadlineMs: 90_000, downloadDeadlineMs: 500 });
    expect(syncDeadlines({})).toEqual({ pageDeadlineMs: undefined, downloadDeadlineMs: undefined });
    for (const [key, flag, value] of [['downloadDeadline', '--download-deadline', '0'], ['downloadDeadline', '--download-deadline', '-5'], ['pageDeadline', '--page-deadline', '1e3'], ['pageDeadline', '--page-deadline', Number.POSITIVE_INFINITY]] as const) {
      expect(() => syncDeadlines({ [key]: value })).toThrow(new UsageError(`${flag} must be a number of seconds greater than 0, not ${JSON.stringify(String(value))}`));
    }
  });
});
