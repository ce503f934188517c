/**
 * The CMS page rules of the fee-schedule families (pipelines/*\/pages.ts) on synthetic pages built
 * from CMS's published URL patterns (fixtures/pages/fee-schedules/): what they find, what they
 * skip, and that a page without what they need fails closed, naming it.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAspPage } from '../../pipelines/asp/pages.js';
import { parseClfsFilesPage, parseClfsQuarterPage } from '../../pipelines/clfs/pages.js';
import { OPPS_ADDENDA_PATH, parseOppsAddendaPage, parseOppsQuarterPage } from '../../pipelines/opps/pages.js';
import { PageStructureError } from '../../src/sources/page-error.js';
import { fixture } from '../support/fixtures.js';

const html = (name: string) => readFileSync(fixture('pages', 'fee-schedules', name), 'utf8');
const CMS = 'https://www.cms.gov';
const MIRROR = 'http://127.0.0.1:9/cms';

function collect() {
  const warnings: string[] = [];
  return { warnings, options: { warn: (message: string) => void warnings.push(message) } };
}

describe('OPPS Addendum B pages', () => {
  const landing = `${CMS}${OPPS_ADDENDA_PATH}`;

  it('the addenda page links one page per quarter of Addendum B; Addendum A and unnamed pages are left out', () => {
    const { warnings, options } = collect();
    expect(parseOppsAddendaPage(html('opps-quarterly-addenda-updates.html'), landing, options)).toEqual([
      { url: `${landing}/july-2025-addendum-b`, year: 2025, quarter: 3 },
      { url: `${landing}/january-2025-addendum-b`, year: 2025, quarter: 1 },
      { url: `${landing}/july-2022-addendum-b`, year: 2022, quarter: 3 },
    ]);
    expect(warnings).toEqual([`${landing}: skipped addendum-b-archive: no quarter month and year in its name`]);
  });

  it('a quarter page: the zip behind the CPT-licence page, the latest posting of two', () => {
    const { warnings, options } = collect();
    const page = `${landing}/july-2025-addendum-b`;
    expect(parseOppsQuarterPage(html('opps-july-2025-addendum-b.html'), page, { url: page, year: 2025, quarter: 3 }, options)).toEqual({
      code: 'OPPS2025_JUL',
      year: 2025,
      quarter: 3,
      updated: '2025-07-25',
      pageUrl: page,
      url: `${CMS}/files/zip/july-2025-addendum-b-07-25-25.zip`,
    });
    expect(warnings).toEqual([`${page}: 2 zips for OPPS2025_JUL; using july-2025-addendum-b-07-25-25.zip`]);
  });

  it('through a mirror, the links stay on the mirror', () => {
    const page = `${MIRROR}${OPPS_ADDENDA_PATH}/july-2025-addendum-b`;
    const found = parseOppsQuarterPage(html('opps-july-2025-addendum-b.html'), page, { url: page, year: 2025, quarter: 3 }, { mirror: MIRROR, warn: () => undefined });
    expect(found.url).toBe(`${MIRROR}/files/zip/july-2025-addendum-b-07-25-25.zip`);
  });

  it('pages without what the rules need fail closed, naming what was missing', () => {
    const { options } = collect();
    const noQuarters = () => parseOppsAddendaPage(html('opps-quarterly-addenda-updates-moved.html'), landing, options);
    expect(noQuarters).toThrow(PageStructureError);
    expect(noQuarters).toThrow(`${landing}: no links to quarterly Addendum B pages; expected links such as ${OPPS_ADDENDA_PATH}/january-2025-addendum-b`);
    const page = `${landing}/january-2025-addendum-b`;
    expect(() => parseOppsQuarterPage(html('opps-january-2025-addendum-b-no-zip.html'), page, { url: page, year: 2025, quarter: 1 }, options)).toThrow(
      `${page}: no link to the OPPS2025_JAN Addendum B zip; expected a link to /license/ama?file=/files/zip/…2025…addendum-b….zip (CMS's CPT-licence page) or to the zip itself`,
    );
  });
});

describe('ASP pricing files page', () => {
  const page = `${CMS}/medicare/payment/part-b-drugs/asp-pricing-files`;

  it('one zip per quarter: NOC, OPPS and crosswalk zips left out, the re-post chosen, other hosts refused', () => {
    const { warnings, options } = collect();
    expect(parseAspPage(html('asp-pricing-files.html'), page, options)).toEqual([
      { code: 'ASP2025_JAN', year: 2025, quarter: 1, updated: '2025-03-07', pageUrl: page, url: `${CMS}/files/zip/january-2025-asp-pricing-file-updated-03-07-25.zip` },
      { code: 'ASP2024_JUL', year: 2024, quarter: 3, updated: null, pageUrl: page, url: `${CMS}/files/zip/july-2024-asp-pricing-file.zip` },
      { code: 'ASP2026_APR', year: 2026, quarter: 2, updated: null, pageUrl: page, url: `${CMS}/files/zip/april-2026-medicare-part-b-payment-limit-file.zip` },
    ]);
    expect(warnings).toEqual([
      `${page}: 2 zips for ASP2025_JAN; using january-2025-asp-pricing-file-updated-03-07-25.zip`,
      `skipped link to https://example.org/files/zip/october-2025-asp-pricing-file.zip on ${page}: only www.cms.gov is fetched`,
    ]);
  });

  it('a page without ASP zips fails closed', () => {
    expect(() => parseAspPage(html('opps-quarterly-addenda-updates-moved.html'), page, collect().options)).toThrow(
      `${page}: no links to ASP pricing file zips; expected links such as /files/zip/january-2025-asp-pricing-file.zip on www.cms.gov`,
    );
  });
});

describe('CLFS files pages', () => {
  const files = `${CMS}/medicare/payment/fee-schedules/clinical-laboratory-fee-schedule-clfs/files`;

  it('the files page links one page per quarter', () => {
    const { warnings, options } = collect();
    expect(parseClfsFilesPage(html('clfs-files.html'), files, options)).toEqual([
      { url: `${files}/25clabq1`, code: '25CLABQ1', year: 2025 },
      { url: `${files}/24clabq4`, code: '24CLABQ4', year: 2024 },
    ]);
    expect(warnings).toEqual([`${files}: skipped clab-annual-public-meeting: not a CLFS quarter name we recognise (yyCLABQn)`]);
  });

  it("a quarter page: its own zip behind the licence page, the V2 re-post over the first; another quarter's zip ignored", () => {
    const { warnings, options } = collect();
    expect(parseClfsQuarterPage(html('clfs-25clabq1.html'), `${files}/25clabq1`, '25CLABQ1', options)).toEqual({
      code: '25CLABQ1',
      year: 2025,
      quarter: 1,
      updated: null,
      pageUrl: `${files}/25clabq1`,
      url: `${CMS}/files/zip/25clabq1v2.zip`,
    });
    expect(warnings).toEqual([`${files}/25clabq1: 2 zips for 25CLABQ1; using 25clabq1v2.zip`]);
  });

  it('pages without their links fail closed', () => {
    expect(() => parseClfsFilesPage(html('opps-quarterly-addenda-updates-moved.html'), files, collect().options)).toThrow(
      `${files}: no links to CLFS quarter pages; expected links such as ${files.replace(CMS, '')}/25clabq1`,
    );
    expect(() => parseClfsQuarterPage(html('clfs-25clabq1.html'), `${files}/25clabq2`, '25CLABQ2', collect().options)).toThrow(
      `${files}/25clabq2: no link to the 25CLABQ2 zip; expected a link to /license/ama?file=/files/zip/25clabq2.zip (CMS's CPT-licence page) or to the zip itself`,
    );
  });
});
