/**
 * The PFS Relative Value Files pages: the landing page lists detail pages (`…/rvu25a`,
 * `…/rvu25d-0`, `…/rvu26ar`), and each detail page names its release (the "File Name" field) and
 * links its zip in a Downloads block. Parsed with cheerio; the page layout knowledge lives here,
 * the naming rules in release-name.ts.
 */
import { load, type CheerioAPI } from 'cheerio';
import { redactUrl } from '../../src/errors.js';
import type { CmsSite, DiscoveredRelease } from '../../src/pipeline.js';
import { PageStructureError } from '../../src/sources/page-error.js';
import { CMS_ORIGIN, applyMirror, cmsPath, fetchableUrl, resolveHref, type Warn } from '../../src/sources/urls.js';
import { fullYear } from '../quarters.js';
import { RVU_LIKE, dateFromText, parseRvuCode, rvuCodeFromSlug, zipName } from './release-name.js';

/** The PFS Relative Value Files landing page; detail pages live under it (`…/rvu25a`). */
export const PFS_LANDING_PATH = '/medicare/payment/fee-schedules/physician/pfs-relative-value-files';
/** Landing-page pager pages followed at most. */
const MAX_LANDING_PAGES = 20;

/**
 * Every RVU release the site lists: landing page (and its pager) → the detail pages of the years
 * wanted, a few at a time → each one's zip. A detail page that fails is a page error; the others
 * still count.
 */
export async function discoverPfs(site: CmsSite): Promise<DiscoveredRelease[]> {
  const details = await landingDetails(site);
  const wanted = details.filter((detail) => detail.year >= site.since);
  const refs = await site.eachPage(wanted, async (detail) => {
    const page = await site.page(detail.url);
    // page.url: where any redirect ended, which is what relative links resolve against
    return parsePfsDetail(page.text, page.url, site);
  });
  return oneRefPerCode(refs, site.warn);
}

/** Every detail page the landing page (and its pager, if any) links. */
async function landingDetails(site: CmsSite): Promise<PfsDetailLink[]> {
  const details = new Map<string, PfsDetailLink>();
  const seen = new Set<string>();
  let url: string | null = applyMirror(`${CMS_ORIGIN}${PFS_LANDING_PATH}`, site.mirror);
  while (url !== null && !seen.has(url)) {
    if (seen.size >= MAX_LANDING_PAGES) {
      site.warn(`${redactUrl(url)}: stopped after ${MAX_LANDING_PAGES} landing pages; older releases may be missing`);
      break;
    }
    seen.add(url);
    const page = await site.page(url);
    const landing = parsePfsLanding(page.text, page.url, site);
    for (const detail of landing.details) details.set(detail.url, detail);
    for (const odd of landing.unrecognised) {
      if (odd.year >= site.since) site.warn(`${redactUrl(odd.url)}: skipped: ${odd.slug} is not a release name we recognise (RVUyyX, RVUyyXR, RVUyyXRn)`);
    }
    url = landing.nextPage;
  }
  return [...details.values()];
}

/** Two detail pages claiming one code (`rvu25d` and `rvu25d-0`): keep the latest Updated date. */
function oneRefPerCode(refs: readonly DiscoveredRelease[], warn: Warn): DiscoveredRelease[] {
  const byCode = new Map<string, DiscoveredRelease>();
  for (const ref of refs) {
    const other = byCode.get(ref.code);
    if (other === undefined) {
      byCode.set(ref.code, ref);
      continue;
    }
    const keep = (ref.updated ?? '') > (other.updated ?? '') ? ref : other;
    const drop = keep === ref ? other : ref;
    warn(`${ref.code} is on two pages; using ${redactUrl(keep.pageUrl)}, not ${redactUrl(drop.pageUrl)}`);
    byCode.set(ref.code, keep);
  }
  return [...byCode.values()];
}

export interface PageParseOptions {
  mirror?: string | undefined;
  warn: Warn;
}

/** A detail page found on the landing page. */
export interface PfsDetailLink {
  /** the detail page to fetch (mirror applied) */
  url: string;
  /** the last path segment, e.g. `rvu25d-0` */
  slug: string;
  /** the release code the slug names, e.g. `RVU25D` */
  code: string;
  year: number;
}

export interface PfsLanding {
  details: PfsDetailLink[];
  /** RVU-looking detail pages whose names we do not know (`rvu12m`, `rvu07a2`): reported, not fetched */
  unrecognised: { url: string; slug: string; year: number }[];
  /** the landing page's next page (a Drupal pager), if any */
  nextPage: string | null;
}

/** The landing page's links to RVU detail pages (any year; the caller filters). */
export function parsePfsLanding(html: string, pageUrl: string, options: PageParseOptions): PfsLanding {
  const $ = load(html);
  const details = new Map<string, PfsDetailLink>();
  const unrecognised = new Map<string, { url: string; slug: string; year: number }>();

  for (const href of hrefs($, 'a[href]')) {
    const target = resolveHref(href, pageUrl, options.mirror);
    if (target === null) continue;
    const path = target.url.pathname.replace(/\/+$/, '');
    if (!path.toLowerCase().startsWith(`${PFS_LANDING_PATH}/`)) continue;
    const slug = path.slice(PFS_LANDING_PATH.length + 1);
    if (slug.includes('/')) continue;
    const rvuLike = RVU_LIKE.exec(slug);
    if (rvuLike === null) continue; // pfrev26c and other non-RVU pages
    const url = fetchableUrl(target, pageUrl, options);
    if (url === null) continue;
    const code = rvuCodeFromSlug(slug);
    const release = code === null ? null : parseRvuCode(code);
    if (release === null) {
      unrecognised.set(url, { url, slug, year: fullYear(rvuLike[1]!) });
      continue;
    }
    details.set(url, { url, slug: slug.toLowerCase(), code: release.code, year: release.year });
  }

  if (details.size === 0 && unrecognised.size === 0) {
    throw new PageStructureError(
      pageUrl,
      'no links to RVU detail pages',
      `links such as ${PFS_LANDING_PATH}/rvu25a on the PFS Relative Value Files page`,
    );
  }

  return { details: [...details.values()], unrecognised: [...unrecognised.values()], nextPage: nextPage($, pageUrl, options) };
}

/** A detail page → its release: code from the File Name field (cross-checked with the page address), zip link and Updated date. */
export function parsePfsDetail(html: string, pageUrl: string, options: PageParseOptions): DiscoveredRelease {
  const $ = load(html);
  const fileName = fieldValue($, 'File Name');
  if (fileName === null || fileName === '') {
    throw new PageStructureError(pageUrl, 'no "File Name" field', 'a field labelled "File Name" holding the release code, e.g. RVU25A');
  }
  const release = parseRvuCode(fileName);
  if (release === null) {
    throw new PageStructureError(pageUrl, `File Name ${JSON.stringify(fileName)} is not an RVU release code`, 'RVUyyX, e.g. RVU25A, RVU26AR or RVU24AR1');
  }
  const slug = cmsPath(pageUrl, options.mirror).replace(/\/+$/, '').split('/').pop() ?? '';
  const slugCode = rvuCodeFromSlug(slug);
  if (slugCode !== null && slugCode !== release.code) {
    throw new PageStructureError(pageUrl, `File Name ${release.code} does not match the page address (${slug})`, `File Name ${slugCode}`);
  }

  const downloads = downloadsBlock($);
  if (downloads === null) {
    throw new PageStructureError(pageUrl, 'no Downloads block', `a "Downloads" field linking /files/zip/${release.code.toLowerCase()}….zip`);
  }

  const candidates: { url: string; updated: string | null }[] = [];
  downloads.find('a[href]').each((_, element) => {
    const link = $(element);
    const target = resolveHref(link.attr('href') ?? '', pageUrl, options.mirror);
    if (target === null) return;
    const zip = zipName(target.url.pathname);
    if (zip === null || zip.code !== release.code) return; // PDFs, other releases' files
    const url = fetchableUrl(target, pageUrl, options);
    if (url === null) return;
    const fromText = dateFromText(link.text());
    if (zip.updated !== null && fromText !== null && zip.updated !== fromText) {
      options.warn(`${redactUrl(pageUrl)}: ${release.code} link text says updated ${fromText} but its URL says ${zip.updated}; using the URL`);
    }
    candidates.push({ url, updated: zip.updated ?? fromText });
  });

  if (candidates.length === 0) {
    throw new PageStructureError(
      pageUrl,
      `no zip link for ${release.code} in the Downloads block`,
      `a link to /files/zip/${release.code.toLowerCase()}-updated-mm/dd/yyyy.zip (or …-mm-dd-yyyy.zip, ….zip) on www.cms.gov`,
    );
  }
  // a re-cut replaces the link; should a page ever list both, the latest Updated date wins
  candidates.sort((a, b) => (a.updated ?? '').localeCompare(b.updated ?? ''));
  const chosen = candidates[candidates.length - 1]!;
  if (candidates.length > 1) {
    options.warn(`${redactUrl(pageUrl)}: ${candidates.length} zip links for ${release.code}; using the latest, ${redactUrl(chosen.url)}`);
  }
  return { code: release.code, year: release.year, quarter: release.quarter, updated: chosen.updated, pageUrl, url: chosen.url };
}

/**
 * The value of a Drupal field by its visible label: `<div class="field"><div class="field__label">
 * File Name</div><div class="field__item">RVU25A</div></div>`.
 */
function fieldValue($: CheerioAPI, label: string): string | null {
  for (const element of $('.field__label').toArray()) {
    const labelNode = $(element);
    if (normalize(labelNode.text()).toLowerCase() !== label.toLowerCase()) continue;
    const item = labelNode.closest('.field').find('.field__item').first();
    if (item.length > 0) return normalize(item.text());
  }
  return null;
}

/** The Downloads field: by its Drupal field name, else by its label. */
function downloadsBlock($: CheerioAPI) {
  const byName = $('.field--name-field-downloads').first();
  if (byName.length > 0) return byName;
  for (const element of $('.field__label').toArray()) {
    const labelNode = $(element);
    if (normalize(labelNode.text()).toLowerCase() === 'downloads') {
      const field = labelNode.closest('.field');
      return field.length > 0 ? field : labelNode.parent();
    }
  }
  return null;
}

/** A Drupal pager's "next" link, if it stays on the landing page. */
function nextPage($: CheerioAPI, pageUrl: string, options: PageParseOptions): string | null {
  const href = $('a[rel="next"], .pager__item--next a[href]').first().attr('href');
  if (href === undefined) return null;
  const target = resolveHref(href, pageUrl, options.mirror);
  if (target === null || target.url.pathname.replace(/\/+$/, '') !== PFS_LANDING_PATH) return null;
  return fetchableUrl(target, pageUrl, options);
}

function hrefs($: CheerioAPI, selector: string): string[] {
  return $(selector)
    .toArray()
    .map((element) => $(element).attr('href') ?? '');
}

function normalize(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
