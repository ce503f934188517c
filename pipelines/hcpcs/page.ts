/**
 * The HCPCS Level II quarterly update page: it links one zip per quarter,
 * `/files/zip/january-2026-alpha-numeric-hcpcs-file.zip` (plural `-files` in some quarters), and
 * older annual ones such as `2020-alpha-numeric-hcpcs-file.zip`. Parsed with cheerio.
 */
import { load } from 'cheerio';
import { redactUrl } from '../../src/errors.js';
import type { CmsSite, DiscoveredRelease } from '../../src/pipeline.js';
import { PageStructureError } from '../../src/sources/page-error.js';
import { CMS_ORIGIN, applyMirror, fetchableUrl, resolveHref, type Warn } from '../../src/sources/urls.js';
import { hcpcsZipRelease } from './identity.js';

/** The HCPCS Level II quarterly update page. */
export const HCPCS_PAGE_PATH = '/medicare/coding-billing/healthcare-common-procedure-system/quarterly-update';

/** Every HCPCS release the quarterly update page links. */
export async function discoverHcpcs(site: CmsSite): Promise<DiscoveredRelease[]> {
  const page = await site.page(applyMirror(`${CMS_ORIGIN}${HCPCS_PAGE_PATH}`, site.mirror));
  return parseHcpcsPage(page.text, page.url, site);
}

/** Every Alpha-Numeric HCPCS zip the page links (any year; the caller filters), in page order. */
export function parseHcpcsPage(html: string, pageUrl: string, options: { mirror?: string | undefined; warn: Warn }): DiscoveredRelease[] {
  const $ = load(html);
  const byCode = new Map<string, DiscoveredRelease>();
  for (const element of $('a[href]').toArray()) {
    const target = resolveHref($(element).attr('href') ?? '', pageUrl, options.mirror);
    if (target === null) continue;
    const path = target.url.pathname;
    if (!/\.zip$/i.test(path)) continue;
    const name = path.slice(path.lastIndexOf('/') + 1);
    const release = hcpcsZipRelease(name);
    if (release === null) {
      // a new naming scheme should be noticed, not silently skipped
      if (/alpha-?numeric/i.test(name)) options.warn(`${redactUrl(pageUrl)}: skipped ${name}: not a name we recognise as a quarterly or annual HCPCS file`);
      continue;
    }
    const url = fetchableUrl(target, pageUrl, options);
    if (url === null) continue;
    const earlier = byCode.get(release.code);
    if (earlier !== undefined) {
      if (earlier.url !== url) options.warn(`${redactUrl(pageUrl)}: ${release.code} is linked twice; using ${redactUrl(earlier.url)}, not ${redactUrl(url)}`);
      continue;
    }
    byCode.set(release.code, { code: release.code, year: release.year, quarter: release.quarter, updated: null, pageUrl, url });
  }
  if (byCode.size === 0) {
    throw new PageStructureError(
      pageUrl,
      'no links to Alpha-Numeric HCPCS zip files',
      'links such as /files/zip/january-2026-alpha-numeric-hcpcs-file.zip on www.cms.gov',
    );
  }
  return [...byCode.values()];
}
