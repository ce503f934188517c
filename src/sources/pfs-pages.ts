/**
 * The PFS Relative Value Files pages: the landing page lists detail pages (`…/rvu25a`,
 * `…/rvu25d-0`, `…/rvu26ar`), and each detail page names its release (the "File Name" field) and
 * links its zip in a Downloads block. Parsed with cheerio; the page layout knowledge lives here.
 */
import { load, type CheerioAPI } from 'cheerio';
import { redactUrl } from '../errors.js';
import { PageStructureError } from './page-error.js';
import type { ReleaseRef } from './release-ref.js';
import { PFS_LANDING_PATH, cmsPath, fetchableUrl, resolveHref, type Warn } from './urls.js';

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

/** An RVU release code: year, letter A–D, optional correction suffix (R, R1, R2…). */
const CODE = /^RVU(\d{2})([A-D])(R\d*)?$/;
/** A = January, B = April, C = July, D = October; corrections (AR, AR1) belong to their letter's quarter. */
const QUARTER_OF_LETTER = { A: 1, B: 2, C: 3, D: 4 } as const;
/** A detail page slug: the code in lower case, optionally with Drupal's `-0` de-duplication suffix. */
const SLUG = /^(rvu\d{2}[a-d](?:r\d*)?)(?:-\d+)?$/i;
/** Anything that starts like an RVU page, to report names we do not recognise. */
const RVU_LIKE = /^rvu(\d{2})/i;
/**
 * A zip name below /files/zip/: `rvu25a.zip`, `rvu25a-updated-01/10/2025.zip` (literal slashes,
 * 2025), `rvu26a-updated-12-29-2025.zip` (2026), `rvu20a-updated-01312020.zip` (earlier).
 */
const ZIP = /^(rvu\d{2}[a-d](?:r\d*)?)(?:-updated-(?:(\d{2})[/-](\d{2})[/-](\d{4})|(\d{2})(\d{2})(\d{4})))?\.zip$/i;
/** The date in the link text: `RVU25A - Updated 01/10/2025`. */
const TEXT_DATE = /updated\s+(\d{1,2})[/-](\d{1,2})[/-](\d{4})/i;

/** `RVU25A` → year 2025, quarter 1; null for anything that is not an RVU release code. */
export function parseRvuCode(code: string): { code: string; year: number; quarter: 1 | 2 | 3 | 4 } | null {
  const match = CODE.exec(code.trim().toUpperCase());
  if (match === null) return null;
  const quarter = QUARTER_OF_LETTER[match[2] as keyof typeof QUARTER_OF_LETTER];
  return { code: match[0], year: 2000 + Number(match[1]), quarter };
}

/** `rvu25d-0` → `RVU25D`; null for other slugs (`pfrev26c`, `rvu12m`). */
export function rvuCodeFromSlug(slug: string): string | null {
  const match = SLUG.exec(slug);
  return match?.[1] !== undefined ? match[1].toUpperCase() : null;
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
      unrecognised.set(url, { url, slug, year: 2000 + Number(rvuLike[1]) });
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
export function parsePfsDetail(html: string, pageUrl: string, options: PageParseOptions): ReleaseRef {
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
  return { family: 'pfs', code: release.code, year: release.year, quarter: release.quarter, updated: chosen.updated, pageUrl, url: chosen.url };
}

/** The release code and Updated date in a zip path, or null if it is not an RVU zip. */
export function zipName(path: string): { code: string; updated: string | null } | null {
  const prefix = '/files/zip/';
  if (!path.toLowerCase().startsWith(prefix)) return null;
  let name: string;
  try {
    name = decodeURIComponent(path.slice(prefix.length));
  } catch {
    return null;
  }
  const match = ZIP.exec(name);
  if (match === null) return null;
  const [, code = '', m1, d1, y1, m2, d2, y2] = match;
  const updated = y1 !== undefined ? isoDate(y1, m1!, d1!) : y2 !== undefined ? isoDate(y2, m2!, d2!) : null;
  return { code: code.toUpperCase(), updated };
}

function dateFromText(text: string): string | null {
  const match = TEXT_DATE.exec(text);
  return match === null ? null : isoDate(match[3]!, match[1]!, match[2]!);
}

/** yyyy-mm-dd from US month/day order, or null for an impossible date. */
function isoDate(year: string, month: string, day: string): string | null {
  const m = Number(month);
  const d = Number(day);
  const date = new Date(Date.UTC(Number(year), m - 1, d));
  if (date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
  return `${year}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
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
