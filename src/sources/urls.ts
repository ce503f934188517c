/**
 * Which URLs we fetch, and how links found on CMS pages become fetchable URLs.
 *
 * Everything is reasoned about in "CMS space" (https://www.cms.gov/...) and mapped to the mirror
 * only at the end: a root-relative href such as `/files/zip/x.zip` on a mirrored page must keep
 * the mirror's path prefix, which resolving against the mirrored page URL would lose.
 */
import { UsageError, redactUrl } from '../errors.js';

export const CMS_ORIGIN = 'https://www.cms.gov';
const CMS_HOST = 'www.cms.gov';

/** Called with a human-readable message when a link is skipped or something looks off. */
export type Warn = (message: string) => void;

/**
 * A mirror base without a trailing slash (`http://127.0.0.1:3456/cms`). Throws a UsageError for
 * anything that is not a plain http(s) URL, since `--mirror` comes from the command line.
 */
export function normalizeMirror(mirror: string): string {
  let parsed: URL;
  try {
    parsed = new URL(mirror);
  } catch {
    throw new UsageError(`--mirror ${redactUrl(mirror)} is not a URL; expected e.g. http://127.0.0.1:3456/cms`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new UsageError(`--mirror ${redactUrl(mirror)} must be an http or https URL`);
  }
  if (parsed.search !== '' || parsed.hash !== '') {
    throw new UsageError(`--mirror ${redactUrl(mirror)} must not have a query or fragment`);
  }
  // credentials, if any, are kept so that a mirror behind basic auth works (messages redact them)
  const auth = parsed.username !== '' ? `${parsed.username}${parsed.password !== '' ? `:${parsed.password}` : ''}@` : '';
  return `${parsed.protocol}//${auth}${parsed.host}${parsed.pathname.replace(/\/+$/, '')}`;
}

/** True for an https://www.cms.gov URL (default port, no credentials). */
export function isCmsUrl(url: string): boolean {
  const parsed = tryParse(url);
  return (
    parsed !== undefined &&
    parsed.protocol === 'https:' &&
    parsed.hostname === CMS_HOST &&
    parsed.port === '' &&
    parsed.username === '' &&
    parsed.password === ''
  );
}

/** `https://www.cms.gov/<path>` → `<mirror>/<path>`; unchanged without a mirror or for other hosts. */
export function applyMirror(url: string, mirror?: string): string {
  if (mirror === undefined) return url;
  if (!isCmsUrl(url)) return url;
  const parsed = new URL(url);
  return `${normalizeMirror(mirror)}${parsed.pathname}${parsed.search}${parsed.hash}`;
}

/** The inverse of applyMirror: a URL under the mirror → its https://www.cms.gov equivalent. */
export function toCmsUrl(url: string, mirror?: string): string {
  if (mirror === undefined) return url;
  const rest = mirrorRest(url, mirror);
  return rest === undefined ? url : `${CMS_ORIGIN}${rest}`;
}

/**
 * Only https://www.cms.gov is fetched, or, when a mirror is given, only URLs under the mirror's
 * origin and path prefix (an air-gapped site must never reach out to the internet).
 */
export function isAllowedUrl(url: string, mirror?: string): boolean {
  if (mirror === undefined) return isCmsUrl(url);
  return mirrorRest(url, mirror) !== undefined;
}

/** Where a link on a page points, in CMS space, and whether we may fetch it. */
export interface LinkTarget {
  /** the target as an https://www.cms.gov URL when it is on CMS (or the mirror), else as written */
  url: URL;
  /** false for links to any other host: those are never fetched */
  onCms: boolean;
}

/**
 * Resolve an href found on a page fetched from `pageUrl` (mirrored or not). Relative hrefs resolve
 * against the page's CMS URL; absolute links into the mirror and http://www.cms.gov links count as
 * CMS links. Returns null for hrefs that are not http(s) URLs (mailto:, javascript:, garbage).
 */
export function resolveHref(href: string, pageUrl: string, mirror?: string): LinkTarget | null {
  let resolved: URL;
  try {
    resolved = new URL(href.trim(), toCmsUrl(pageUrl, mirror));
  } catch {
    return null;
  }
  if (resolved.protocol !== 'http:' && resolved.protocol !== 'https:') return null;
  const url = new URL(toCmsUrl(resolved.href, mirror));
  // CMS pages still carry some http:// links to their own host; fetch those over https
  if (url.protocol === 'http:' && url.hostname === CMS_HOST && url.port === '') url.protocol = 'https:';
  // fragments never reach the server
  url.hash = '';
  return { url, onCms: isCmsUrl(url.href) };
}

/**
 * A link target as a URL to fetch (the mirror applied), or null, with a warning, for a link to a
 * host other than www.cms.gov.
 */
export function fetchableUrl(target: LinkTarget, pageUrl: string, options: { mirror?: string | undefined; warn: Warn }): string | null {
  if (!target.onCms) {
    options.warn(
      `skipped link to ${redactUrl(target.url.href)} on ${redactUrl(pageUrl)}: only ${CMS_HOST}` +
        `${options.mirror !== undefined ? ' (through the mirror)' : ''} is fetched`,
    );
    return null;
  }
  return applyMirror(target.url.href, options.mirror);
}

/** resolveHref then fetchableUrl: an href as a URL to fetch, or null (foreign hosts warned about). */
export function resolveLink(href: string, pageUrl: string, options: { mirror?: string | undefined; warn: Warn }): string | null {
  const target = resolveHref(href, pageUrl, options.mirror);
  return target === null ? null : fetchableUrl(target, pageUrl, options);
}

/** The path of a fetchable URL as it is on www.cms.gov (the mirror prefix removed). */
export function cmsPath(url: string, mirror?: string): string {
  return new URL(toCmsUrl(url, mirror)).pathname;
}

/** The path (plus query and hash) of `url` below the mirror base, or undefined if not under it. */
function mirrorRest(url: string, mirror: string): string | undefined {
  const parsed = tryParse(url);
  const base = new URL(normalizeMirror(mirror));
  if (parsed === undefined) return undefined;
  if (parsed.origin !== base.origin) return undefined;
  const prefix = base.pathname.replace(/\/+$/, '');
  const path = parsed.pathname;
  if (prefix !== '' && path !== prefix && !path.startsWith(`${prefix}/`)) return undefined;
  const rest = path.slice(prefix.length);
  return `${rest === '' ? '/' : rest}${parsed.search}${parsed.hash}`;
}

function tryParse(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

/**
 * The file name an archive is imported under: the part of its CMS path after `/files/zip/` (or
 * the last segment), with CMS's literal slashes turned into hyphens:
 * `/files/zip/rvu25d-updated-09/11/2025.zip` → `rvu25d-updated-09-11-2025.zip`.
 */
export function archiveFileName(url: string): string {
  let path: string;
  try {
    const pathname = new URL(url).pathname;
    try {
      path = decodeURIComponent(pathname);
    } catch {
      path = pathname;
    }
  } catch {
    path = url;
  }
  const rest = /\/files\/zip\/(.+)$/i.exec(path)?.[1] ?? path.slice(path.lastIndexOf('/') + 1);
  const name = rest
    .replace(/[/\\]+/g, '-')
    .replace(/[^\w.-]+/g, '_')
    .replace(/^[.-]+/, '');
  if (name === '') return 'archive.zip';
  return /\.zip$/i.test(name) ? name : `${name}.zip`;
}
