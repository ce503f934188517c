import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hcpcsFamily } from '../../pipelines/hcpcs/index.js';
import { pfsFamily } from '../../pipelines/pfs/family.js';
import type { Family } from '../../src/pipeline.js';
import { discoverReleases } from '../../src/sources/discover.js';
import { createHttpClient, HttpError, type HttpClient } from '../../src/sources/http.js';
import { PageStructureError } from '../../src/sources/page-error.js';
import { startCmsServer, type CmsServer } from '../support/cms-server.js';
import { HCPCS_PAGE, PFS_DIR, makeTestSite, type TestSite } from '../support/cms-site.js';

let site: TestSite;
let server: CmsServer;
let http: HttpClient;
let warnings: string[];
const warn = (message: string) => warnings.push(message);

beforeEach(async () => {
  site = await makeTestSite();
  server = await startCmsServer({ root: site.root, prefix: '/cms' });
  http = createHttpClient({ mirror: server.url, retries: 2, retryBaseMs: 10, retryMaxMs: 40 });
  warnings = [];
});

afterEach(async () => {
  await http.close();
  await server.close();
  await site.cleanup();
});

describe('discoverReleases against the fixture site', () => {
  it('walks landing page → detail pages → zips, and the HCPCS page, all through the mirror', async () => {
    const refs = await discoverReleases({ families: [pfsFamily, hcpcsFamily], since: 2020, mirror: server.url, http, warn });
    const base = server.url;
    expect(refs).toEqual([
      { family: 'hcpcs', code: 'HCPC2020_JAN', year: 2020, quarter: 1, updated: null, pageUrl: `${base}/${HCPCS_PAGE.replace('.html', '')}`, url: `${base}/files/zip/2020-alpha-numeric-hcpcs-file.zip` },
      { family: 'pfs', code: 'RVU24B', year: 2024, quarter: 2, updated: '2024-03-18', pageUrl: `${base}/${PFS_DIR}/rvu24b`, url: `${base}/files/zip/rvu24b-updated-03/18/2024.zip` },
      { family: 'hcpcs', code: 'HCPC2025_OCT', year: 2025, quarter: 4, updated: null, pageUrl: `${base}/${HCPCS_PAGE.replace('.html', '')}`, url: `${base}/files/zip/october-2025-alpha-numeric-hcpcs-file.zip` },
      { family: 'pfs', code: 'RVU25D', year: 2025, quarter: 4, updated: '2025-09-11', pageUrl: `${base}/${PFS_DIR}/rvu25d-0`, url: `${base}/files/zip/rvu25d-updated-09/11/2025.zip` },
      { family: 'pfs', code: 'RVU26C', year: 2026, quarter: 3, updated: '2026-06-30', pageUrl: `${base}/${PFS_DIR}/rvu26c`, url: `${base}/files/zip/rvu26c-updated-06-30-2026.zip` },
    ]);
    expect(warnings).toEqual([]);
    // pages only: discovery never downloads a zip
    expect(server.requests.filter((r) => r.path.endsWith('.zip'))).toEqual([]);
  });

  it('fetches only the detail pages of the years asked for', async () => {
    const refs = await discoverReleases({ families: [pfsFamily], since: 2025, mirror: server.url, http, warn });
    expect(refs.map((r) => r.code)).toEqual(['RVU25D', 'RVU26C']);
    expect(server.requests.map((r) => r.path)).not.toContain(`/${PFS_DIR}/rvu24b`);
    expect(server.requests.map((r) => r.path)).not.toContain(`/${HCPCS_PAGE.replace('.html', '')}`);
  });

  it('fetches detail pages at most `concurrency` at a time (default 2)', async () => {
    let active = 0;
    let peak = 0;
    const counting: HttpClient = {
      ...http,
      getText: async (url, options) => {
        peak = Math.max(peak, ++active);
        try {
          await new Promise((resolve) => setTimeout(resolve, 30));
          return await http.getText(url, options);
        } finally {
          active--;
        }
      },
    };
    await discoverReleases({ families: [pfsFamily], since: 2020, mirror: server.url, http: counting, warn, concurrency: 1 });
    expect(peak).toBe(1);
    peak = 0;
    await discoverReleases({ families: [pfsFamily], since: 2020, mirror: server.url, http: counting, warn });
    expect(peak).toBe(2);
  });

  it('skips a detail link to another host with a warning, and never requests it', async () => {
    await site.edit(`${PFS_DIR}/index.html`, `href="/${PFS_DIR}/rvu24b"`, `href="https://cms.example.net/${PFS_DIR}/rvu24b"`);
    const refs = await discoverReleases({ families: [pfsFamily], since: 2020, mirror: server.url, http, warn });
    expect(refs.map((r) => r.code)).toEqual(['RVU25D', 'RVU26C']);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(`skipped link to https://cms.example.net/${PFS_DIR}/rvu24b`);
  });

  it('fails with the page named when a detail page changed structure', async () => {
    await site.edit(`${PFS_DIR}/rvu25d-0.html`, /<div class="field__label">File Name<\/div>/, '<div class="field__label">Archive</div>');
    const error = await discoverReleases({ families: [pfsFamily], since: 2020, mirror: server.url, http, warn }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PageStructureError);
    expect((error as PageStructureError).pageUrl).toBe(`${server.url}/${PFS_DIR}/rvu25d-0`);
    expect((error as Error).message).toContain('no "File Name" field');
  });

  it('with onPageError, reports the broken page and returns the others', async () => {
    await site.edit(`${PFS_DIR}/rvu25d-0.html`, '/files/zip/rvu25d-updated-09/11/2025.zip', '/files/document/rvu25d.pdf');
    const errors: Error[] = [];
    const refs = await discoverReleases({ families: [pfsFamily, hcpcsFamily], since: 2020, mirror: server.url, http, warn, onPageError: (e) => errors.push(e) });
    expect(refs.map((r) => r.code)).toEqual(['HCPC2020_JAN', 'RVU24B', 'HCPC2025_OCT', 'RVU26C']);
    expect(errors.map((e) => e.message)).toEqual([`${server.url}/${PFS_DIR}/rvu25d-0: no zip link for RVU25D in the Downloads block; expected a link to /files/zip/rvu25d-updated-mm/dd/yyyy.zip (or …-mm-dd-yyyy.zip, ….zip) on www.cms.gov`]);
  });

  it('fails when the landing page lists no detail pages, rather than finding nothing', async () => {
    await site.edit(`${PFS_DIR}/index.html`, /<table[\s\S]*<\/table>/, '<p>Coming soon.</p>');
    const error = await discoverReleases({ families: [pfsFamily], since: 2020, mirror: server.url, http, warn }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PageStructureError);
    expect((error as PageStructureError).pageUrl).toBe(`${server.url}/${PFS_DIR}`);
  });

  it('fails with the URL named when a page is missing', async () => {
    await site.edit(`${PFS_DIR}/index.html`, `href="/${PFS_DIR}/rvu24b"`, `href="/${PFS_DIR}/rvu24a"`);
    const error = await discoverReleases({ families: [pfsFamily], since: 2020, mirror: server.url, http, warn }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect((error as Error).message).toBe(`GET ${server.url}/${PFS_DIR}/rvu24a: HTTP 404 Not Found`);
  });

  it('walks whatever families declare: a family of its own, through the mirror, its failed pages reported', async () => {
    const landing = `https://www.cms.gov/${PFS_DIR}`;
    const extra: Family = {
      ...pfsFamily,
      name: 'extra',
      async discover(site) {
        return site.eachPage([`${landing}/rvu24b`, `${landing}/no-such-page`], async (url) => {
          const page = await site.page(url);
          return { code: 'EXTRA24B', year: 2024, quarter: 2, updated: null, pageUrl: page.url, url: `${page.url}.zip` };
        });
      },
    };
    const importOnly: Family = { ...hcpcsFamily, name: 'import-only', discover: undefined };
    const errors: Error[] = [];
    const refs = await discoverReleases({ families: [extra, importOnly], since: 2020, mirror: server.url, http, warn, onPageError: (e) => errors.push(e) });
    expect(refs).toEqual([
      { family: 'extra', code: 'EXTRA24B', year: 2024, quarter: 2, updated: null, pageUrl: `${server.url}/${PFS_DIR}/rvu24b`, url: `${server.url}/${PFS_DIR}/rvu24b.zip` },
    ]);
    expect(errors.map((e) => e.message)).toEqual([`GET ${server.url}/${PFS_DIR}/no-such-page: HTTP 404 Not Found`]);
    // only the declared family's pages were asked for, and only from the mirror
    expect(server.requests.map((r) => r.path).sort()).toEqual([`/${PFS_DIR}/no-such-page`, `/${PFS_DIR}/rvu24b`]);
  });
});

