/**
 * A real HTTP server (node:http, 127.0.0.1, a free port) serving a copy of the CMS site from a
 * folder, with the faults the download code must survive injected per path: error statuses, a
 * connection reset mid-body, a body shorter than its Content-Length, a response that never ends.
 * It answers conditional requests (ETag / Last-Modified → 304) and logs every request, so a
 * test can assert that no body was transferred.
 *
 * The static serving (path → file mapping, validators, 304s) is the demo's site server
 * (src/demo/site-server.ts); this adds the faults and the request log. Path → file mapping: see
 * fixtures/cms-site/README.md.
 */
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { NOT_FOUND_PAGE, fileHeaders, notModified, siteFile, sitePathOf } from '../../src/demo/site-server.js';

export type Fault =
  /** answer with this status (and headers, e.g. Retry-After) instead of the file */
  | { kind: 'status'; status: number; headers?: Record<string, string> }
  /** send the headers and `afterBytes` of the body, then reset the connection (TCP RST) */
  | { kind: 'reset'; afterBytes: number }
  /** announce the full Content-Length, send only `bytes`, then close the connection */
  | { kind: 'short'; bytes: number }
  /** send the headers and `afterBytes` of the body, then nothing, ever */
  | { kind: 'hang'; afterBytes: number }
  /** send the headers and `afterBytes` of the body, wait for `until`, then send the rest */
  | { kind: 'pause'; afterBytes: number; until: Promise<unknown> }
  /** accept the request and never answer */
  | { kind: 'no-headers' };

/** A fault, applied to the next `times` requests of its path (default 1), or forever with `times: Infinity`. */
export type FaultRule = Fault & { times?: number };

export interface LoggedRequest {
  method: string;
  /** the site path (after the server's prefix), as requested */
  path: string;
  headers: IncomingHttpHeaders;
  status: number;
  /** body bytes written (0 for a 304) */
  bodyBytes: number;
  fault: Fault['kind'] | null;
}

export interface CmsServer {
  /** base URL to use as the mirror, e.g. http://127.0.0.1:43125/cms */
  url: string;
  close(): Promise<void>;
  requests: LoggedRequest[];
  /** Queue faults for a site path (replacing any queued ones); no rules clears them. */
  setFault(path: string, ...rules: FaultRule[]): void;
}

export interface CmsServerOptions {
  /** the folder holding the site */
  root: string;
  /** a path prefix the site is served under (to test mirrors with a prefix), e.g. `/cms` */
  prefix?: string;
  faults?: Record<string, FaultRule | FaultRule[]>;
  /** send ETag / Last-Modified and honour conditional requests. Default true. */
  validators?: boolean;
}

export async function startCmsServer(options: CmsServerOptions): Promise<CmsServer> {
  const root = resolve(options.root);
  const prefix = (options.prefix ?? '').replace(/\/+$/, '');
  const validators = options.validators ?? true;
  const requests: LoggedRequest[] = [];
  const faults = new Map<string, { rule: FaultRule; left: number }[]>();

  const setFault = (path: string, ...rules: FaultRule[]) => {
    faults.set(
      path,
      rules.map((rule) => ({ rule, left: rule.times ?? 1 })),
    );
  };
  for (const [path, rules] of Object.entries(options.faults ?? {})) setFault(path, ...(Array.isArray(rules) ? rules : [rules]));

  const nextFault = (path: string): Fault | null => {
    const queue = faults.get(path);
    const head = queue?.[0];
    if (queue === undefined || head === undefined) return null;
    head.left--;
    if (head.left <= 0) queue.shift();
    return head.rule;
  };

  const server = createServer((req, res) => {
    const raw = (req.url ?? '/').split('?')[0] ?? '/';
    const path = sitePathOf(raw, prefix);
    const entry: LoggedRequest = { method: req.method ?? 'GET', path: path ?? raw, headers: req.headers, status: 0, bodyBytes: 0, fault: null };
    requests.push(entry);
    const send = (status: number, headers: Record<string, string | number>, body?: Buffer) => {
      entry.status = status;
      res.writeHead(status, headers);
      if (body !== undefined && req.method !== 'HEAD') {
        entry.bodyBytes += body.length;
        res.end(body);
      } else res.end();
    };
    if (path === null) {
      send(404, { 'content-type': 'text/plain' }, Buffer.from('outside the site prefix\n'));
      return;
    }
    void (async () => {
      const fault = nextFault(path);
      entry.fault = fault?.kind ?? null;
      if (fault?.kind === 'no-headers') return; // the client's headers timeout must end this
      if (fault?.kind === 'status') {
        send(fault.status, { 'content-type': 'text/plain', ...fault.headers }, Buffer.from(`injected ${fault.status}\n`));
        return;
      }
      const file = await siteFile(root, path);
      if (file === null) {
        send(404, { 'content-type': 'text/html; charset=utf-8' }, NOT_FOUND_PAGE);
        return;
      }
      const headers = await fileHeaders(file, validators);
      if (validators && notModified(req.headers, String(headers.etag), file.mtimeMs)) {
        send(304, { etag: headers.etag!, 'last-modified': headers['last-modified']! });
        return;
      }
      if (fault === null) {
        // streamed, so that a test of the client's memory use measures only the client
        entry.status = 200;
        res.writeHead(200, headers);
        if (req.method === 'HEAD') {
          res.end();
          return;
        }
        const stream = createReadStream(file.path);
        stream.on('data', (chunk) => (entry.bodyBytes += chunk.length));
        await pipeline(stream, res);
        return;
      }
      misbehave(res, entry, fault, headers, await readFile(file.path));
    })().catch((error: unknown) => {
      if (!res.headersSent) send(500, { 'content-type': 'text/plain' }, Buffer.from(String(error)));
      else res.destroy();
    });
  });

  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}${prefix}`,
    requests,
    setFault,
    close: () =>
      new Promise<void>((done, fail) => {
        server.close((error) => (error ? fail(error) : done()));
        // hanging responses and keep-alive sockets would otherwise hold close() open
        server.closeAllConnections();
      }),
  };
}

function misbehave(res: ServerResponse, entry: LoggedRequest, fault: Fault, headers: Record<string, string | number>, body: Buffer): void {
  entry.status = 200;
  res.writeHead(200, headers);
  const socket = res.socket;
  switch (fault.kind) {
    case 'reset': {
      const part = body.subarray(0, fault.afterBytes);
      entry.bodyBytes += part.length;
      res.write(part, () => socket?.resetAndDestroy());
      return;
    }
    case 'short': {
      const part = body.subarray(0, fault.bytes);
      entry.bodyBytes += part.length;
      // a clean FIN after too few bytes: the client must notice by counting
      res.write(part, () => socket?.end());
      return;
    }
    case 'hang': {
      const part = body.subarray(0, fault.afterBytes);
      entry.bodyBytes += part.length;
      res.write(part);
      return;
    }
    case 'pause': {
      const part = body.subarray(0, fault.afterBytes);
      entry.bodyBytes += part.length;
      res.write(part);
      void fault.until.then(() => {
        entry.bodyBytes += body.length - part.length;
        res.end(body.subarray(part.length));
      });
      return;
    }
    default:
      res.end();
  }
}
