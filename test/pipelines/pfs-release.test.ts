/**
 * Which PFS release a source is, and where the site lists them (pipelines/pfs/family.ts,
 * release-name.ts, pages.ts): names as CMS writes them, detail pages cut to the Drupal fields the
 * rules read (the structure of fixtures/pages/rvu25a.html), and discovery over an in-memory site.
 */
import { describe, expect, it } from 'vitest';
import { pfsFamily } from '../../pipelines/pfs/family.js';
import { discoverPfs, parsePfsDetail, parsePfsLanding, PFS_LANDING_PATH } from '../../pipelines/pfs/pages.js';
import { dateFromText, parseRvuCode, rvuCodeFromSlug, rvuReleaseInName, rvuReleaseOfQuarter, zipName } from '../../pipelines/pfs/release-name.js';
import type { CmsSite } from '../../src/pipeline.js';
import { PageStructureError } from '../../src/sources/page-error.js';
import { inputError } from './pfs-support.js';

const CMS = 'https://www.cms.gov';
const LANDING = `${CMS}${PFS_LANDING_PATH}`;

describe('PFS release identity (family.ts)', () => {
  const identify = (name: string, members: string[] = []) => pfsFamily.identify({ name, members });

  it('from the name, from the PPRRVU member, or both when they agree', () => {
    expect(identify('rvu25d.zip', ['PPRRVU2025_Oct.csv'])).toEqual({ code: 'RVU25D', year: 2025, quarter: 4, effectiveFrom: '2025-10-01' });
    expect(identify('rvu24ar.zip', ['PPRRVU24_JAN.csv']).code).toBe('RVU24AR');
    expect(identify('download.zip', ['GPCI2025.csv', 'PPRRVU2025_Oct.csv'])).toEqual({ code: 'RVU25D', year: 2025, quarter: 4, effectiveFrom: '2025-10-01' });
    expect(identify('download.zip', ['PPRRVU24_APR.csv']).code).toBe('RVU24B');
    expect(identify('download', ['pprrvu2026_jul_nonqpp.csv']).code).toBe('RVU26C');
    expect(identify('download', ['PPRRVU2026_January_nonQPP.csv']).code).toBe('RVU26A');
    expect(identify('RVU25D', []).code).toBe('RVU25D');
  });

  it('a name and a PPRRVU file of two releases is an error naming both', () => {
    const quarter = inputError(() => identify('rvu25a.zip', ['PPRRVU2025_Oct.csv']));
    expect(quarter.problem).toBe('the name says RVU25A but its PPRRVU file (PPRRVU2025_Oct) belongs to RVU25D');
    expect(quarter.file).toBe('rvu25a.zip');
    expect(quarter.expected).toBe('a name and contents of the same release, or --code to say which it is');
    const year = inputError(() => identify('rvu24d.zip', ['PPRRVU2025_Oct.csv']));
    expect(year.problem).toBe('the name says RVU24D but its PPRRVU file (PPRRVU2025_Oct) belongs to RVU25D');
  });

  it('neither is an error saying what would do', () => {
    for (const members of [[], ['GPCI2025.csv'], ['XPPRRVU2025_Oct.csv'], ['PPRRVU2025_May.csv'], ['PPRRVU202_Oct.csv']]) {
      const error = inputError(() => identify('download.zip', members));
      expect([error.problem, error.file, error.expected]).toEqual([
        'cannot tell which PFS release this is',
        'download.zip',
        'a name like rvu25d.zip or RVU25D/, a PPRRVU file, or --code RVU25D',
      ]);
    }
  });

  it('codes, examples and the datasets in load order', () => {
    expect(pfsFamily.fromCode('rvu25d')).toEqual({ code: 'RVU25D', year: 2025, quarter: 4, effectiveFrom: '2025-10-01' });
    expect(pfsFamily.fromCode('RVU25E')).toBeNull();
    expect(pfsFamily.datasets.map((dataset) => dataset.name)).toEqual(['pprrvu', 'gpci', 'locco', 'anes', 'oppscap']);
    expect(pfsFamily.codeExamples.every((code) => pfsFamily.fromCode(code) !== null)).toBe(true);
  });
});

describe('PFS release names (release-name.ts)', () => {
  it.each([
    ['rvu25d.zip', 'RVU25D'],
    ['RVU25D/', 'RVU25D'],
    ['RVU25D', 'RVU25D'],
    ['rvu24ar1-updated-05-02-2024.zip', 'RVU24AR1'],
    ['rvu24ar.zip', 'RVU24AR'],
    ['rvu25dx.zip', null],
    ['rvu25d1.zip', null],
    ['xrvu25d.zip', null],
    ['rvu25e.zip', null],
    ['rvu2025d.zip', null],
  ])('%s starts with release %s', (name, code) => {
    expect(rvuReleaseInName(name)?.code ?? null).toBe(code);
  });

  it('codes: the letter is the quarter, corrections keep it', () => {
    expect(['RVU25A', 'RVU25B', 'RVU25C', 'RVU25D'].map((code) => parseRvuCode(code)?.quarter)).toEqual([1, 2, 3, 4]);
    expect(parseRvuCode('rvu26ar2')).toEqual({ code: 'RVU26AR2', year: 2026, quarter: 1, effectiveFrom: '2026-01-01' });
    expect(parseRvuCode('RVU26AR ')).toBeNull();
    expect(parseRvuCode('XRVU26A')).toBeNull();
    expect(parseRvuCode('RVU26AX')).toBeNull();
  });

  it('the release of a quarter is its base code', () => {
    expect(rvuReleaseOfQuarter(2007, 1)).toEqual({ code: 'RVU07A', year: 2007, quarter: 1, effectiveFrom: '2007-01-01' });
    expect(rvuReleaseOfQuarter(2026, 3)).toEqual({ code: 'RVU26C', year: 2026, quarter: 3, effectiveFrom: '2026-07-01' });
  });

  it.each([
    ['rvu25d-0', 'RVU25D'],
    ['RVU25D-12', 'RVU25D'],
    ['rvu26ar', 'RVU26AR'],
    ['rvu25d-', null],
    ['rvu25d0', null],
    ['xrvu25d', null],
    ['rvu25d-0-1', null],
  ])('slug %s names %s', (slug, code) => {
    expect(rvuCodeFromSlug(slug)).toBe(code);
  });

  it('zip paths: code and Updated date, any case, or nothing', () => {
    expect(zipName('/FILES/ZIP/RVU25A.ZIP')).toEqual({ code: 'RVU25A', updated: null });
    expect(zipName('/files/zip/rvu25a-updated-01/10-2025.zip')).toEqual({ code: 'RVU25A', updated: '2025-01-10' });
    expect(zipName('/files/zip/rvu24a-updated-02-29-2024.zip')).toEqual({ code: 'RVU24A', updated: '2024-02-29' });
    expect(zipName('/files/zip/rvu25a-updated-02-29-2025.zip')).toEqual({ code: 'RVU25A', updated: null });
    expect(zipName('/files/zip/rvu25a-updated-13-01-2025.zip')).toEqual({ code: 'RVU25A', updated: null });
    expect(zipName('/files/zip/rvu25a-updated-00-10-2025.zip')).toEqual({ code: 'RVU25A', updated: null });
    expect(zipName('/files/zip/rvu25a-updated-01-10-25.zip')).toBeNull();
    expect(zipName('/files/document/rvu25a.zip')).toBeNull();
    expect(zipName('/x/files/zip/rvu25a.zip')).toBeNull();
    expect(zipName('/files/zip/%E0%A4%A.zip')).toBeNull();
    expect(zipName('/files/zip/rvu25a.zip.pdf')).toBeNull();
    expect(zipName('/files/zip/my-rvu25a.zip')).toBeNull();
  });

  it.each([
    ['RVU25A - Updated 01/10/2025', '2025-01-10'],
    ['RVU25A - Updated 1/9/2025', '2025-01-09'],
    ['updated   12-31-2024', '2024-12-31'],
    ['UPDATED 02/30/2025', null],
    ['Updated 2025', null],
    ['Updated 01/10/25', null],
    ['RVU25A', null],
  ])('the link text %j dates the zip %s', (text, date) => {
    expect(dateFromText(text)).toBe(date);
  });
});

/** A detail page cut to what the rules read: the File Name field and the Downloads block. */
function detailPage(fileName: string, links: string, downloads: 'by name' | 'by label' | 'label only' | 'none' = 'by name'): string {
  const fileNameField = `<div class="field field--name-field-dyna-file-name"><div class="field__label">File Name</div><div class="field__item"> ${fileName} </div></div>`;
  const block = {
    'by name': `<div class="field field--name-field-downloads"><h2 class="field__label">Downloads</h2><ul>${links}</ul></div>`,
    'by label': `<div class="field field--name-something-else"><h2 class="field__label"> Downloads </h2><ul>${links}</ul></div>`,
    'label only': `<section><h2 class="field__label">DOWNLOADS</h2><ul>${links}</ul></section>`,
    none: `<div class="field"><h2 class="field__label">Related Links</h2><ul>${links}</ul></div>`,
  }[downloads];
  return `<html><body><div class="field"><div class="field__label">Name</div><div class="field__item">2025</div></div>${fileNameField}${block}</body></html>`;
}
const zipLink = (href: string, text = 'zip') => `<li><a href="${href}">${text}</a></li>`;

function collect() {
  const warnings: string[] = [];
  return { warnings, warn: (message: string) => void warnings.push(message) };
}

function structureError(run: () => unknown): PageStructureError {
  try {
    run();
  } catch (error) {
    if (error instanceof PageStructureError) return error;
    throw error;
  }
  throw new Error('expected a PageStructureError');
}

describe('PFS detail pages (pages.ts)', () => {
  const pageUrl = `${LANDING}/rvu25a`;

  it('finds the Downloads block by its field name, by its label, or by a bare label', () => {
    for (const kind of ['by name', 'by label', 'label only'] as const) {
      const { warn } = collect();
      const ref = parsePfsDetail(detailPage('RVU25A', zipLink('/files/zip/rvu25a.zip')), pageUrl, { warn });
      expect(ref).toEqual({ code: 'RVU25A', year: 2025, quarter: 1, updated: null, pageUrl, url: `${CMS}/files/zip/rvu25a.zip` });
      expect(parsePfsDetail(detailPage('RVU25A', zipLink('/files/zip/rvu25a.zip'), kind), pageUrl, { warn }).url).toBe(`${CMS}/files/zip/rvu25a.zip`);
    }
  });

  it('without a Downloads block is a page error', () => {
    const { warn } = collect();
    const error = structureError(() => parsePfsDetail(detailPage('RVU25A', zipLink('/files/zip/rvu25a.zip'), 'none'), pageUrl, { warn }));
    expect([error.pageUrl, error.problem, error.expected]).toEqual([pageUrl, 'no Downloads block', 'a "Downloads" field linking /files/zip/rvu25a….zip']);
  });

  it('a File Name that is blank, missing or not an RVU code is a page error', () => {
    const { warn } = collect();
    const blank = structureError(() => parsePfsDetail(detailPage('', zipLink('/files/zip/rvu25a.zip')), pageUrl, { warn }));
    expect(blank.problem).toBe('no "File Name" field');
    const itemless = detailPage('RVU25A', zipLink('/files/zip/rvu25a.zip')).replace('<div class="field__item"> RVU25A </div>', '');
    expect(structureError(() => parsePfsDetail(itemless, pageUrl, { warn })).problem).toBe('no "File Name" field');
    const other = structureError(() => parsePfsDetail(detailPage('PFREV26C', zipLink('/files/zip/rvu25a.zip')), pageUrl, { warn }));
    expect([other.problem, other.expected]).toEqual(['File Name "PFREV26C" is not an RVU release code', 'RVUyyX, e.g. RVU25A, RVU26AR or RVU24AR1']);
  });

  it('reads the File Name label in any case and spacing', () => {
    const { warn } = collect();
    const html = detailPage('RVU25A', zipLink('/files/zip/rvu25a.zip')).replace('>File Name<', '>  file\n name <');
    expect(parsePfsDetail(html, pageUrl, { warn }).code).toBe('RVU25A');
  });

  it('checks the File Name against an RVU page address only', () => {
    const { warn } = collect();
    const html = detailPage('RVU25A', zipLink('/files/zip/rvu25a.zip'));
    expect(parsePfsDetail(html, `${LANDING}/physician-fee-schedule-2025`, { warn }).code).toBe('RVU25A');
    expect(parsePfsDetail(html, `${LANDING}/rvu25a-0/`, { warn }).code).toBe('RVU25A');
    const error = structureError(() => parsePfsDetail(html, `${LANDING}/rvu25d-0/`, { warn }));
    expect([error.problem, error.expected]).toEqual(['File Name RVU25A does not match the page address (rvu25d-0)', 'File Name RVU25D']);
  });

  it('of several zip links of the release, the latest Updated date wins, with a warning; other releases, PDFs and other hosts are left out', () => {
    const { warn, warnings } = collect();
    const links = [
      zipLink('/files/zip/rvu25a-updated-01-10-2025.zip', 'RVU25A - Updated 01/10/2025'),
      zipLink('/files/zip/rvu25a.zip', 'RVU25A'),
      zipLink('/files/zip/rvu25a-updated-12-20-2024.zip'),
      zipLink('/files/zip/rvu25b-updated-03-01-2025.zip'),
      zipLink('/files/document/rvu25a-updated-04-01-2025.pdf'),
      zipLink('https://mirror.example.net/files/zip/rvu25a-updated-05-01-2025.zip'),
      zipLink('mailto:someone@cms.hhs.gov'),
    ].join('');
    const ref = parsePfsDetail(detailPage('RVU25A', links), pageUrl, { warn });
    expect([ref.url, ref.updated]).toEqual([`${CMS}/files/zip/rvu25a-updated-01-10-2025.zip`, '2025-01-10']);
    expect(warnings).toEqual([
      `skipped link to https://mirror.example.net/files/zip/rvu25a-updated-05-01-2025.zip on ${pageUrl}: only www.cms.gov is fetched`,
      `${pageUrl}: 3 zip links for RVU25A; using the latest, ${CMS}/files/zip/rvu25a-updated-01-10-2025.zip`,
    ]);
  });

  it('one zip link: no warning; link text and URL dates that disagree: the URL wins, with a warning', () => {
    const { warn, warnings } = collect();
    expect(parsePfsDetail(detailPage('RVU25A', zipLink('/files/zip/rvu25a-updated-01-10-2025.zip', 'RVU25A - Updated 01/10/2025')), pageUrl, { warn }).updated).toBe('2025-01-10');
    expect(warnings).toEqual([]);
    const ref = parsePfsDetail(detailPage('RVU25A', zipLink('/files/zip/rvu25a-updated-01-10-2025.zip', 'RVU25A - Updated 01/09/2025')), pageUrl, { warn });
    expect(ref.updated).toBe('2025-01-10');
    expect(warnings).toEqual([`${pageUrl}: RVU25A link text says updated 2025-01-09 but its URL says 2025-01-10; using the URL`]);
  });

  it('a zip link of another release only is a page error naming the release', () => {
    const { warn } = collect();
    const error = structureError(() => parsePfsDetail(detailPage('RVU25A', zipLink('/files/zip/rvu25b.zip')), pageUrl, { warn }));
    expect([error.problem, error.expected]).toEqual([
      'no zip link for RVU25A in the Downloads block',
      'a link to /files/zip/rvu25a-updated-mm/dd/yyyy.zip (or …-mm-dd-yyyy.zip, ….zip) on www.cms.gov',
    ]);
  });
});

/** A landing page: rows linking detail pages, optionally a pager. */
function landingPage(slugs: string[], next?: string): string {
  const rows = slugs.map((slug) => `<tr><td><a href="${slug.startsWith('http') || slug.startsWith('/') ? slug : `${PFS_LANDING_PATH}/${slug}`}">${slug}</a></td></tr>`).join('');
  const pager = next === undefined ? '' : `<nav class="pager"><ul><li class="pager__item pager__item--next"><a href="${next}">Next</a></li></ul></nav>`;
  return `<html><body><a href="/medicare">Medicare</a><table>${rows}</table>${pager}</body></html>`;
}

describe('PFS landing page (pages.ts)', () => {
  it('keeps RVU detail pages once each; skips other pages, deeper paths and other sections', () => {
    const { warn } = collect();
    const landing = parsePfsLanding(
      landingPage(['rvu26c', 'RVU25D-0', 'rvu26c', 'pfrev26c', 'rvu26c/files', `${PFS_LANDING_PATH}x/rvu24b`, '/medicare/payment/rvu24b', 'rvu24b/']),
      LANDING,
      { warn },
    );
    expect(landing.details).toEqual([
      { url: `${LANDING}/rvu26c`, slug: 'rvu26c', code: 'RVU26C', year: 2026 },
      { url: `${LANDING}/RVU25D-0`, slug: 'rvu25d-0', code: 'RVU25D', year: 2025 },
      { url: `${LANDING}/rvu24b/`, slug: 'rvu24b', code: 'RVU24B', year: 2024 },
    ]);
    expect(landing.unrecognised).toEqual([]);
    expect(landing.nextPage).toBeNull();
  });

  it('only unrecognised RVU pages still count as a landing page', () => {
    const { warn } = collect();
    const landing = parsePfsLanding(landingPage(['rvu07a2', 'rvu07a2']), LANDING, { warn });
    expect(landing).toEqual({ details: [], unrecognised: [{ url: `${LANDING}/rvu07a2`, slug: 'rvu07a2', year: 2007 }], nextPage: null });
  });

  it('follows a pager only on the landing page itself (rel="next" or the Drupal pager item)', () => {
    const { warn } = collect();
    expect(parsePfsLanding(landingPage(['rvu26c'], '?page=1'), LANDING, { warn }).nextPage).toBe(`${LANDING}?page=1`);
    expect(parsePfsLanding(landingPage(['rvu26c'], `${PFS_LANDING_PATH}/?page=2`), LANDING, { warn }).nextPage).toBe(`${LANDING}/?page=2`);
    expect(parsePfsLanding(landingPage(['rvu26c'], '/medicare/payment?page=1'), LANDING, { warn }).nextPage).toBeNull();
    expect(parsePfsLanding(landingPage(['rvu26c'], 'mailto:x@y'), LANDING, { warn }).nextPage).toBeNull();
    const relNext = landingPage(['rvu26c']).replace('</table>', '</table><a rel="next" href="?page=3">more</a>');
    expect(parsePfsLanding(relNext, LANDING, { warn }).nextPage).toBe(`${LANDING}?page=3`);
    const pagerWithoutHref = landingPage(['rvu26c']).replace('</table>', '</table><li class="pager__item--next"><a>next</a></li>');
    expect(parsePfsLanding(pagerWithoutHref, LANDING, { warn }).nextPage).toBeNull();
  });
});

/** An in-memory site: pages by URL, work done one item at a time. */
function memorySite(pages: Record<string, string>, since = 2020, redirects: Record<string, string> = {}) {
  const warnings: string[] = [];
  const requested: string[] = [];
  const site: CmsSite = {
    since,
    mirror: undefined,
    page: async (url) => {
      requested.push(url);
      const text = pages[url];
      if (text === undefined) throw new Error(`no page ${url}`);
      return { text, url: redirects[url] ?? url };
    },
    eachPage: async (items, work) => {
      const out = [];
      for (const item of items) out.push(await work(item));
      return out;
    },
    warn: (message) => void warnings.push(message),
  };
  return { site, warnings, requested };
}

describe('PFS discovery over the site (pages.ts)', () => {
  const detail = (code: string, zip: string) => detailPage(code, zipLink(zip));

  it('walks the pager once per page, fetches the wanted years only, reports unknown names of those years', async () => {
    const { site, warnings, requested } = memorySite(
      {
        [LANDING]: landingPage(['rvu26c', 'rvu25d-0', 'rvu25m'], '?page=1'),
        [`${LANDING}?page=1`]: landingPage(['rvu24b', 'rvu24m', 'rvu25d-0'], PFS_LANDING_PATH),
        [`${LANDING}/rvu26c`]: detail('RVU26C', '/files/zip/rvu26c-updated-06-30-2026.zip'),
        [`${LANDING}/rvu25d-0`]: detail('RVU25D', '/files/zip/rvu25d.zip'),
      },
      2025,
    );
    const refs = await discoverPfs(site);
    expect(refs).toEqual([
      { code: 'RVU26C', year: 2026, quarter: 3, updated: '2026-06-30', pageUrl: `${LANDING}/rvu26c`, url: `${CMS}/files/zip/rvu26c-updated-06-30-2026.zip` },
      { code: 'RVU25D', year: 2025, quarter: 4, updated: null, pageUrl: `${LANDING}/rvu25d-0`, url: `${CMS}/files/zip/rvu25d.zip` },
    ]);
    expect(requested).toEqual([LANDING, `${LANDING}?page=1`, `${LANDING}/rvu26c`, `${LANDING}/rvu25d-0`]);
    expect(warnings).toEqual([`${LANDING}/rvu25m: skipped: rvu25m is not a release name we recognise (RVUyyX, RVUyyXR, RVUyyXRn)`]);
  });

  it('a release on two detail pages: the latest Updated date wins, with a warning (either order)', async () => {
    for (const [first, second] of [['rvu25d', 'rvu25d-0'], ['rvu25d-0', 'rvu25d']] as const) {
      const { site, warnings } = memorySite({
        [LANDING]: landingPage([first, second]),
        [`${LANDING}/rvu25d`]: detail('RVU25D', '/files/zip/rvu25d-updated-09-01-2025.zip'),
        [`${LANDING}/rvu25d-0`]: detail('RVU25D', '/files/zip/rvu25d-updated-09-11-2025.zip'),
      });
      const refs = await discoverPfs(site);
      expect(refs.map((ref) => [ref.pageUrl, ref.updated])).toEqual([[`${LANDING}/rvu25d-0`, '2025-09-11']]);
      expect(warnings).toEqual([`RVU25D is on two pages; using ${LANDING}/rvu25d-0, not ${LANDING}/rvu25d`]);
    }
  });

  it('two pages of one release without dates: the first listed stays', async () => {
    const { site, warnings } = memorySite({
      [LANDING]: landingPage(['rvu25d', 'rvu25d-0']),
      [`${LANDING}/rvu25d`]: detail('RVU25D', '/files/zip/rvu25d.zip'),
      [`${LANDING}/rvu25d-0`]: detail('RVU25D', '/files/zip/rvu25d.zip'),
    });
    expect((await discoverPfs(site)).map((ref) => ref.pageUrl)).toEqual([`${LANDING}/rvu25d`]);
    expect(warnings).toEqual([`RVU25D is on two pages; using ${LANDING}/rvu25d, not ${LANDING}/rvu25d-0`]);
  });

  it('resolves a detail page against where its redirect ended', async () => {
    const moved = `${CMS}/moved/rvu26c`;
    const { site } = memorySite(
      { [LANDING]: landingPage(['rvu26c']), [`${LANDING}/rvu26c`]: detail('RVU26C', 'files/rvu26c.zip').replace('files/rvu26c.zip', '../files/zip/rvu26c.zip') },
      2020,
      { [`${LANDING}/rvu26c`]: moved },
    );
    expect((await discoverPfs(site))[0]).toMatchObject({ pageUrl: moved, url: `${CMS}/files/zip/rvu26c.zip` });
  });

  it('stops after 20 landing pages with a warning', async () => {
    const pages: Record<string, string> = {};
    for (let n = 0; n < 25; n++) pages[n === 0 ? LANDING : `${LANDING}?page=${n}`] = landingPage([`rvu${String(n).padStart(2, '0')}a`], `?page=${n + 1}`);
    const { site, warnings, requested } = memorySite(pages, 2099);
    expect(await discoverPfs(site)).toEqual([]);
    expect(requested).toHaveLength(20);
    expect(warnings).toEqual([`${LANDING}?page=20: stopped after 20 landing pages; older releases may be missing`]);
  });
});
