/**
 * Where CMS lists the ASP pricing files: one page (`/medicare/payment/part-b-drugs/asp-pricing-files`)
 * linking a zip per quarter (`/files/zip/january-2025-asp-pricing-file.zip`; from 2026 "Medicare
 * Part B payment limit files"), beside other files of the same page (NOC and OPPS pricing files,
 * NDC-HCPCS crosswalks) that are not this family's.
 *
 * Written from CMS's published URL patterns; no saved copy of the page has been checked (see the
 * README). A page that does not match fails closed, naming what was missing.
 */
import { redactUrl } from '../../src/errors.js';
import type { CmsSite, DiscoveredRelease } from '../../src/pipeline.js';
import type { FoundRelease, PageOptions } from '../cms-links.js';
import { PageStructureError } from '../../src/sources/page-error.js';
import { CMS_ORIGIN, applyMirror, fetchableUrl } from '../../src/sources/urls.js';
import { latestZip, zipLinks, type ZipLink } from '../cms-links.js';
import { monthOfQuarter } from '../quarters.js';
import { monthYearIn } from '../release-names.js';

export const ASP_PAGE_PATH = '/medicare/payment/part-b-drugs/asp-pricing-files';

/** `january-2025-asp-pricing-file…zip`, `april-2026-medicare-part-b-payment-limit-file…zip`; not NOC, OPPS or crosswalk files. */
const ASP_ZIP = /(?:^|[-_])(?:asp-pricing-files?|(?:medicare-)?part-b-payment-limits?-files?)(?:[-_.]|$)/i;

export function parseAspPage(html: string, pageUrl: string, site: PageOptions): FoundRelease[] {
  const byQuarter = new Map<string, { year: number; quarter: 1 | 2 | 3 | 4; links: ZipLink[] }>();
  for (const link of zipLinks(html, pageUrl, site)) {
    if (!ASP_ZIP.test(link.name) || /(?:^|-)(noc|opps|crosswalk)(?:-|\.)/i.test(link.name)) continue;
    const when = monthYearIn(link.name);
    if (when === undefined) {
      site.warn(`${redactUrl(pageUrl)}: skipped ${link.name}: no quarter month and year in its name`);
      continue;
    }
    const key = `${when.year}-${when.quarter}`;
    const entry = byQuarter.get(key) ?? { ...when, links: [] };
    entry.links.push(link);
    byQuarter.set(key, entry);
  }
  if (byQuarter.size === 0) {
    throw new PageStructureError(pageUrl, 'no links to ASP pricing file zips', 'links such as /files/zip/january-2025-asp-pricing-file.zip on www.cms.gov');
  }
  const releases: FoundRelease[] = [];
  for (const { year, quarter, links } of byQuarter.values()) {
    const code = `ASP${year}_${monthOfQuarter(quarter)}`;
    const chosen = latestZip(links, code, pageUrl, site.warn);
    const url = fetchableUrl(chosen.link.target, pageUrl, site);
    if (url === null) continue;
    releases.push({ code, year, quarter, updated: chosen.updated, pageUrl, url });
  }
  return releases;
}

/** Every ASP release the pricing files page links (one page; the caller drops years before `since`). */
export async function discoverAsp(site: CmsSite): Promise<DiscoveredRelease[]> {
  const page = await site.page(applyMirror(`${CMS_ORIGIN}${ASP_PAGE_PATH}`, site.mirror));
  return parseAspPage(page.text, page.url, site);
}
