/** Sync's HTTP client: the one it is given or creates, bound to the run's abort signal. */
import type { HttpClient } from '../sources/index.js';

/**
 * `http` whose every request, pages and downloads, takes `signal`: an abort destroys the request
 * wherever it is (connecting, waiting for headers, reading a body; a download's temp file is
 * removed, nothing reaches the cache), and no request starts afterwards. The run's deadlines, when
 * set, become each request's own.
 */
export function abortableHttp(
  http: HttpClient,
  signal: AbortSignal,
  deadlines: { pageDeadlineMs?: number | undefined; downloadDeadlineMs?: number | undefined } = {},
): HttpClient {
  const both = (own: AbortSignal | undefined) => (own === undefined ? signal : AbortSignal.any([signal, own]));
  return {
    get(url, options) {
      signal.throwIfAborted();
      return http.get(url, { ...options, deadlineMs: options.deadlineMs ?? deadlines.downloadDeadlineMs, signal: both(options.signal) });
    },
    getText(url, options = {}) {
      signal.throwIfAborted();
      return http.getText(url, { ...options, deadlineMs: options.deadlineMs ?? deadlines.pageDeadlineMs, signal: both(options.signal) });
    },
    close: () => http.close(),
  };
}
