/**
 * A static HTTP server for a copy of the CMS site on disk (fixtures/cms-site): what `npm run demo`
 * syncs from, and the base of the tests' fault-injecting server (test/support/cms-server.ts).
 *
 * It answers like www.cms.gov does where sync cares: HTML pages and zips at their CMS paths, with
 * an ETag and a Last-Modified, and 304 Not Modified to a conditional request that matches.
 *
 * URL path → file (see fixtures/cms-site/README.md): `<path>` if it is a file, else
 * `<path>/index.html`, else `<path>.html`, else 404. Paths never leave the root.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';

export interface SiteFile {
  path: string;
  size: number;
  mtimeMs: number;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.zip': 'application/zip',
  '.pdf': 'application/pdf',
};

export const NOT_FOUND_PAGE = Buffer.from('<html><body><h1>Page Not Found</h1></body></html>\n');

export function contentType(path: string): string {
  return TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

/** The file a site path (as requested, percent-encoded) maps to, or null. Never leaves the root. */
export async function siteFile(root: string, sitePath: string): Promise<SiteFile | null> {
  const top = resolve(root);
  let decoded: string;
  try {
    decoded = decodeURIComponent(sitePath);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const base = resolve(join(top, decoded));
  if (base !== top && !base.startsWith(top + sep)) return null;
  for (const candidate of [base, join(base, 'index.html'), `${base.replace(/\/+$/, '')}.html`]) {
    try {
      const info = await stat(candidate);
      if (info.isFile()) return { path: candidate, size: info.size, mtimeMs: info.mtimeMs };
    } catch {
      // try the next mapping
    }
  }
  return null;
}

/** Remembered content hashes: a file is hashed once per (size, mtime), not on every request. */
const hashes = new Map<string, { key: string; sha256: string }>();

/** ETag (from the content, so new bytes always get a new one) and Last-Modified of a file. */
export async function validatorsOf(file: SiteFile): Promise<{ etag: string; lastModified: string }> {
  const key = `${file.size}:${file.mtimeMs}`;
  let known = hashes.get(file.path);
  if (known?.key !== key) {
    const hash = createHash('sha256');
    // streamed: test files can be large
    for await (const chunk of createReadStream(file.path)) hash.update(chunk as Buffer);
    known = { key, sha256: hash.digest('hex') };
    hashes.set(file.path, known);
  }
  return {
    etag: `"${known.sha256.slice(0, 16)}"`,
    lastModified: new Date(Math.floor(file.mtimeMs / 1000) * 1000).toUTCString(),
  };
}

/** Whether a conditional request matches. If-None-Match wins over If-Modified-Since (RFC 9110). */
export function notModified(headers: IncomingHttpHeaders, etag: string, mtimeMs: number): boolean {
  const ifNoneMatch = headers['if-none-match'];
  if (ifNoneMatch !== undefined) {
    return ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag || tag.trim() === '*');
  }
  const ifModifiedSince = headers['if-modified-since'];
  if (ifModifiedSince !== undefined) {
    const since = Date.parse(ifModifiedSince);
    return !Number.isNaN(since) && Math.floor(mtimeMs / 1000) * 1000 <= since;
  }
  return false;
}

/** The headers of a 200 for a file: type, length and, with validators, ETag and Last-Modified. */
export async function fileHeaders(file: SiteFile, validators: boolean): Promise<Record<string, string | number>> {
  const headers: Record<string, string | number> = { 'content-type': contentType(file.path), 'content-length': file.size };
  if (validators) {
    const { etag, lastModified } = await validatorsOf(file);
    headers.etag = etag;
    headers['last-modified'] = lastModified;
  }
  return headers;
}

/** The site path of a request under `prefix` (`/cms/x` → `/x`), or null when outside the prefix. */
export function sitePathOf(requestUrl: string | undefined, prefix: string): string | null {
  const raw = (requestUrl ?? '/').split('?')[0] ?? '/';
  if (prefix === '') return raw;
  return raw.startsWith(`${prefix}/`) || raw === prefix ? raw.slice(prefix.length) || '/' : null;
}

export interface SiteServerOptions {
  /** the folder holding the site */
  root: string;
  /** a path prefix the site is served under, e.g. `/cms`. Default none. */
  prefix?: string;
  /** Default 127.0.0.1: the site is for this machine only. */
  host?: string;
  /** Default 0: any free port. */
  port?: number;
  /** Told about each request after it is answered (for logs). */
  onRequest?: (request: { method: string; path: string; status: number }) => void;
}

export interface SiteServer {
  /** base URL to pass as --mirror, e.g. http://127.0.0.1:43125 */
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Serve a site folder over HTTP until close(). */
export async function startSiteServer(options: SiteServerOptions): Promise<SiteServer> {
  const root = resolve(options.root);
  const prefix = (options.prefix ?? '').replace(/\/+$/, '');
  const host = options.host ?? '127.0.0.1';
  const server = createServer((req, res) => {
    const path = sitePathOf(req.url, prefix);
    serveStatic(root, path, req, res)
      .then((status) => options.onRequest?.({ method: req.method ?? 'GET', path: path ?? req.url ?? '/', status }))
      .catch(() => {
        if (!res.headersSent) {
          res.writeHead(500, { 'content-type': 'text/plain' });
          res.end('internal error\n');
        } else res.destroy();
      });
  });
  await new Promise<void>((ready, fail) => {
    server.once('error', fail);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', fail);
      ready();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}${prefix}`,
    port,
    close: () =>
      new Promise<void>((done, fail) => {
        server.close((error) => (error ? fail(error) : done()));
        server.closeAllConnections();
      }),
  };
}

/** Answer one request from the site folder; returns the status sent. */
async function serveStatic(root: string, path: string | null, req: IncomingMessage, res: ServerResponse): Promise<number> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' });
    res.end('method not allowed\n');
    return 405;
  }
  const file = path === null ? null : await siteFile(root, path);
  if (file === null) {
    res.writeHead(404, { 'content-type': 'text/html; charset=utf-8' });
    res.end(req.method === 'HEAD' ? undefined : NOT_FOUND_PAGE);
    return 404;
  }
  const { etag, lastModified } = await validatorsOf(file);
  if (notModified(req.headers, etag, file.mtimeMs)) {
    res.writeHead(304, { etag, 'last-modified': lastModified });
    res.end();
    return 304;
  }
  res.writeHead(200, { 'content-type': contentType(file.path), 'content-length': file.size, etag, 'last-modified': lastModified });
  if (req.method === 'HEAD') {
    res.end();
    return 200;
  }
  await pipeline(createReadStream(file.path), res);
  return 200;
}
