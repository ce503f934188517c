/** The sources stage: CMS web pages → release references; downloads into a verified cache. */
export { DownloadCache, type CacheEntry } from './cache.js';
export { discoverReleases, type DiscoverOptions } from './discover.js';
export { DownloadError, download, verifyZip, type DownloadOptions, type DownloadResult } from './download.js';
// The page parsers (hcpcs-page.ts, pfs-pages.ts) are imported where used: they load cheerio.
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
export { compareReleaseRefs, type Family, type ReleaseRef } from './release-ref.js';
export {
  CMS_ORIGIN,
  HCPCS_PAGE_PATH,
  PFS_LANDING_PATH,
  applyMirror,
  isAllowedUrl,
  isCmsUrl,
  normalizeMirror,
  resolveHref,
  resolveLink,
  toCmsUrl,
  type Warn,
} from './urls.js';
