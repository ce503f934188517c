/**
 * The page rules of the fee-schedule families on small pages written here from CMS's URL patterns
 * (the fixture pages in test/fee-schedules/pages.test.ts cover the common case): each link that
 * is skipped and why, duplicates, foreign hosts, and discovery's year bound, through a site stub.
 */
import { describe, expect, it } from 'vitest';
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
