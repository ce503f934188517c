/**
 * Sync's discovery of the OPPS, ASP and CLFS releases on the miniature CMS site
 * (fixtures/cms-site, served through a mirror): each family's `discover` walks its pages to the
 * zips, and a page that does not match the rules fails closed, naming the page and what is missing.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { aspFamily } from '../../pipelines/asp/family.js';
import { clfsFamily } from '../../pipelines/clfs/family.js';
import { oppsFamily } from '../../pipelines/opps/family.js';
import { discoverReleases } from '../../src/sources/discover.js';
import { createHttpClient, type HttpClient } from '../../src/sources/http.js';
import { PageStructureError } from '../../src/sources/page-error.js';
import { startCmsServer, type CmsServer } from '../support/cms-server.js';
import { makeTestSite, type TestSite } from '../support/cms-site.js';

const OPPS_DIR = 'medicare/payment/prospective-payment-systems/hospital-outpatient-pps/quarterly-addenda-updates';
const ASP_PAGE = 'medicare/payment/part-b-drugs/asp-pricing-files.html';
const CLFS_DIR = 'medicare/payment/fee-schedules/clinical-laboratory-fee-schedule-clfs/files';

let site: TestSite;
let server: CmsServer;
let http: HttpClient;
let warnings: string[];
const warn = (message: string) => warnings.push(message);

beforeEach(async () => {
  site = await makeTestSite();
  server = await startCmsServer({ root: site.root, prefix: '/cms' });
  http = createHttpClient({ mirror: server.url, retries: 0 });
  warnings = [];
});

afterEach(async () => {
  await http.close();
  await server.close();
  await site.cleanup();
});

const discover = (families = [oppsFamily, aspFamily, clfsFamily], since = 2020) => discoverReleases({ families, since, mirror: server.url, http, warn });
const failure = (families = [oppsFamily, aspFamily, clfsFamily]) => discover(families).then(() => expect.unreachable('discovery succeeded'), (e: unknown) => e as Error);

describe('discovery of the fee-schedule families on the fixture site', () => {
  it('addenda page → quarter page → the zip behind the CPT-licence page; the ASP page; CLFS files page → quarter page: all through the mirror', async () => {
    const base = server.url;
    expect(await discover()).toEqual([
      { family: 'clfs', code: '25CLABQ1', year: 2025, quarter: 1, updated: null, pageUrl: `${base}/${CLFS_DIR}/25clabq1`, url: `${base}/files/zip/25clabq1.zip` },
      { family: 'asp', code: 'ASP2025_JAN', year: 2025, quarter: 1, updated: '2024-12-19', pageUrl: `${base}/${ASP_PAGE.replace('.html', '')}`, url: `${base}/files/zip/january-2025-asp-pricing-file-12-19-24-final-file.zip` },
      { family: 'opps', code: 'OPPS2025_JAN', year: 2025, quarter: 1, updated: null, pageUrl: `${base}/${OPPS_DIR}/january-2025-addendum-b`, url: `${base}/files/zip/january-2025-addendum-b.zip` },
    ]);
    expect(warnings).toEqual([]);
    // pages only, never the licence page itself nor a zip
    const paths = server.requests.map((r) => r.path);
    expect(paths.filter((path) => path.endsWith('.zip') || path.includes('/license/'))).toEqual([]);
    // the Addendum A page is not fetched
    expect(paths).not.toContain(`/${OPPS_DIR}/january-2025-addendum-a`);
  });

  it('quarter pages of years before --since are not fetched', async () => {
    expect(await discover([oppsFamily, clfsFamily], 2026)).toEqual([]);
    expect(server.requests.map((r) => r.path).sort()).toEqual([`/${CLFS_DIR}`, `/${OPPS_DIR}`]);
  });

  it('an addenda page without quarter links fails closed, naming the page and what is missing', async () => {
    await site.edit(`${OPPS_DIR}/index.html`, /<ul>[\s\S]*<\/ul>/, '<p>This page has moved.</p>');
    const error = await failure([oppsFamily]);
    expect(error).toBeInstanceOf(PageStructureError);
    expect(error.message).toBe(
      `${server.url}/${OPPS_DIR}: no links to quarterly Addendum B pages; expected links such as /${OPPS_DIR}/january-2025-addendum-b`,
    );
  });

  it('a quarter page whose licence link no longer names the zip fails closed', async () => {
    await site.edit(`${OPPS_DIR}/january-2025-addendum-b.html`, '/license/ama?file=/files/zip/january-2025-addendum-b.zip', '/license/ama');
    const error = await failure([oppsFamily]);
    expect(error).toBeInstanceOf(PageStructureError);
    expect((error as PageStructureError).pageUrl).toBe(`${server.url}/${OPPS_DIR}/january-2025-addendum-b`);
    expect((error as PageStructureError).problem).toBe('no link to the OPPS2025_JAN Addendum B zip');
  });

  it('an ASP page that links only other files fails closed', async () => {
    await site.edit(ASP_PAGE, 'january-2025-asp-pricing-file-12-19-24-final-file.zip', 'january-2025-asp-ndc-hcpcs-crosswalk.zip');
    const error = await failure([aspFamily]);
    expect(error).toBeInstanceOf(PageStructureError);
    expect(error.message).toBe(
      `${server.url}/${ASP_PAGE.replace('.html', '')}: no links to ASP pricing file zips; expected links such as /files/zip/january-2025-asp-pricing-file.zip on www.cms.gov`,
    );
  });

  it('a CLFS files page without quarter pages, or a quarter page without its zip, fails closed', async () => {
    await site.edit(`${CLFS_DIR}/25clabq1.html`, '/license/ama?file=/files/zip/25clabq1.zip', '/files/document/25clabq1.pdf');
    let error = await failure([clfsFamily]);
    expect(error).toBeInstanceOf(PageStructureError);
    expect(error.message).toBe(
      `${server.url}/${CLFS_DIR}/25clabq1: no link to the 25CLABQ1 zip; expected a link to /license/ama?file=/files/zip/25clabq1.zip (CMS's CPT-licence page) or to the zip itself`,
    );
    await site.edit(`${CLFS_DIR}/index.html`, /<table[\s\S]*<\/table>/, '<p>Coming soon.</p>');
    error = await failure([clfsFamily]);
    expect(error.message).toBe(`${server.url}/${CLFS_DIR}: no links to CLFS quarter pages; expected links such as /${CLFS_DIR}/25clabq1`);
  });

  it('with onPageError, one family failing leaves the others found', async () => {
    await site.edit(`${OPPS_DIR}/index.html`, /<ul>[\s\S]*<\/ul>/, '');
    const errors: Error[] = [];
    const refs = await discoverReleases({ families: [oppsFamily, aspFamily, clfsFamily], since: 2020, mirror: server.url, http, warn, onPageError: (e) => errors.push(e) });
    expect(refs.map((ref) => ref.code)).toEqual(['25CLABQ1', 'ASP2025_JAN']);
    expect(errors.map((e) => e.name)).toEqual(['PageStructureError']);
  });
});
