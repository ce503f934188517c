/**
 * Discovery: CMS pages → the release archives they link. PFS takes two hops (landing page →
 * detail pages → zip), HCPCS one (quarterly update page → zips).
 */
import pLimit from 'p-limit';
import { redactUrl } from '../errors.js';
import type { HttpClient } from './http.js';
import type { PfsDetailLink } from './pfs-pages.js';
import { compareReleaseRefs, type Family, type ReleaseRef } from './release-ref.js';
import { CMS_ORIGIN, HCPCS_PAGE_PATH, PFS_LANDING_PATH, applyMirror, type Warn } from './urls.js';

export interface DiscoverOptions {
  families: readonly Family[];
  /** only releases of this year or later */
  since: number;
  /** fetch from this copy of the CMS site instead of https://www.cms.gov */
  mirror?: string | undefined;
  /** should be created with the same mirror */
  http: HttpClient;
  warn: Warn;
  /** detail pages fetched at once. Default 2. */
  concurrency?: number;
  /**
   * Without it, the first page that fails (unreachable, or changed structure) fails discovery.
   * With it, each failure is reported here and discovery returns what the other pages gave.
   */
  onPageError?: (error: Error) => void;
  /** Landing-page pager pages followed at most. Default 20. */
  maxLandingPages?: number;
}

// The page parsers bring cheerio (an HTML parser of a few hundred modules): loaded when discovery runs.
const pfsPages = () => import('./pfs-pages.js');
const hcpcsPage = () => import('./hcpcs-page.js');

export async function discoverReleases(options: DiscoverOptions): Promise<ReleaseRef[]> {
  const found: ReleaseRef[] = [];
  for (const family of new Set(options.families)) {
    const refs = await attempt(options, () => (family === 'pfs' ? discoverPfs(options) : discoverHcpcs(options)));
    found.push(...(refs ?? []));
  }
  return found.filter((ref) => ref.year >= options.since).sort(compareReleaseRefs);
}

async function discoverPfs(options: DiscoverOptions): Promise<ReleaseRef[]> {
  const details = await landingDetails(options);
  const wanted = details.filter((detail) => detail.year >= options.since);
  const limit = pLimit(options.concurrency ?? 2);
  const { parsePfsDetail } = await pfsPages();
  // allSettled: when discovery fails, no request is left running behind it
  const settled = await Promise.allSettled(
    wanted.map((detail) =>
      limit(async () => {
        const page = await options.http.getText(detail.url);
        // page.url: where any redirect ended, which is what relative links resolve against
        return parsePfsDetail(page.text, page.url, options);
      }),
    ),
  );
  const refs: ReleaseRef[] = [];
  for (const outcome of settled) {
    if (outcome.status === 'fulfilled') refs.push(outcome.value);
    else report(options, outcome.reason);
  }
  return oneRefPerCode(refs, options.warn);
}

/** Every detail page the landing page (and its pager, if any) links. */
async function landingDetails(options: DiscoverOptions): Promise<PfsDetailLink[]> {
  const details = new Map<string, PfsDetailLink>();
  const seen = new Set<string>();
  const maxPages = options.maxLandingPages ?? 20;
  const { parsePfsLanding } = await pfsPages();
  let url: string | null = applyMirror(`${CMS_ORIGIN}${PFS_LANDING_PATH}`, options.mirror);
  while (url !== null && !seen.has(url)) {
    if (seen.size >= maxPages) {
      options.warn(`${redactUrl(url)}: stopped after ${maxPages} landing pages; older releases may be missing`);
      break;
    }
    seen.add(url);
    const page = await options.http.getText(url);
    const landing = parsePfsLanding(page.text, page.url, options);
    for (const detail of landing.details) details.set(detail.url, detail);
    for (const odd of landing.unrecognised) {
      if (odd.year >= options.since) options.warn(`${redactUrl(odd.url)}: skipped: ${odd.slug} is not a release name we recognise (RVUyyX, RVUyyXR, RVUyyXRn)`);
    }
    url = landing.nextPage;
  }
  return [...details.values()];
}

async function discoverHcpcs(options: DiscoverOptions): Promise<ReleaseRef[]> {
  const url = applyMirror(`${CMS_ORIGIN}${HCPCS_PAGE_PATH}`, options.mirror);
  const page = await options.http.getText(url);
  const { parseHcpcsPage } = await hcpcsPage();
  return parseHcpcsPage(page.text, page.url, options);
}

/** Two detail pages claiming one code (`rvu25d` and `rvu25d-0`): keep the latest Updated date. */
function oneRefPerCode(refs: ReleaseRef[], warn: Warn): ReleaseRef[] {
  const byCode = new Map<string, ReleaseRef>();
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

/** Run one page's work; report its failure through onPageError when given, else throw. */
async function attempt<T>(options: DiscoverOptions, work: () => Promise<T>): Promise<T | undefined> {
  try {
    return await work();
  } catch (error) {
    report(options, error);
    return undefined;
  }
}

function report(options: DiscoverOptions, error: unknown): void {
  if (options.onPageError === undefined || !(error instanceof Error)) throw error;
  options.onPageError(error);
}
