/**
 * The HTTP client of the sources stage: Node's own http/https (no third-party HTTP stack whose
 * parser can fail an assertion on a response it did not expect), with connect, header and
 * idle-body timeouts, a total deadline per request, the run's abort signal on every request,
 * retries with exponential backoff and jitter (p-retry) on the faults worth retrying, manual
 * redirects (so that every hop is checked against the allowed hosts), and conditional requests.
 *
 * The body is handed to a caller-supplied `consume` function inside the retry loop, so that a
 * body cut short mid-stream is retried like any other network fault, without ever buffering it.
 * Every response framing (Content-Length, chunked, close-delimited HTTP/1.0) and every consumer
 * speed ends in a value or an HttpError: each socket, request and response has an error listener.
 */
import http, { STATUS_CODES, type ClientRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import https from 'node:https';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { createGunzip } from 'node:zlib';
import pRetry from 'p-retry';
import { UsageError, redactUrl } from '../errors.js';
import { applyMirror, isAllowedUrl } from './urls.js';

export interface HttpClientOptions {
  /** Fetch only under this mirror instead of https://www.cms.gov. */
  mirror?: string | undefined;
  /** Aborts every request of this client (the run's signal: SIGTERM). */
  signal?: AbortSignal | undefined;
  /** TCP/TLS connect timeout. Default 10 s. */
  connectTimeoutMs?: number;
  /** Time to wait for the response headers once connected. Default 30 s. */
  headersTimeoutMs?: number;
  /** Longest silence while reading a body (an idle timeout, not a total). Default 30 s. */
  bodyTimeoutMs?: number;
  /** Total time of one page request (getText), retries and redirects included. Default 60 s. */
  pageDeadlineMs?: number;
  /** Total time of one file request (get: a zip), retries included; sized for a slow link. Default 30 min. */
  downloadDeadlineMs?: number;
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
  /**
   * The URL requested, as sent (under the mirror when there is one), credentials redacted: what
   * the retry requests again. Where a redirect target failed, `error.url` is that target.
   */
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
  /** Total time of this request, retries included. Default: the client's downloadDeadlineMs. */
  deadlineMs?: number | undefined;
  /** Aborts this request (besides the client's own signal). */
  signal?: AbortSignal | undefined;
}

export interface GetTextOptions {
  /** Default 5 MB. */
  maxBytes?: number | undefined;
  /** Default: the client's pageDeadlineMs. */
  deadlineMs?: number | undefined;
  signal?: AbortSignal | undefined;
}

export type GetResult<T> =
  | { notModified: false; value: T; info: ResponseInfo }
  | { notModified: true; info: ResponseInfo };

export interface HttpClient {
  get<T>(url: string, options: GetOptions<T>): Promise<GetResult<T>>;
  /** A page as text (charset from Content-Type, default UTF-8), at most `maxBytes` (default 5 MB). */
  getText(url: string, options?: GetTextOptions): Promise<{ url: string; text: string }>;
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

  /**
   * The problem as told about a request of `requested`: when a redirect target failed, not the
   * URL requested, it is named (`redirected to <url>: <problem>`), so that a message about the
   * request names the host that failed.
   */
  problemOf(requested: string): string {
    return this.url === redactUrl(requested) ? this.problem : `redirected to ${this.url}: ${this.problem}`;
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

/** One of our own timers fired (connect, headers, idle body). */
class TimeoutError extends Error {
  override readonly name = 'TimeoutError';
  constructor(readonly phase: 'connect' | 'headers' | 'body') {
    super(`${phase} timeout`);
  }
}

/** The request's total deadline passed (the reason of the deadline's abort). */
class DeadlineError extends Error {
  override readonly name = 'DeadlineError';
  constructor(readonly ms: number) {
    super(`deadline of ${ms} ms passed`);
  }
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

interface Timeouts {
  connectTimeoutMs: number;
  headersTimeoutMs: number;
  bodyTimeoutMs: number;
}

export function createHttpClient(options: HttpClientOptions = {}): HttpClient {
  const mirror = options.mirror;
  const timeouts: Timeouts = {
    connectTimeoutMs: positiveMs(options, 'connectTimeoutMs', 10_000),
    headersTimeoutMs: positiveMs(options, 'headersTimeoutMs', 30_000),
    bodyTimeoutMs: positiveMs(options, 'bodyTimeoutMs', 30_000),
  };
  const pageDeadlineMs = positiveMs(options, 'pageDeadlineMs', 60_000);
  const downloadDeadlineMs = positiveMs(options, 'downloadDeadlineMs', 30 * 60_000);
  const retries = options.retries ?? 4;
  if (!Number.isInteger(retries) || retries < 0) throw new UsageError(`retries must be a whole number of 0 or more, not ${JSON.stringify(retries)}`);
  const retryBaseMs = options.retryBaseMs ?? 1_000;
  const retryMaxMs = options.retryMaxMs ?? 30_000;
  const retryAfterMaxMs = options.retryAfterMaxMs ?? 120_000;
  const maxRedirects = options.maxRedirects ?? 5;
  const userAgent = options.userAgent ?? 'cms-ingest/0.1 (+data ingestion; respects Retry-After)';
  const agents = { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) };

  /** One attempt: the request, any redirects, and the body through `consume`. */
  async function attempt<T>(startUrl: string, get: GetOptions<T>, signal: AbortSignal): Promise<GetResult<T>> {
    const conditional = conditionalHeaders(get.conditional);
    let url = startUrl;
    for (let hop = 0; ; hop++) {
      signal.throwIfAborted();
      // the bytes as stored: a zip is compressed already, and its sha256 is what identifies it
      const { target, headers } = withAuthorization(url, { 'user-agent': userAgent, 'accept-encoding': 'identity', ...conditional });
      let response: IncomingMessage;
      try {
        response = await send(target, headers, agents, timeouts, signal);
      } catch (error) {
        signal.throwIfAborted();
        throw networkError(url, error, timeouts, { inBody: false });
      }
      const status = response.statusCode ?? 0;
      const info = responseInfo(url, status, response.headers);

      if (REDIRECTS.has(status)) {
        discard(response);
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
        discard(response);
        if (Object.keys(conditional).length === 0) {
          throw new HttpError(url, 'HTTP 304 Not Modified to an unconditional request', { status, retryable: false });
        }
        return { notModified: true, info };
      }
      if (status < 200 || status > 299) {
        discard(response);
        const retryable = status === 408 || status === 429 || status >= 500;
        const retryAfterMs = retryable ? parseRetryAfter(header(response.headers, 'retry-after') ?? undefined) : undefined;
        throw new HttpError(url, `HTTP ${status} ${STATUS_CODES[status] ?? ''}`.trimEnd(), { status, retryable, retryAfterMs });
      }
      const coding = contentCoding(response.headers);
      if (typeof coding === 'object') {
        discard(response);
        throw new HttpError(url, `the server sent the body with Content-Encoding ${JSON.stringify(coding.unsupported)}, which cms-ingest does not decode (it asks for identity, and decodes gzip)`, {
          status,
          retryable: false,
        });
      }
      return await readBody(url, response, info, get, signal, timeouts, coding === 'gzip');
    }
  }

  async function get<T>(url: string, getOptions: GetOptions<T>): Promise<GetResult<T>> {
    if (!isAllowedUrl(url, mirror)) {
      const allowed = mirror === undefined ? 'https://www.cms.gov' : `the mirror ${redactUrl(mirror)}`;
      throw new HttpError(url, `not fetched: only ${allowed} is allowed`, { retryable: false });
    }
    const deadlineMs = getOptions.deadlineMs ?? downloadDeadlineMs;
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(new DeadlineError(deadlineMs)), deadlineMs);
    const stops = [options.signal, getOptions.signal].filter((signal): signal is AbortSignal => signal !== undefined);
    const signal = AbortSignal.any([deadline.signal, ...stops]);
    let attempts = 0;
    let last: HttpError | undefined;
    try {
      signal.throwIfAborted();
      return await pRetry(
        async () => {
          attempts++;
          try {
            return await attempt(url, getOptions, signal);
          } catch (error) {
            if (error instanceof HttpError) last = error;
            throw error;
          }
        },
        {
          retries,
          factor: 2,
          minTimeout: retryBaseMs,
          maxTimeout: retryMaxMs,
          randomize: true,
          signal,
          shouldRetry: ({ error }) => !signal.aborted && error instanceof HttpError && error.retryable,
          onFailedAttempt: async ({ error, attemptNumber, retriesLeft }) => {
            if (signal.aborted || !(error instanceof HttpError) || !error.retryable || retriesLeft <= 0) return;
            options.onRetry?.({ url: redactUrl(url), attempt: attemptNumber, retriesLeft, error });
            // p-retry adds its own backoff after this; Retry-After is the floor the server asked for
            if (error.retryAfterMs !== undefined) await sleep(Math.min(error.retryAfterMs, retryAfterMaxMs), undefined, { signal });
          },
        },
      );
    } catch (error) {
      // the run's own stop wins over everything: the caller reports the interruption, not a URL
      const stopped = stops.find((stop) => stop.aborted);
      if (stopped !== undefined) throw abortReason(stopped);
      if (deadline.signal.aborted) {
        const lastProblem = last !== undefined ? `; the last attempt failed: ${last.problemOf(url)}` : '';
        throw new HttpError(url, `no complete response within the ${deadlineMs} ms deadline${lastProblem}`, { retryable: false, attempts, cause: error });
      }
      if (error instanceof HttpError && attempts > 1) throw error.withAttempts(attempts);
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  async function getText(url: string, textOptions: GetTextOptions = {}): Promise<{ url: string; text: string }> {
    const maxBytes = textOptions.maxBytes ?? 5 * 1024 * 1024;
    const result = await get(url, {
      deadlineMs: textOptions.deadlineMs ?? pageDeadlineMs,
      signal: textOptions.signal,
      consume: async (body, info) => {
        if (info.contentLength !== null && info.contentLength > maxBytes) {
          throw new HttpError(info.url, `page of ${info.contentLength} bytes (Content-Length) is larger than the ${maxBytes}-byte limit; not read`, {
            status: info.status,
            retryable: false,
          });
        }
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

  return {
    get,
    getText,
    async close() {
      agents.http.destroy();
      agents.https.destroy();
    },
  };
}

/**
 * Send one GET; resolves with the response once its headers are in. The connect timer runs until
 * the socket is connected, the headers timer from then until the response; the signal destroys
 * the request at any point.
 */
function send(
  target: string,
  headers: Record<string, string>,
  agents: { http: http.Agent; https: https.Agent },
  timeouts: Timeouts,
  signal: AbortSignal,
): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const parsed = new URL(target);
    const secure = parsed.protocol === 'https:';
    let request: ClientRequest;
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    const settle = () => {
      settled = true;
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
    };
    const fail = (error: unknown) => {
      if (settled) return;
      settle();
      request.destroy();
      reject(error);
    };
    const onAbort = () => fail(abortReason(signal));
    const startTimer = (phase: 'connect' | 'headers', ms: number) => {
      clearTimeout(timer);
      timer = setTimeout(() => setImmediate(() => fail(new TimeoutError(phase))), ms);
    };
    try {
      request = (secure ? https : http).request(parsed, { method: 'GET', headers, agent: secure ? agents.https : agents.http });
    } catch (error) {
      reject(error);
      return;
    }
    // stays attached after the response: a socket error later must never be unhandled
    request.on('error', fail);
    request.on('socket', (socket) => {
      if (!socket.connecting) {
        startTimer('headers', timeouts.headersTimeoutMs);
        return;
      }
      socket.once(secure ? 'secureConnect' : 'connect', () => {
        if (!settled) startTimer('headers', timeouts.headersTimeoutMs);
      });
    });
    request.on('response', (response) => {
      // body errors are read through the stream; this listener only keeps them from being unhandled
      response.on('error', () => undefined);
      if (settled) {
        response.destroy();
        return;
      }
      settle();
      resolve(response);
    });
    startTimer('connect', timeouts.connectTimeoutMs);
    signal.addEventListener('abort', onAbort, { once: true });
    request.end();
  });
}

/**
 * A 2xx body through `consume`: counted (so that a body cut short can say how short), with the
 * idle timer re-armed by every chunk, and destroyed by the signal. A slow consumer is not a
 * stalled server: while the body is paused under backpressure the idle timer only re-arms.
 */
async function readBody<T>(
  url: string,
  response: IncomingMessage,
  info: ResponseInfo,
  get: GetOptions<T>,
  signal: AbortSignal,
  timeouts: Timeouts,
  gzipped: boolean,
): Promise<GetResult<T>> {
  let received = 0;
  let gunzip: Transform | undefined;
  let decodeError: unknown;
  let transportError: unknown;
  const stop = (error: unknown) => {
    transportError ??= error;
    response.destroy(error instanceof Error ? error : new Error(String(error)));
  };
  let idle: NodeJS.Timeout | undefined;
  let finished = false;
  const arm = () => {
    clearTimeout(idle);
    idle = setTimeout(() => {
      const before = received;
      // decided after the poll phase: a timer that fired late because the event loop was busy
      // (a load on the embedded database) must not blame the server for bytes already waiting
      setImmediate(() => {
        if (finished || received !== before) return;
        if (response.isPaused() || counted.readableLength >= counted.readableHighWaterMark) arm();
        else if (!response.destroyed) stop(new TimeoutError('body'));
      });
    }, timeouts.bodyTimeoutMs);
  };
  const counted = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      received += chunk.length;
      arm();
      done(null, chunk);
    },
  });
  const onAbort = () => stop(abortReason(signal));
  response.on('error', (error) => (transportError ??= error));
  signal.addEventListener('abort', onAbort, { once: true });
  arm();
  // body errors reach `counted` (pipeline destroys it with them); consume sees them there
  pipeline(response, counted).catch(() => undefined);
  try {
    let body: Readable = counted;
    let bodyInfo = info;
    if (gzipped) {
      // Content-Encoding gzip though identity was asked for: decoded when the body is gzip (its
      // magic bytes), read as it is when it is not (a server that labels any body gzip)
      const head = await peek(counted, 2);
      body = head.ended ? Readable.from(head.bytes.length > 0 ? [head.bytes] : []) : counted;
      if (head.bytes[0] === 0x1f && head.bytes[1] === 0x8b) {
        gunzip = createGunzip();
        gunzip.on('error', (error) => (decodeError ??= error));
        pipeline(body, gunzip).catch(() => undefined);
        body = gunzip;
        // Content-Length counts the encoded bytes; the consumer's own limits count the decoded ones
        bodyInfo = { ...info, contentLength: null };
      }
    }
    return { notModified: false, value: await get.consume(body, bodyInfo), info: bodyInfo };
  } catch (error) {
    // free the connection if consume stopped reading early
    response.destroy();
    counted.destroy();
    gunzip?.destroy();
    signal.throwIfAborted();
    if (error instanceof HttpError) throw error;
    if (transportError === undefined && decodeError !== undefined) {
      const detail = decodeError instanceof Error ? decodeError.message : String(decodeError);
      throw new HttpError(url, `the gzip-encoded body could not be decoded after ${received} bytes (${detail})`, { status: info.status, retryable: true, cause: decodeError });
    }
    if (transportError === undefined && errorCode(error) !== 'ERR_STREAM_PREMATURE_CLOSE') {
      // the consumer's own failures (a full disk, a size limit) are not ours to retry or rename
      throw error;
    }
    throw networkError(url, transportError ?? error, timeouts, { inBody: true, received, total: info.contentLength });
  } finally {
    finished = true;
    clearTimeout(idle);
    signal.removeEventListener('abort', onAbort);
  }
}

/**
 * The first `count` bytes of a stream without consuming them: put back, so that the stream still
 * reads from its start. `ended`: the stream ended within them (they cannot be put back then).
 */
function peek(stream: Readable, count: number): Promise<{ bytes: Buffer; ended: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (ended: boolean, error?: unknown) => {
      stream.off('readable', onReadable);
      stream.off('end', onEnd);
      stream.off('error', onError);
      if (error !== undefined) {
        reject(error);
        return;
      }
      const bytes = Buffer.concat(chunks);
      if (!ended && bytes.length > 0) stream.unshift(bytes);
      resolve({ bytes, ended });
    };
    const onReadable = () => {
      for (let chunk: Buffer | null; size < count && (chunk = stream.read() as Buffer | null) !== null; ) {
        chunks.push(chunk);
        size += chunk.length;
      }
      if (size >= count) finish(false);
    };
    const onEnd = () => finish(true);
    const onError = (error: unknown) => finish(false, error);
    stream.on('readable', onReadable);
    stream.on('end', onEnd);
    stream.on('error', onError);
  });
}

/** A response's Content-Encoding: identity (none), gzip (or x-gzip), or a coding this client does not decode. */
function contentCoding(headers: IncomingHttpHeaders): 'identity' | 'gzip' | { unsupported: string } {
  const value = header(headers, 'content-encoding');
  if (value === null) return 'identity';
  const codings = value
    .split(',')
    .map((coding) => coding.trim().toLowerCase())
    .filter((coding) => coding !== '' && coding !== 'identity');
  if (codings.length === 0) return 'identity';
  if (codings.length === 1 && (codings[0] === 'gzip' || codings[0] === 'x-gzip')) return 'gzip';
  return { unsupported: value.trim() };
}

function positiveMs<K extends keyof HttpClientOptions>(options: HttpClientOptions, key: K, fallback: number): number {
  const value = options[key] ?? fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new UsageError(`${key} must be a positive number of milliseconds, not ${JSON.stringify(value)}`);
  }
  return value;
}

/** The signal's reason as an Error (an abort that says why: "interrupted by SIGTERM"). */
function abortReason(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason : new Error(String(reason ?? 'aborted'));
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
function networkError(url: string, error: unknown, timeouts: Timeouts, phase: Phase): HttpError {
  const after = phase.inBody ? `after ${phase.received}${phase.total !== null ? ` of ${phase.total}` : ''} bytes` : 'before the response';
  const retry = (problem: string) => new HttpError(url, problem, { retryable: true, cause: error });
  if (error instanceof TimeoutError) {
    if (error.phase === 'connect') return retry(`could not connect within ${timeouts.connectTimeoutMs} ms`);
    if (error.phase === 'headers') return retry(`no response headers within ${timeouts.headersTimeoutMs} ms`);
    return retry(`body stalled: no data for ${timeouts.bodyTimeoutMs} ms ${after}`);
  }
  const code = errorCode(error);
  const detail = error instanceof Error ? error.message : String(error);
  if (code?.startsWith('HPE_')) return retry(`malformed HTTP response ${after} (${detail})`);
  switch (code) {
    case 'ECONNRESET':
      if (!phase.inBody) return retry(`connection closed before the response (${detail})`);
      // Node says "aborted" when the connection ended (FIN or RST) before the body was complete
      return retry(detail === 'aborted' ? `body cut short: the connection closed ${after}` : `body cut short: connection reset ${after}`);
    case 'ERR_STREAM_PREMATURE_CLOSE':
      return retry(phase.inBody ? `body cut short: the connection closed ${after}` : `connection closed before the response (${detail})`);
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

function header(headers: IncomingHttpHeaders, name: string): string | null {
  const value = headers[name];
  if (value === undefined) return null;
  return Array.isArray(value) ? (value[0] ?? null) : value;
}

function responseInfo(url: string, status: number, headers: IncomingHttpHeaders): ResponseInfo {
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

/**
 * The body of a redirect, 304 or error status is not wanted: a small or finished one is drained
 * (the connection stays reusable), anything else is dropped with its connection.
 */
function discard(response: IncomingMessage): void {
  const length = Number(response.headers['content-length'] ?? Number.NaN);
  if (response.complete || (Number.isFinite(length) && length <= 64 * 1024)) response.resume();
  else response.destroy();
}

function decodeText(bytes: Buffer, contentType: string | null): string {
  const charset = /charset\s*=\s*"?([\w.:-]+)/i.exec(contentType ?? '')?.[1];
  try {
    return new TextDecoder(charset ?? 'utf-8').decode(bytes);
  } catch {
    return new TextDecoder('utf-8').decode(bytes);
  }
}
