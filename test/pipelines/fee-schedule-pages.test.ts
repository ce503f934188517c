/**
 * The page rules of the fee-schedule families on small pages written here from CMS's URL patterns
 * (the fixture pages in test/fee-schedules/pages.test.ts cover the common case): each link that
 * is skipped and why, duplicates, foreign hosts, and discovery's year bound, through a site stub.
 */
import { describe, expect, it } from 'vitest';
import { ASP_PAGE_PATH, discoverAsp, parseAspPage } from '../../pipelines/asp/pages.js';
import { CLFS_FILES_PATH, discoverClfs, parseClfsFilesPage, parseClfsQuarterPage } from '../../pipelines/clfs/pages.js';
import { discoverOpps, OPPS_ADDENDA_PATH, parseOppsAddendaPage, parseOppsQuarterPage } from '../../pipelines/opps/pages.js';
import type { CmsSite } from '../../src/pipeline.js';
import { PageStructureError } from '../../src/sources/page-error.js';

const CMS = 'https://www.cms.gov';
const page = (...hrefs: string[]) => `<html><body><ul>${hrefs.map((href) => `<li><a href="${href}">${href}</a></li>`).join('')}</ul></body></html>`;

function options() {
  const warnings: string[] = [];
  return { warnings, warn: (message: string) => void warnings.push(message) };
}

/** A site whose pages are these (by URL), fetched in order. */
function site(pages: Record<string, string>, since: number): CmsSite & { warnings: string[]; fetched: string[] } {
  const warnings: string[] = [];
  const fetched: string[] = [];
  return {
    since,
    mirror: undefined,
    warnings,
    fetched,
    page: async (url) => {
      fetched.push(url);
      const text = pages[url];
      if (text === undefined) throw new Error(`no page ${url}`);
      return { text, url };
    },
    eachPage: async (items, work) => {
      const out = [];
      for (const item of items) out.push(await work(item));
      return out;
    },
    warn: (message) => void warnings.push(message),
  };
}

describe('OPPS addenda page', () => {
  const landing = `${CMS}${OPPS_ADDENDA_PATH}`;

  it('reads "addendum-b" and "addendumb" slugs; the first of two pages for one quarter wins, with a warning; foreign hosts are skipped', () => {
    const { warnings, warn } = options();
    const html = page(
      `${OPPS_ADDENDA_PATH}/january-2025-addendumb`,
      `${OPPS_ADDENDA_PATH}/january-2025-addendum-b-corrected`,
      `${OPPS_ADDENDA_PATH}/april-2025-addendum-a`,
      `https://example.org${OPPS_ADDENDA_PATH}/july-2025-addendum-b`,
      `${OPPS_ADDENDA_PATH}/october-2024-addendum-b`,
    );
    expect(parseOppsAddendaPage(html, landing, { warn })).toEqual([
      { url: `${landing}/january-2025-addendumb`, year: 2025, quarter: 1 },
      { url: `${landing}/october-2024-addendum-b`, year: 2024, quarter: 4 },
    ]);
    expect(warnings).toEqual([
      `${landing}: two pages for Addendum B JAN 2025; using ${landing}/january-2025-addendumb`,
      `skipped link to https://example.org${OPPS_ADDENDA_PATH}/july-2025-addendum-b on ${landing}: only www.cms.gov is fetched`,
    ]);
  });

  it('a page with only foreign or Addendum A links fails closed', () => {
    const html = page(`${OPPS_ADDENDA_PATH}/april-2025-addendum-a`);
    expect(() => parseOppsAddendaPage(html, landing, options())).toThrow(PageStructureError);
  });
});

describe('OPPS quarter page', () => {
  const quarterPage = `${CMS}${OPPS_ADDENDA_PATH}/january-2025-addendum-b`;
  const january = { url: quarterPage, year: 2025, quarter: 1 as const };

  it('takes the Addendum B zips of its own quarter, or naming none; not Addendum A, not another quarter', () => {
    const { warnings, warn } = options();
    const html = page(
      '/license/ama?file=/files/zip/january-2025-addendum-a.zip',
      '/license/ama?file=/files/zip/april-2025-addendum-b.zip',
      '/license/ama?file=/files/zip/january-2024-addendum-b.zip',
      '/license/ama?file=/files/zip/addendumb-12-31-24.zip',
    );
    expect(parseOppsQuarterPage(html, quarterPage, january, { warn })).toEqual({
      code: 'OPPS2025_JAN', year: 2025, quarter: 1, updated: '2024-12-31', pageUrl: quarterPage, url: `${CMS}/files/zip/addendumb-12-31-24.zip`,
    });
    expect(warnings).toEqual([]);
  });

  it('only zips of another quarter, or of Addendum A: no link to this quarter\'s zip', () => {
    for (const zip of ['april-2025-addendum-b.zip', 'january-2024-addendum-b.zip', 'january-2025-addendum-a.zip']) {
      expect(() => parseOppsQuarterPage(page(`/files/zip/${zip}`), quarterPage, january, options())).toThrow(
        `${quarterPage}: no link to the OPPS2025_JAN Addendum B zip; expected a link to /license/ama?file=/files/zip/…2025…addendum-b….zip (CMS's CPT-licence page) or to the zip itself`,
      );
    }
  });

  it('the zip on another host is refused, naming the rule', () => {
    const { warnings, warn } = options();
    const html = page('https://example.org/files/zip/january-2025-addendum-b.zip');
    expect(() => parseOppsQuarterPage(html, quarterPage, january, { warn })).toThrow(
      new PageStructureError(quarterPage, 'the OPPS2025_JAN zip is not on www.cms.gov', 'a zip under /files/zip/ on www.cms.gov'),
    );
    expect(warnings).toEqual([`skipped link to https://example.org/files/zip/january-2025-addendum-b.zip on ${quarterPage}: only www.cms.gov is fetched`]);
  });
});

describe('OPPS discovery', () => {
  const landing = `${CMS}${OPPS_ADDENDA_PATH}`;
  const pages = {
    [landing]: page(`${OPPS_ADDENDA_PATH}/january-2025-addendum-b`, `${OPPS_ADDENDA_PATH}/october-2024-addendum-b`),
    [`${landing}/january-2025-addendum-b`]: page('/license/ama?file=/files/zip/january-2025-addendum-b.zip'),
    [`${landing}/october-2024-addendum-b`]: page('/license/ama?file=/files/zip/october-2024-addendum-b.zip'),
  };

  it('fetches the quarter pages of --since and later, itself included', async () => {
    const cms = site(pages, 2025);
    expect((await discoverOpps(cms)).map((release) => release.code)).toEqual(['OPPS2025_JAN']);
    expect(cms.fetched).toEqual([landing, `${landing}/january-2025-addendum-b`]);
    const all = site(pages, 2024);
    expect((await discoverOpps(all)).map((release) => release.code)).toEqual(['OPPS2025_JAN', 'OPPS2024_OCT']);
  });
});

describe('ASP pricing files page', () => {
  const aspPage = `${CMS}${ASP_PAGE_PATH}`;
  const codes = (html: string) => parseAspPage(html, aspPage, options()).map((release) => release.code);

  it.each([
    'january-2025-asp-pricing-file.zip',
    'asp-pricing-file-january-2025.zip',
    'january_2025_asp-pricing-files_final.zip',
    'january-2025-asp-pricing-file',
    'january-2025-part-b-payment-limits-file.zip',
    'january-2025-medicare-part-b-payment-limit-files.zip',
  ])('%s is an ASP pricing file', (name) => {
    const href = name.endsWith('.zip') ? `/files/zip/${name}` : `/files/zip/${name}.zip`;
    expect(codes(page(href))).toEqual(['ASP2025_JAN']);
  });

  it.each([
    'january-2025-aspx-pricing-file.zip',
    'january-2025-asp-pricing-filex.zip',
    'january-2025-xasp-pricing-file.zip',
    'january-2025-asp-pricing-file-noc.zip',
    'noc-asp-pricing-file-january-2025.zip',
    'january-2025-opps-asp-pricing-file.zip',
    'january-2025-asp-pricing-file-crosswalk.zip',
    'january-2025-medicare-part-b-drug-file.zip',
  ])('%s is not', (name) => {
    expect(() => codes(page(`/files/zip/${name}`))).toThrow(PageStructureError);
  });

  it('"noc" or "opps" inside a word does not exclude a file', () => {
    expect(codes(page('/files/zip/january-2025-asp-pricing-file-nocturnal.zip', '/files/zip/july-2025-asp-pricing-file-oppsx.zip'))).toEqual(['ASP2025_JAN', 'ASP2025_JUL']);
  });

  it('a zip without a quarter is skipped with a warning; a zip on another host drops its quarter', () => {
    const { warnings, warn } = options();
    const html = page('/files/zip/asp-pricing-file.zip', 'https://example.org/files/zip/july-2025-asp-pricing-file.zip', '/files/zip/january-2025-asp-pricing-file.zip');
    expect(parseAspPage(html, aspPage, { warn })).toEqual([
      { code: 'ASP2025_JAN', year: 2025, quarter: 1, updated: null, pageUrl: aspPage, url: `${CMS}/files/zip/january-2025-asp-pricing-file.zip` },
    ]);
    expect(warnings).toEqual([
      `${aspPage}: skipped asp-pricing-file.zip: no quarter month and year in its name`,
      `skipped link to https://example.org/files/zip/july-2025-asp-pricing-file.zip on ${aspPage}: only www.cms.gov is fetched`,
    ]);
  });

  it('discovery reads the one page (through the mirror when there is one)', async () => {
    const cms = site({ [aspPage]: page('/files/zip/january-2025-asp-pricing-file.zip') }, 2020);
    expect(await discoverAsp(cms)).toMatchObject([{ code: 'ASP2025_JAN', url: `${CMS}/files/zip/january-2025-asp-pricing-file.zip` }]);
    expect(cms.fetched).toEqual([aspPage]);
  });
});

describe('CLFS pages', () => {
  const files = `${CMS}${CLFS_FILES_PATH}`;

  it('quarter slugs yyCLABQn with a version or a suffix; other "clab" pages warned about, others silently left out; the first of two kept', () => {
    const { warnings, warn } = options();
    const html = page(
      `${CLFS_FILES_PATH}/25clabq1`,
      `${CLFS_FILES_PATH}/25CLABQ2v2`,
      `${CLFS_FILES_PATH}/25clabq3v12`,
      `${CLFS_FILES_PATH}/25clabq4-12`,
      `${CLFS_FILES_PATH}/24clabq1x`,
      `${CLFS_FILES_PATH}/24clabq4-0`,
      `${CLFS_FILES_PATH}/24clabq4v2`,
      `${CLFS_FILES_PATH}/2025clabq3`,
      `${CLFS_FILES_PATH}/25clabq5`,
      `${CLFS_FILES_PATH}/x25clabq1`,
      `${CLFS_FILES_PATH}/annual-public-meeting`,
      `https://example.org${CLFS_FILES_PATH}/23clabq1`,
    );
    expect(parseClfsFilesPage(html, files, { warn })).toEqual([
      { url: `${files}/25clabq1`, code: '25CLABQ1', year: 2025 },
      { url: `${files}/25CLABQ2v2`, code: '25CLABQ2', year: 2025 },
      { url: `${files}/25clabq3v12`, code: '25CLABQ3', year: 2025 },
      { url: `${files}/25clabq4-12`, code: '25CLABQ4', year: 2025 },
      { url: `${files}/24clabq4-0`, code: '24CLABQ4', year: 2024 },
    ]);
    expect(warnings).toEqual([
      `${files}: skipped 24clabq1x: not a CLFS quarter name we recognise (yyCLABQn)`,
      `${files}: skipped 2025clabq3: not a CLFS quarter name we recognise (yyCLABQn)`,
      `${files}: skipped 25clabq5: not a CLFS quarter name we recognise (yyCLABQn)`,
      `${files}: skipped x25clabq1: not a CLFS quarter name we recognise (yyCLABQn)`,
      `skipped link to https://example.org${CLFS_FILES_PATH}/23clabq1 on ${files}: only www.cms.gov is fetched`,
    ]);
  });

  it('a quarter page: its own zips only, the highest version; one zip, no warning', () => {
    const { warnings, warn } = options();
    const html = page(
      '/license/ama?file=/files/zip/25clabq1v12.zip', '/files/zip/25clabq1.zip', '/files/zip/25clabq1v3.zip', '/files/zip/25clabq2v99.zip', '/files/zip/x25clabq1v99.zip',
      '/files/zip/25clabq1v99x.zip',
    );
    expect(parseClfsQuarterPage(html, `${files}/25clabq1`, '25CLABQ1', { warn })).toMatchObject({ code: '25CLABQ1', year: 2025, quarter: 1, url: `${CMS}/files/zip/25clabq1v12.zip` });
    expect(warnings).toEqual([`${files}/25clabq1: 3 zips for 25CLABQ1; using 25clabq1v12.zip`]);
    const one = options();
    expect(parseClfsQuarterPage(page('/files/zip/24CLABQ4.ZIP'), `${files}/24clabq4`, '24CLABQ4', one).url).toBe(`${CMS}/files/zip/24CLABQ4.ZIP`);
    expect(one.warnings).toEqual([]);
  });

  it('the zip on another host is refused, naming the rule', () => {
    expect(() => parseClfsQuarterPage(page('https://example.org/files/zip/25clabq1.zip'), `${files}/25clabq1`, '25CLABQ1', options())).toThrow(
      new PageStructureError(`${files}/25clabq1`, 'the 25CLABQ1 zip is not on www.cms.gov', 'a zip under /files/zip/ on www.cms.gov'),
    );
  });

  it('discovery fetches the quarter pages of --since and later, itself included', async () => {
    const pages = {
      [files]: page(`${CLFS_FILES_PATH}/25clabq1`, `${CLFS_FILES_PATH}/24clabq4`),
      [`${files}/25clabq1`]: page('/files/zip/25clabq1.zip'),
      [`${files}/24clabq4`]: page('/files/zip/24clabq4.zip'),
    };
    const cms = site(pages, 2025);
    expect((await discoverClfs(cms)).map((release) => release.code)).toEqual(['25CLABQ1']);
    expect(cms.fetched).toEqual([files, `${files}/25clabq1`]);
    expect((await discoverClfs(site(pages, 2024))).map((release) => release.code)).toEqual(['25CLABQ1', '24CLABQ4']);
  });
});
