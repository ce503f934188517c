/**
 * The HCPCS Level II quarterly update page: it links one zip per quarter,
 * `/files/zip/january-2026-alpha-numeric-hcpcs-file.zip` (plural `-files` in some quarters), and
 * older annual ones such as `2020-alpha-numeric-hcpcs-file.zip`. Parsed with cheerio.
 */
import { load } from 'cheerio';
import { redactUrl } from '../errors.js';
import { PageStructureError } from './page-error.js';
import type { ReleaseRef } from './release-ref.js';
import { fetchableUrl, resolveHref, type Warn } from './urls.js';

const QUARTERLY = /^(january|april|july|october)-(\d{4})-alpha-numeric-hcpcs-files?\.zip$/i;
const ANNUAL = /^(\d{4})-alpha-numeric-hcpcs-files?\.zip$/i;
const MONTHS = { january: ['JAN', 1], april: ['APR', 2], july: ['JUL', 3], october: ['OCT', 4] } as const;

/** The release a zip name stands for: `HCPC2026_JAN`, quarter 1; an annual file counts as January. */
export function hcpcsZipRelease(name: string): { code: string; year: number; quarter: 1 | 2 | 3 | 4 } | null {
  const quarterly = QUARTERLY.exec(name);
  if (quarterly !== null) {
    const [month, quarter] = MONTHS[quarterly[1]!.toLowerCase() as keyof typeof MONTHS];
    const year = Number(quarterly[2]);
    return { code: `HCPC${year}_${month}`, year, quarter };
  }
  const annual = ANNUAL.exec(name);
  if (annual !== null) {
    const year = Number(annual[1]);
    return { code: `HCPC${year}_JAN`, year, quarter: 1 };
  }
  return null;
}

/** Every Alpha-Numeric HCPCS zip the page links (any year; the caller filters), in page order. */
export function parseHcpcsPage(html: string, pageUrl: string, options: { mirror?: string | undefined; warn: Warn }): ReleaseRef[] {
  const $ = load(html);
  const byCode = new Map<string, ReleaseRef>();
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
    byCode.set(release.code, { family: 'hcpcs', ...release, updated: null, pageUrl, url });
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
