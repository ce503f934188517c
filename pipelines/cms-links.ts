/**
 * Links on CMS's fee-schedule pages, shared by the OPPS, ASP and CLFS page rules: zips are linked
 * either directly (`/files/zip/x.zip`) or through CMS's CPT-licence page
 * (`/license/ama?file=/files/zip/x.zip`, which asks the reader to accept the AMA's terms before
 * the download); the zip itself is what sync fetches.
 */
import { load } from 'cheerio';
import { redactUrl } from '../src/errors.js';
import { isoDate } from '../src/parse/values.js';
import { resolveHref, type LinkTarget, type Warn } from '../src/sources/urls.js';

/** How a page rule is called: the mirror in use and where to report what looks off. */
export interface PageOptions {
  readonly mirror?: string | undefined;
  readonly warn: Warn;
}

/** A release archive found on a page (the shape discovery takes). */
export interface FoundRelease {
  readonly code: string;
  readonly year: number;
  readonly quarter: 1 | 2 | 3 | 4;
  /** the posting date in the zip's name, ISO; null when it has none */
  readonly updated: string | null;
  /** the page that linked the archive */
  readonly pageUrl: string;
  /** the archive to download (mirror applied) */
  readonly url: string;
}

export interface ZipLink {
  /** the zip's URL on www.cms.gov, as a link target (mirror not yet applied) */
  readonly target: LinkTarget;
  /** the zip's file name, e.g. `january-2025-addendum-b.zip` */
  readonly name: string;
  /** the link's text */
  readonly text: string;
}

/** Every link to a zip on a page, the CPT-licence page's `file=` resolved to the zip it stands for. */
export function zipLinks(html: string, pageUrl: string, options: PageOptions): ZipLink[] {
  const $ = load(html);
  const links: ZipLink[] = [];
  for (const element of $('a[href]').toArray()) {
    const href = $(element).attr('href') ?? '';
    const target = resolveHref(href, pageUrl, options.mirror);
    if (target === null) continue;
    let zip = target;
    if (/\/license\/ama\/?$/i.test(target.url.pathname) || /\/apps\/ama\/license\.asp$/i.test(target.url.pathname)) {
      const file = target.url.searchParams.get('file');
      if (file === null || !file.startsWith('/')) continue;
      const behind = resolveHref(file, pageUrl, options.mirror);
      if (behind === null) continue;
      zip = behind;
    }
    const path = zip.url.pathname;
    if (!/\.zip$/i.test(path)) continue;
    links.push({ target: zip, name: decodeURIComponent(path.slice(path.lastIndexOf('/') + 1)), text: $(element).text().replace(/\s+/g, ' ').trim() });
  }
  return links;
}

/** Links to pages below `basePath` (one more path segment), with that segment. */
export function childPages(html: string, pageUrl: string, basePath: string, mirror: string | undefined): { target: LinkTarget; slug: string }[] {
  const $ = load(html);
  const seen = new Set<string>();
  const out: { target: LinkTarget; slug: string }[] = [];
  for (const element of $('a[href]').toArray()) {
    const target = resolveHref($(element).attr('href') ?? '', pageUrl, mirror);
    if (target === null) continue;
    const path = target.url.pathname.replace(/\/+$/, '');
    if (!path.toLowerCase().startsWith(`${basePath.toLowerCase()}/`)) continue;
    const slug = path.slice(basePath.length + 1);
    if (slug === '' || slug.includes('/') || seen.has(slug.toLowerCase())) continue;
    seen.add(slug.toLowerCase());
    out.push({ target, slug });
  }
  return out;
}

/** A date in a zip's name (`…-12-19-24-…`, `…-updated-07-25-2025.zip`): month, day, year → ISO, or null. */
export function dateInZipName(name: string): string | null {
  const match = /(?<!\d)(\d{2})[-_](\d{2})[-_](\d{4}|\d{2})(?!\d)/.exec(name);
  if (!match) return null;
  const year = match[3]!.length === 2 ? 2000 + Number(match[3]) : Number(match[3]);
  return isoDate(year, Number(match[1]), Number(match[2]));
}

/** The zip with the latest date in its name (undated ones first); a warning when there was a choice. */
export function latestZip(links: readonly ZipLink[], what: string, pageUrl: string, warn: Warn): { link: ZipLink; updated: string | null } {
  const ranked = links.map((link) => ({ link, updated: dateInZipName(link.name) })).sort((a, b) => (a.updated ?? '').localeCompare(b.updated ?? ''));
  const chosen = ranked[ranked.length - 1]!;
  if (ranked.length > 1) warn(`${redactUrl(pageUrl)}: ${ranked.length} zips for ${what}; using ${chosen.link.name}`);
  return chosen;
}
