/**
 * Where CMS lists Addendum B: the Hospital Outpatient PPS "Quarterly Addenda Updates" page links
 * one page per quarter (`…/quarterly-addenda-updates/january-2025-addendum-b`), and each quarter
 * page links the Addendum B zip through CMS's CPT-licence page
 * (`/license/ama?file=/files/zip/january-2025-addendum-b.zip`).
 *
 * Written from CMS's published URL patterns; no saved copy of these pages has been checked (see
 * the README). A page that does not match fails closed, naming what was missing.
 */
import { redactUrl } from '../../src/errors.js';
import type { CmsSite, DiscoveredRelease } from '../../src/pipeline.js';
import type { FoundRelease, PageOptions } from '../cms-links.js';
import { PageStructureError } from '../../src/sources/page-error.js';
import { CMS_ORIGIN, applyMirror, fetchableUrl } from '../../src/sources/urls.js';
import { childPages, latestZip, zipLinks } from '../cms-links.js';
import { monthOfQuarter } from '../quarters.js';
import { monthYearIn } from '../release-names.js';

export const OPPS_ADDENDA_PATH = '/medicare/payment/prospective-payment-systems/hospital-outpatient-pps/quarterly-addenda-updates';

export interface OppsQuarterLink {
  readonly url: string;
  readonly year: number;
  readonly quarter: 1 | 2 | 3 | 4;
}

/** The quarter pages the addenda page links (any year): slugs naming a month and year and Addendum B. */
export function parseOppsAddendaPage(html: string, pageUrl: string, site: PageOptions): OppsQuarterLink[] {
  const quarters = new Map<string, OppsQuarterLink>();
  for (const { target, slug } of childPages(html, pageUrl, OPPS_ADDENDA_PATH, site.mirror)) {
    if (!/addendum-?b/i.test(slug)) continue; // Addendum A pages and others
    const when = monthYearIn(slug);
    if (when === undefined) {
      site.warn(`${redactUrl(pageUrl)}: skipped ${slug}: no quarter month and year in its name`);
      continue;
    }
    const url = fetchableUrl(target, pageUrl, site);
    if (url === null) continue;
    const key = `${when.year}-${when.quarter}`;
    if (quarters.has(key)) {
      site.warn(`${redactUrl(pageUrl)}: two pages for Addendum B ${monthOfQuarter(when.quarter)} ${when.year}; using ${redactUrl(quarters.get(key)!.url)}`);
      continue;
    }
    quarters.set(key, { url, ...when });
  }
  if (quarters.size === 0) {
    throw new PageStructureError(pageUrl, 'no links to quarterly Addendum B pages', `links such as ${OPPS_ADDENDA_PATH}/january-2025-addendum-b`);
  }
  return [...quarters.values()];
}

/** A quarter page → its Addendum B zip (the latest posting when it links several). */
export function parseOppsQuarterPage(html: string, pageUrl: string, quarter: OppsQuarterLink, site: PageOptions): FoundRelease {
  const code = `OPPS${quarter.year}_${monthOfQuarter(quarter.quarter)}`;
  const candidates = zipLinks(html, pageUrl, site).filter((link) => {
    if (!/addendum-?b/i.test(link.name)) return false;
    const when = monthYearIn(link.name);
    return when === undefined || (when.year === quarter.year && when.quarter === quarter.quarter);
  });
  if (candidates.length === 0) {
    throw new PageStructureError(
      pageUrl,
      `no link to the ${code} Addendum B zip`,
      `a link to /license/ama?file=/files/zip/…${quarter.year}…addendum-b….zip (CMS's CPT-licence page) or to the zip itself`,
    );
  }
  const chosen = latestZip(candidates, code, pageUrl, site.warn);
  const url = fetchableUrl(chosen.link.target, pageUrl, site);
  if (url === null) throw new PageStructureError(pageUrl, `the ${code} zip is not on www.cms.gov`, 'a zip under /files/zip/ on www.cms.gov');
  return { code, year: quarter.year, quarter: quarter.quarter, updated: chosen.updated, pageUrl, url };
}

/** Every Addendum B release the site lists: addenda page → the quarter pages of the years wanted, a few at a time → each one's zip. */
export async function discoverOpps(site: CmsSite): Promise<DiscoveredRelease[]> {
  const page = await site.page(applyMirror(`${CMS_ORIGIN}${OPPS_ADDENDA_PATH}`, site.mirror));
  const wanted = parseOppsAddendaPage(page.text, page.url, site).filter((quarter) => quarter.year >= site.since);
  return site.eachPage(wanted, async (quarter) => {
    const detail = await site.page(quarter.url);
    // detail.url: where any redirect ended, which relative links resolve against
    return parseOppsQuarterPage(detail.text, detail.url, quarter, site);
  });
}
