/**
 * Where CMS lists the CLFS: the "Clinical Laboratory Fee Schedule Files" page links one page per
 * quarter (`…/clinical-laboratory-fee-schedule-clfs/files/25clabq1`), and each links its zip
 * through CMS's CPT-licence page (`/license/ama?file=/files/zip/25clabq1.zip`).
 *
 * Written from CMS's published URL patterns; no saved copy of these pages has been checked (see
 * the README). A page that does not match fails closed, naming what was missing.
 */
import { redactUrl } from '../../src/errors.js';
import type { CmsSite, DiscoveredRelease } from '../../src/pipeline.js';
import type { FoundRelease, PageOptions } from '../cms-links.js';
import { PageStructureError } from '../../src/sources/page-error.js';
import { CMS_ORIGIN, applyMirror, fetchableUrl } from '../../src/sources/urls.js';
import { childPages, zipLinks } from '../cms-links.js';
import { fullYear, type Quarter } from '../quarters.js';

export const CLFS_FILES_PATH = '/medicare/payment/fee-schedules/clinical-laboratory-fee-schedule-clfs/files';
const SLUG = /^(\d{2})clabq([1-4])(?:v\d+)?(?:-\d+)?$/i;

/** `25`, `1` → 25CLABQ1 of 2025, quarter 1. */
function release(yy: string, quarter: string): { code: string; year: number; quarter: Quarter } {
  return { code: `${yy}CLABQ${quarter}`, year: fullYear(yy), quarter: Number(quarter) as Quarter };
}

/** The quarter pages (any year): slugs `25clabq1`. */
export function parseClfsFilesPage(html: string, pageUrl: string, site: PageOptions): { url: string; code: string; year: number }[] {
  const quarters = new Map<string, { url: string; code: string; year: number }>();
  for (const { target, slug } of childPages(html, pageUrl, CLFS_FILES_PATH, site.mirror)) {
    const match = SLUG.exec(slug);
    if (match === null) {
      if (/clab/i.test(slug)) site.warn(`${redactUrl(pageUrl)}: skipped ${slug}: not a CLFS quarter name we recognise (yyCLABQn)`);
      continue;
    }
    const found = release(match[1]!, match[2]!);
    const url = fetchableUrl(target, pageUrl, site);
    if (url === null || quarters.has(found.code)) continue;
    quarters.set(found.code, { url, code: found.code, year: found.year });
  }
  if (quarters.size === 0) {
    throw new PageStructureError(pageUrl, 'no links to CLFS quarter pages', `links such as ${CLFS_FILES_PATH}/25clabq1`);
  }
  return [...quarters.values()];
}

/** A quarter page → its zip (`25clabq1.zip`, or a re-post `25clabq1v2.zip`: the latest one). */
export function parseClfsQuarterPage(html: string, pageUrl: string, code: string, site: PageOptions): FoundRelease {
  const wanted = release(code.slice(0, 2), code.slice(-1));
  const links = zipLinks(html, pageUrl, site).filter((link) => {
    const match = /^(\d{2}clabq[1-4])(v(\d+))?\.zip$/i.exec(link.name);
    return match !== null && match[1]!.toUpperCase() === code;
  });
  if (links.length === 0) {
    throw new PageStructureError(pageUrl, `no link to the ${code} zip`, `a link to /license/ama?file=/files/zip/${code.toLowerCase()}.zip (CMS's CPT-licence page) or to the zip itself`);
  }
  // A V2 re-post outranks the first posting.
  const version = (name: string) => Number(/v(\d+)\.zip$/i.exec(name)?.[1] ?? 1);
  const sorted = [...links].sort((a, b) => version(a.name) - version(b.name));
  const chosen = sorted[sorted.length - 1]!;
  if (sorted.length > 1) site.warn(`${redactUrl(pageUrl)}: ${sorted.length} zips for ${code}; using ${chosen.name}`);
  const url = fetchableUrl(chosen.target, pageUrl, site);
  if (url === null) throw new PageStructureError(pageUrl, `the ${code} zip is not on www.cms.gov`, 'a zip under /files/zip/ on www.cms.gov');
  return { code, year: wanted.year, quarter: wanted.quarter, updated: null, pageUrl, url };
}

/** Every CLFS release the site lists: files page → the quarter pages of the years wanted, a few at a time → each one's zip. */
export async function discoverClfs(site: CmsSite): Promise<DiscoveredRelease[]> {
  const page = await site.page(applyMirror(`${CMS_ORIGIN}${CLFS_FILES_PATH}`, site.mirror));
  const wanted = parseClfsFilesPage(page.text, page.url, site).filter((quarter) => quarter.year >= site.since);
  return site.eachPage(wanted, async (quarter) => {
    const detail = await site.page(quarter.url);
    return parseClfsQuarterPage(detail.text, detail.url, quarter.code, site);
  });
}
