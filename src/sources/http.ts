/**
 * The HTTP client of the sources stage: undici with connect, header and idle-body timeouts,
 * retries with exponential backoff and jitter (p-retry) on the faults worth retrying, manual
 * redirects (so that every hop is checked against the allowed hosts), and conditional requests.
 *
 * The body is handed to a caller-supplied `consume` function inside the retry loop, so that a
 * body cut short mid-stream is retried like any other network fault, without ever buffering it.
 */
import { STATUS_CODES } from 'node:http';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import pRetry from 'p-retry';
import { Agent, request } from 'undici';
import { redactUrl } from '../errors.js';
import { applyMirror, isAllowedUrl } from './urls.js';

export interface HttpClientOptions {
  /** Fetch only under this mirror instead of https://www.cms.gov. */
  mirror?: string | undefined;
  /** TCP/TLS connect timeout. Default 10 s. */
  connectTimeoutMs?: number;
  /** Time to wait for the response headers. Default 30 s. */
  headersTimeoutMs?: number;
  /** Longest silence while reading a body (an idle timeout, not a total). Default 30 s. */
  bodyTimeoutMs?: number;
  /** Retries after the first attempt. Default 4. */
  retries?: number;
  /** First backoff delay; doubles each retry, times a random factor in [1, 2). Default 1 s. */
  retryBaseMs?: number;
  /** Upper bound of one backoff delay. Default 30 s. */
  retryMaxMs?: number;
  /** Upper bound on a server's Retry-After. Default 2 min. */
  retryAfterMaxMs?: number;
  /** Redirects followed per request. Default 5. */
  maxRedirects?: number;
  userAgent?: string;
  /** Told about each retry (for logs). */
  onRetry?: (event: RetryEvent) => void;
}

export interface RetryEvent {
  /** the URL, credentials redacted */
  url: string;
  /** the attempt that failed, 1-based */
  attempt: number;
  retriesLeft: number;
  error: HttpError;
}

/** What a response said about itself. */
export interface ResponseInfo {
  /** the URL that answered, after redirects */
  url: string;
  status: number;
  contentLength: number | null;
  contentType: string | null;
  etag: string | null;
  lastModified: string | null;
}

export interface GetOptions<T> {
  /** Validators from an earlier download; sent as If-None-Match / If-Modified-Since. */
  conditional?: { etag?: string | null | undefined; lastModified?: string | null | undefined } | undefined;
  /**
   * Reads a 2xx body. Called once per attempt with a fresh body; it must clean up after itself
   * when it throws. Throw a retryable HttpError (or let a network error through) to retry.
   */
  consume: (body: Readable, info: ResponseInfo) => Promise<T>;
}

export type GetResult<T> =
  | { notModified: false; value: T; info: ResponseInfo }
  | { notModified: true; info: ResponseInfo };

export interface HttpClient {
  get<T>(url: string, options: GetOptions<T>): Promise<GetResult<T>>;
  /** A page as text (charset from Content-Type, default UTF-8), at most `maxBytes` (default 5 MB). */
  getText(url: string, options?: { maxBytes?: number }): Promise<{ url: string; text: string }>;
  close(): Promise<void>;
}

/** A request that failed. The message names the URL (credentials redacted) and what happened. */
export class HttpError extends Error {
  override readonly name = 'HttpError';
  /** the URL, credentials redacted */
  readonly url: string;
  readonly status: number | undefined;
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;
  readonly attempts: number;
  readonly problem: string;

  constructor(
    url: string,
    problem: string,
    details: { status?: number; retryable: boolean; retryAfterMs?: number | undefined; attempts?: number; cause?: unknown },
  ) {
    const attempts = details.attempts ?? 1;
    const redacted = redactUrl(url);
    super(`GET ${redacted}: ${problem}${attempts > 1 ? ` (gave up after ${attempts} attempts)` : ''}`, {
      cause: details.cause,
    });
    this.url = redacted;
    this.problem = problem;
    this.status = details.status;
    this.retryable = details.retryable;
    this.retryAfterMs = details.retryAfterMs;
    this.attempts = attempts;
  }

  withAttempts(attempts: number): HttpError {
    return new HttpError(this.url, this.problem, {
      ...(this.status !== undefined ? { status: this.status } : {}),
      retryable: this.retryable,
      retryAfterMs: this.retryAfterMs,
      attempts,
      cause: this.cause,
    });
  }
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

export function createHttpClient(options: HttpClientOptions = {}): HttpClient {
  const mirror = options.mirror;
  const connectTimeoutMs = options.connectTimeoutMs ?? 10_000;
  const headersTimeoutMs = options.headersTimeoutMs ?? 30_000;
  const bodyTimeoutMs = options.bodyTimeoutMs ?? 30_000;
  const retries = options.retries ?? 4;
  const retryBaseMs = options.retryBaseMs ?? 1_000;
  const retryMaxMs = options.retryMaxMs ?? 30_000;
  const retryAfterMaxMs = options.retryAfterMaxMs ?? 120_000;
  const maxRedirects = options.maxRedirects ?? 5;
  const userAgent = options.userAgent ?? 'cms-ingest/0.1 (+data ingestion; respects Retry-After)';

  // note: undici runs header and body timers on a coarse clock (about 1 s), so they fire up to ~1 s late
  const agent = new Agent({ connect: { timeout: connectTimeoutMs }, headersTimeout: headersTimeoutMs, bodyTimeout: bodyTimeoutMs });
  const timeouts = { connectTimeoutMs, headersTimeoutMs, bodyTimeoutMs };

  /** One attempt: the request, any redirects, and the body through `consume`. */
  async function attempt<T>(startUrl: string, get: GetOptions<T>): Promise<GetResult<T>> {
    const conditional = conditionalHeaders(get.conditional);
    let url = startUrl;
    for (let hop = 0; ; hop++) {
      const { target, headers } = withAuthorization(url, { 'user-agent': userAgent, ...conditional });
      let response: Awaited<ReturnType<typeof request>>;
      try {
        response = await request(target, { method: 'GET', headers, dispatcher: agent });
      } catch (error) {
        throw networkError(url, error, timeouts, { inBody: false });
      }
      const status = response.statusCode;
      const info = responseInfo(url, status, response.headers);

      if (REDIRECTS.has(status)) {
        await discard(response.body);
        const location = header(response.headers, 'location');
        if (location === null) throw new HttpError(url, `HTTP ${status} redirect without a Location header`, { status, retryable: false });
        if (hop >= maxRedirects) throw new HttpError(url, `more than ${maxRedirects} redirects`, { status, retryable: false });
        // a redirect back to www.cms.gov stays on the mirror
        const next = applyMirror(new URL(location, url).href, mirror);
        if (!isAllowedUrl(next, mirror)) {
          throw new HttpError(url, `redirected to ${redactUrl(next)}, which is not an allowed host`, { status, retryable: false });
        }
        url = next;
        continue;
      }
      if (status === 304) {
        await discard(response.body);
        if (Object.keys(conditional).length === 0) {
          throw new HttpError(url, 'HTTP 304 Not Modified to an unconditional request', { status, retryable: false });
        }
        return { notModified: true, info };
      }
      if (status < 200 || status > 299) {
        await discard(response.body);
        const retryable = status === 408 || status === 429 || status >= 500;
        const retryAfterMs = retryable ? parseRetryAfter(header(response.headers, 'retry-after') ?? undefined) : undefined;
        throw new HttpError(url, `HTTP ${status} ${STATUS_CODES[status] ?? ''}`.trimEnd(), { status, retryable, retryAfterMs });
      }
      // count what arrives, so that a body cut short can say how short
      let received = 0;
      const counted = new Transform({
        transform(chunk: Buffer, _encoding, done) {
          received += chunk.length;
          done(null, chunk);
        },
      });
      // body errors reach `counted` (pipeline destroys it with them); consume sees them there
      pipeline(response.body, counted).catch(() => undefined);
      try {
        return { notModified: false, value: await get.consume(counted, info), info };
      } catch (error) {
        // free the connection if consume stopped reading early
        response.body.destroy();
        counted.destroy();
        if (error instanceof HttpError) throw error;
        const mapped = networkError(url, error, timeouts, { inBody: true, received, total: info.contentLength });
        // the consumer's own failures (a full disk, a size limit) are not ours to retry or rename
        if (!mapped.retryable && !errorCode(error)?.startsWith('UND_ERR_')) throw error;
        throw mapped;
      }
    }
  }

  async function get<T>(url: string, getOptions: GetOptions<T>): Promise<GetResult<T>> {
    if (!isAllowedUrl(url, mirror)) {
      const allowed = mirror === undefined ? 'https://www.cms.gov' : `the mirror ${redactUrl(mirror)}`;
      throw new HttpError(url, `not fetched: only ${allowed} is allowed`, { retryable: false });
    }
    let attempts = 0;
    try {
      return await pRetry(
        () => {
          attempts++;
          return attempt(url, getOptions);
        },
        {
          retries,
          factor: 2,
          minTimeout: retryBaseMs,
          maxTimeout: retryMaxMs,
          randomize: true,
          shouldRetry: ({ error }) => error instanceof HttpError && error.retryable,
          onFailedAttempt: async ({ error, attemptNumber, retriesLeft }) => {
            if (!(error instanceof HttpError) || !error.retryable || retriesLeft <= 0) return;
            options.onRetry?.({ url: redactUrl(url), attempt: attemptNumber, retriesLeft, error });
            // p-retry adds its own backoff after this; Retry-After is the floor the server asked for
            if (error.retryAfterMs !== undefined) await sleep(Math.min(error.retryAfterMs, retryAfterMaxMs));
          },
        },
      );
    } catch (error) {
      if (error instanceof HttpError && attempts > 1) throw error.withAttempts(attempts);
      throw error;
    }
  }

  async function getText(url: string, textOptions: { maxBytes?: number } = {}): Promise<{ url: string; text: string }> {
    const maxBytes = textOptions.maxBytes ?? 5 * 1024 * 1024;
    const result = await get(url, {
      consume: async (body, info) => {
        const chunks: Buffer[] = [];
        let size = 0;
        for await (const chunk of body as AsyncIterable<Buffer>) {
          size += chunk.length;
          if (size > maxBytes) {
            throw new HttpError(info.url, `page larger than ${maxBytes} bytes`, { status: info.status, retryable: false });
          }
          chunks.push(chunk);
        }
        return decodeText(Buffer.concat(chunks), info.contentType);
      },
    });
    if (result.notModified) throw new HttpError(url, 'unexpected HTTP 304', { status: 304, retryable: false });
    return { url: result.info.url, text: result.value };
  }

  return { get, getText, close: () => agent.close() };
}

/** Retry-After as milliseconds: delay-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now: number = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Where a network failure struck: before the response, or mid-body after some bytes. */
type Phase = { inBody: false } | { inBody: true; received: number; total: number | null };

/** Network-level failures: which are worth retrying, and how to say what happened. */
function networkError(
  url: string,
  error: unknown,
  timeouts: { connectTimeoutMs: number; headersTimeoutMs: number; bodyTimeoutMs: number },
  phase: Phase,
): HttpError {
  const code = errorCode(error);
  const detail = error instanceof Error ? error.message : String(error);
  const after = phase.inBody ? `after ${phase.received}${phase.total !== null ? ` of ${phase.total}` : ''} bytes` : 'before the response';
  const retry = (problem: string) => new HttpError(url, problem, { retryable: true, cause: error });
  switch (code) {
    case 'UND_ERR_CONNECT_TIMEOUT':
      return retry(`could not connect within ${timeouts.connectTimeoutMs} ms`);
    case 'UND_ERR_HEADERS_TIMEOUT':
      return retry(`no response headers within ${timeouts.headersTimeoutMs} ms`);
    case 'UND_ERR_BODY_TIMEOUT':
      return retry(`body stalled: no data for ${timeouts.bodyTimeoutMs} ms ${after}`);
    case 'UND_ERR_SOCKET':
    case 'UND_ERR_CLOSED':
    case 'ERR_STREAM_PREMATURE_CLOSE':
      return retry(phase.inBody ? `body cut short: the connection closed ${after}` : `connection closed before the response (${detail})`);
    case 'ECONNRESET':
      return retry(phase.inBody ? `body cut short: connection reset ${after}` : 'connection reset before the response');
    case 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH':
      return retry(`body length does not match its Content-Length ${after}`);
    case 'ECONNREFUSED':
      return retry('connection refused');
    case 'EPIPE':
    case 'ECONNABORTED':
    case 'ETIMEDOUT':
    case 'EAI_AGAIN':
    case 'ENETUNREACH':
    case 'EHOSTUNREACH':
    case 'ENETDOWN':
      return retry(`network error (${code}) ${after}`);
    case 'ENOTFOUND':
      return new HttpError(url, 'host not found (DNS)', { retryable: false, cause: error });
    default:
      return new HttpError(url, `request failed ${after}: ${detail}`, { retryable: false, cause: error });
  }
}

function errorCode(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 4; e = e.cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

type Headers = Record<string, string | string[] | undefined>;

function header(headers: Headers, name: string): string | null {
  const value = headers[name];
  if (value === undefined) return null;
  return Array.isArray(value) ? (value[0] ?? null) : value;
}

function responseInfo(url: string, status: number, headers: Headers): ResponseInfo {
  const length = header(headers, 'content-length');
  const contentLength = length !== null && /^\d+$/.test(length.trim()) ? Number(length) : null;
  return {
    url,
    status,
    contentLength,
    contentType: header(headers, 'content-type'),
    etag: header(headers, 'etag'),
    lastModified: header(headers, 'last-modified'),
  };
}

function conditionalHeaders(conditional: GetOptions<unknown>['conditional']): Record<string, string> {
  const headers: Record<string, string> = {};
  if (conditional?.etag) headers['if-none-match'] = conditional.etag;
  if (conditional?.lastModified) headers['if-modified-since'] = conditional.lastModified;
  return headers;
}

/** Credentials in a (mirror) URL become a Basic Authorization header instead of part of the request URL. */
function withAuthorization(url: string, headers: Record<string, string>): { target: string; headers: Record<string, string> } {
  const parsed = new URL(url);
  if (parsed.username === '' && parsed.password === '') return { target: url, headers };
  const credentials = `${decodeURIComponent(parsed.username)}:${decodeURIComponent(parsed.password)}`;
  parsed.username = '';
  parsed.password = '';
  return { target: parsed.href, headers: { ...headers, authorization: `Basic ${Buffer.from(credentials).toString('base64')}` } };
}

async function discard(body: Readable & { dump?: () => Promise<void> }): Promise<void> {
  try {
    if (body.dump !== undefined) await body.dump();
    else body.destroy();
  } catch {
    // the status is what matters; a broken error body is not worth reporting
  }
}

function decodeText(bytes: Buffer, contentType: string | null): string {
  const charset = /charset\s*=\s*"?([\w.:-]+)/i.exec(contentType ?? '')?.[1];
  try {
    return new TextDecoder(charset ?? 'utf-8').decode(bytes);
  } catch {
    return new TextDecoder('utf-8').decode(bytes);
  }
}
