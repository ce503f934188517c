/**
 * The sources stage: the families' CMS pages → release references (each family walks its own
 * pages, declared in pipelines/); downloads into a verified cache.
 */
export { DownloadCache, type CacheEntry } from './cache.js';
export { discoverReleases, type DiscoverOptions } from './discover.js';
export { DownloadError, download, verifyZip, type DownloadOptions, type DownloadResult } from './download.js';
// The page parsers live with their families in pipelines/ and load cheerio only when discovery runs.
export {
  HttpError,
  createHttpClient,
  parseRetryAfter,
  type GetOptions,
  type GetResult,
  type HttpClient,
  type HttpClientOptions,
  type ResponseInfo,
  type RetryEvent,
} from './http.js';
export { PageStructureError } from './page-error.js';
export { compareReleaseRefs, type ReleaseRef } from './release-ref.js';
export {
  CMS_ORIGIN,
  applyMirror,
  archiveFileName,
  isAllowedUrl,
  isCmsUrl,
  normalizeMirror,
  resolveHref,
  resolveLink,
  toCmsUrl,
  type Warn,
} from './urls.js';
