import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { hcpcsZipRelease } from '../../pipelines/hcpcs/identity.js';
import { parseHcpcsPage } from '../../pipelines/hcpcs/page.js';
import { parsePfsDetail, parsePfsLanding } from '../../pipelines/pfs/pages.js';
import { parseRvuCode, rvuCodeFromSlug, zipName } from '../../pipelines/pfs/release-name.js';
import { PageStructureError } from '../../src/sources/page-error.js';
import { FIXTURE_SITE, HCPCS_PAGE, PFS_DIR } from '../support/cms-site.js';

const fixture = (path: string) => readFileSync(new URL(`../../fixtures/${path}`, import.meta.url), 'utf8');
const site = (path: string) => readFileSync(`${FIXTURE_SITE}/${path}`, 'utf8');
const CMS = 'https://www.cms.gov';
const LANDING = `${CMS}/${PFS_DIR}`;

function collect() {
  const warnings: string[] = [];
  return { warnings, warn: (message: string) => warnings.push(message) };
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

describe('real CMS detail pages', () => {
  it('reads RVU25A: code from File Name, quarter from the letter, Updated date from the 2025 slash-dated zip URL', () => {
    const { warn, warnings } = collect();
    const pageUrl = `${LANDING}/rvu25a`;
    expect(parsePfsDetail(fixture('pages/rvu25a.html'), pageUrl, { warn })).toEqual({
      code: 'RVU25A',
      year: 2025,
      quarter: 1,
      updated: '2025-01-10',
      pageUrl,
      url: `${CMS}/files/zip/rvu25a-updated-01/10/2025.zip`,
    });
    expect(warnings).toEqual([]);
  });

  it('reads RVU25D from its rvu25d-0 page (the -0 is not part of the code)', () => {
    const { warn } = collect();
    const ref = parsePfsDetail(fixture('pages/rvu25d-0.html'), `${LANDING}/rvu25d-0`, { warn });
    expect(ref).toMatchObject({ code: 'RVU25D', year: 2025, quarter: 4, updated: '2025-09-11', url: `${CMS}/files/zip/rvu25d-updated-09/11/2025.zip` });
  });

  it('maps the zip link to the mirror when the page came from one', () => {
    const { warn } = collect();
    const mirror = 'http://127.0.0.1:3456/cms';
    const ref = parsePfsDetail(fixture('pages/rvu25a.html'), `${mirror}/${PFS_DIR}/rvu25a`, { mirror, warn });
    expect(ref.url).toBe(`${mirror}/files/zip/rvu25a-updated-01/10/2025.zip`);
  });

  it('rejects a page whose File Name does not match its address, naming the page', () => {
    const { warn } = collect();
    const error = structureError(() => parsePfsDetail(fixture('pages/rvu25a.html'), `${LANDING}/rvu25b`, { warn }));
    expect(error.pageUrl).toBe(`${LANDING}/rvu25b`);
    expect(error.message).toContain('File Name RVU25A does not match');
  });
});

describe('detail pages whose structure changed', () => {
  const page = fixture('pages/rvu25a.html');
  const pageUrl = `${LANDING}/rvu25a`;

  it('without a File Name field is an error naming the page and the missing field', () => {
    const { warn } = collect();
    const error = structureError(() => parsePfsDetail(page.replace('>File Name<', '>Archive Name<'), pageUrl, { warn }));
    expect(error.pageUrl).toBe(pageUrl);
    expect(error.problem).toBe('no "File Name" field');
  });

  it('without a zip link in Downloads is an error naming the page and the release', () => {
    const { warn } = collect();
    const changed = page.replace('/files/zip/rvu25a-updated-01/10/2025.zip', '/files/document/rvu25a-readme.pdf');
    const error = structureError(() => parsePfsDetail(changed, pageUrl, { warn }));
    expect(error.pageUrl).toBe(pageUrl);
    expect(error.problem).toBe('no zip link for RVU25A in the Downloads block');
  });

  it('whose only zip link is on another host skips it with a warning, then errors', () => {
    const { warn, warnings } = collect();
    const changed = page.replace('href="/files/zip/rvu25a-updated-01/10/2025.zip"', 'href="https://files.example.net/files/zip/rvu25a.zip"');
    expect(() => parsePfsDetail(changed, pageUrl, { warn })).toThrow(PageStructureError);
    expect(warnings.join('\n')).toContain('https://files.example.net/files/zip/rvu25a.zip');
  });
});

describe('zip names and codes', () => {
  it('reads the Updated date in every URL style CMS has used, and none from a plain name', () => {
    expect(zipName('/files/zip/rvu25a-updated-01/10/2025.zip')).toEqual({ code: 'RVU25A', updated: '2025-01-10' });
    expect(zipName('/files/zip/rvu26a-updated-12-29-2025.zip')).toEqual({ code: 'RVU26A', updated: '2025-12-29' });
    expect(zipName('/files/zip/rvu20a-updated-01312020.zip')).toEqual({ code: 'RVU20A', updated: '2020-01-31' });
    expect(zipName('/files/zip/rvu26a.zip')).toEqual({ code: 'RVU26A', updated: null });
    expect(zipName('/files/zip/rvu24ar1-updated-05-02-2024.zip')).toEqual({ code: 'RVU24AR1', updated: '2024-05-02' });
    expect(zipName('/files/zip/pfrev26c-posted-06-30-2026.zip')).toBeNull();
  });

  it('takes the Updated date from the link text when the URL has none', () => {
    const { warn } = collect();
    const changed = fixture('pages/rvu25a.html').replace('/files/zip/rvu25a-updated-01/10/2025.zip', '/files/zip/rvu25a.zip');
    expect(parsePfsDetail(changed, `${LANDING}/rvu25a`, { warn }).updated).toBe('2025-01-10');
    const plain = changed.replace('RVU25A - Updated 01/10/2025', 'RVU25A');
    expect(parsePfsDetail(plain, `${LANDING}/rvu25a`, { warn }).updated).toBeNull();
  });

  it('derives year and quarter from codes and slugs, corrections included', () => {
    expect(parseRvuCode('RVU26AR')).toEqual({ code: 'RVU26AR', year: 2026, quarter: 1, effectiveFrom: '2026-01-01' });
    expect(parseRvuCode('rvu24ar1')).toEqual({ code: 'RVU24AR1', year: 2024, quarter: 1, effectiveFrom: '2024-01-01' });
    expect(parseRvuCode('RVU25C')).toEqual({ code: 'RVU25C', year: 2025, quarter: 3, effectiveFrom: '2025-07-01' });
    expect(parseRvuCode('RVU12M')).toBeNull();
    expect(rvuCodeFromSlug('rvu25d-0')).toBe('RVU25D');
    expect(rvuCodeFromSlug('pfrev26c')).toBeNull();
  });

  it('names HCPCS releases by month, with plural and annual file names', () => {
    expect(hcpcsZipRelease('january-2026-alpha-numeric-hcpcs-file.zip')).toEqual({ code: 'HCPC2026_JAN', year: 2026, quarter: 1, effectiveFrom: '2026-01-01' });
    expect(hcpcsZipRelease('april-2024-alpha-numeric-hcpcs-files.zip')).toEqual({ code: 'HCPC2024_APR', year: 2024, quarter: 2, effectiveFrom: '2024-04-01' });
    expect(hcpcsZipRelease('October-2023-Alpha-Numeric-HCPCS-Files.zip')).toEqual({ code: 'HCPC2023_OCT', year: 2023, quarter: 4, effectiveFrom: '2023-10-01' });
    expect(hcpcsZipRelease('2020-Alpha-Numeric-HCPCS-File.zip')).toEqual({ code: 'HCPC2020_JAN', year: 2020, quarter: 1, effectiveFrom: '2020-01-01' });
    expect(hcpcsZipRelease('hcpcs-quarterly-notes.zip')).toBeNull();
  });
});

describe('the fixture site pages', () => {
  it('landing page: lists the RVU detail pages, ignores PFREV, menus and other hosts', () => {
    const { warn, warnings } = collect();
    const landing = parsePfsLanding(site(`${PFS_DIR}/index.html`), LANDING, { warn });
    expect(landing.details.map((d) => [d.code, d.slug, d.year, d.url])).toEqual([
      ['RVU26C', 'rvu26c', 2026, `${LANDING}/rvu26c`],
      ['RVU25D', 'rvu25d-0', 2025, `${LANDING}/rvu25d-0`],
      ['RVU24B', 'rvu24b', 2024, `${LANDING}/rvu24b`],
    ]);
    expect(landing.nextPage).toBeNull();
    expect(warnings).toEqual([]);
  });

  it('landing page: a detail link on another host is skipped with a warning', () => {
    const { warn, warnings } = collect();
    const html = site(`${PFS_DIR}/index.html`).replace(`href="/${PFS_DIR}/rvu24b"`, `href="https://cms.example.net/${PFS_DIR}/rvu24b"`);
    const landing = parsePfsLanding(html, LANDING, { warn });
    expect(landing.details.map((d) => d.code)).toEqual(['RVU26C', 'RVU25D']);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(`https://cms.example.net/${PFS_DIR}/rvu24b`);
  });

  it('landing page without detail links is an error naming the page', () => {
    const { warn } = collect();
    const html = site(`${PFS_DIR}/index.html`).replace(/<table[\s\S]*<\/table>/, '<p>This list is being updated.</p>');
    const error = structureError(() => parsePfsLanding(html, LANDING, { warn }));
    expect(error.pageUrl).toBe(LANDING);
    expect(error.problem).toBe('no links to RVU detail pages');
  });

  it('landing page: follows a Drupal pager and reports unknown RVU page names', () => {
    const { warn } = collect();
    const html = site(`${PFS_DIR}/index.html`)
      .replace('</table>', `</table><nav class="pager"><ul><li class="pager__item pager__item--next"><a href="?page=1" rel="next">Next</a></li></ul></nav>`)
      .replace(`href="/${PFS_DIR}/rvu24b"`, `href="/${PFS_DIR}/rvu24m"`);
    const landing = parsePfsLanding(html, LANDING, { warn });
    expect(landing.nextPage).toBe(`${LANDING}?page=1`);
    expect(landing.unrecognised).toEqual([{ url: `${LANDING}/rvu24m`, slug: 'rvu24m', year: 2024 }]);
  });

  it('detail pages: each names its release and zip; RVU26C uses a hyphenated date and its PDF is ignored', () => {
    const { warn } = collect();
    const refs = ['rvu24b', 'rvu25d-0', 'rvu26c'].map((slug) => parsePfsDetail(site(`${PFS_DIR}/${slug}.html`), `${LANDING}/${slug}`, { warn }));
    expect(refs.map((r) => [r.code, r.year, r.quarter, r.updated, r.url])).toEqual([
      ['RVU24B', 2024, 2, '2024-03-18', `${CMS}/files/zip/rvu24b-updated-03/18/2024.zip`],
      ['RVU25D', 2025, 4, '2025-09-11', `${CMS}/files/zip/rvu25d-updated-09/11/2025.zip`],
      ['RVU26C', 2026, 3, '2026-06-30', `${CMS}/files/zip/rvu26c-updated-06-30-2026.zip`],
    ]);
  });

  it('HCPCS page: finds the quarterly and the annual zip', () => {
    const { warn, warnings } = collect();
    const pageUrl = `${CMS}/${HCPCS_PAGE.replace(/\.html$/, '')}`;
    const refs = parseHcpcsPage(site(HCPCS_PAGE), pageUrl, { warn });
    expect(refs).toEqual([
      { code: 'HCPC2020_JAN', year: 2020, quarter: 1, updated: null, pageUrl, url: `${CMS}/files/zip/2020-alpha-numeric-hcpcs-file.zip` },
      { code: 'HCPC2025_OCT', year: 2025, quarter: 4, updated: null, pageUrl, url: `${CMS}/files/zip/october-2025-alpha-numeric-hcpcs-file.zip` },
    ]);
    expect(warnings).toEqual([]);
  });

  it('HCPCS page without an Alpha-Numeric zip link is an error naming the page', () => {
    const { warn } = collect();
    const pageUrl = `${CMS}/${HCPCS_PAGE.replace(/\.html$/, '')}`;
    const html = site(HCPCS_PAGE).replace(/alpha-numeric-hcpcs-file\.zip/g, 'hcpcs.pdf');
    const error = structureError(() => parseHcpcsPage(html, pageUrl, { warn }));
    expect(error.pageUrl).toBe(pageUrl);
    expect(error.problem).toBe('no links to Alpha-Numeric HCPCS zip files');
  });
});
