import { describe, expect, it } from 'vitest';
import { applyMirror, isAllowedUrl, normalizeMirror, resolveLink, toCmsUrl } from '../../src/sources/urls.js';
import { UsageError } from '../../src/errors.js';

const ZIP_2025 = 'https://www.cms.gov/files/zip/rvu25a-updated-01/10/2025.zip';
const PAGE = 'https://www.cms.gov/medicare/payment/fee-schedules/physician/pfs-relative-value-files/rvu25a';

describe('mirror rewriting', () => {
  it('replaces the CMS origin with the mirror, keeping the path (and its slashes) unchanged', () => {
    expect(applyMirror(ZIP_2025, 'http://127.0.0.1:3456/cms')).toBe('http://127.0.0.1:3456/cms/files/zip/rvu25a-updated-01/10/2025.zip');
    expect(applyMirror(ZIP_2025, 'http://127.0.0.1:3456/cms/')).toBe('http://127.0.0.1:3456/cms/files/zip/rvu25a-updated-01/10/2025.zip');
    expect(applyMirror(ZIP_2025, 'https://mirror.example.org')).toBe('https://mirror.example.org/files/zip/rvu25a-updated-01/10/2025.zip');
    expect(applyMirror(ZIP_2025)).toBe(ZIP_2025);
  });

  it('maps mirror URLs back to CMS URLs', () => {
    expect(toCmsUrl('http://127.0.0.1:3456/cms/files/zip/a.zip', 'http://127.0.0.1:3456/cms')).toBe('https://www.cms.gov/files/zip/a.zip');
    expect(toCmsUrl('http://127.0.0.1:3456/other/a.zip', 'http://127.0.0.1:3456/cms')).toBe('http://127.0.0.1:3456/other/a.zip');
  });

  it('rejects a mirror that is not an http(s) URL as a usage error', () => {
    expect(() => normalizeMirror('ftp://mirror/cms')).toThrow(new UsageError('--mirror ftp://mirror/cms must be an http or https URL'));
    expect(() => normalizeMirror('not a url')).toThrow(new UsageError('--mirror not a url is not a URL; expected e.g. http://127.0.0.1:3456/cms'));
    expect(() => normalizeMirror('ftp://mirror/cms')).toThrow(UsageError);
  });
});

describe('allowed hosts', () => {
  it('allows only https://www.cms.gov without a mirror', () => {
    expect(isAllowedUrl(ZIP_2025)).toBe(true);
    expect(isAllowedUrl('http://www.cms.gov/files/zip/a.zip')).toBe(false);
    expect(isAllowedUrl('https://cms.gov.evil.example/files/zip/a.zip')).toBe(false);
    expect(isAllowedUrl('https://www.cms.gov:8443/files/zip/a.zip')).toBe(false);
    expect(isAllowedUrl('https://user:pw@www.cms.gov/files/zip/a.zip')).toBe(false);
  });

  it('allows only the mirror origin and prefix with a mirror (not even www.cms.gov)', () => {
    const mirror = 'http://127.0.0.1:3456/cms';
    expect(isAllowedUrl('http://127.0.0.1:3456/cms/files/zip/a.zip', mirror)).toBe(true);
    expect(isAllowedUrl('http://127.0.0.1:3456/cmsx/files/zip/a.zip', mirror)).toBe(false);
    expect(isAllowedUrl('http://127.0.0.1:3456/files/zip/a.zip', mirror)).toBe(false);
    expect(isAllowedUrl('http://127.0.0.1:9999/cms/files/zip/a.zip', mirror)).toBe(false);
    expect(isAllowedUrl(ZIP_2025, mirror)).toBe(false);
  });
});

describe('links found on pages', () => {
  const collect = () => {
    const warnings: string[] = [];
    return { warnings, warn: (message: string) => warnings.push(message) };
  };

  it('resolves a root-relative href on a mirrored page under the mirror prefix', () => {
    const { warn, warnings } = collect();
    const mirror = 'http://127.0.0.1:3456/cms';
    const page = applyMirror(PAGE, mirror);
    expect(resolveLink('/files/zip/rvu25a-updated-01/10/2025.zip', page, { mirror, warn })).toBe(
      'http://127.0.0.1:3456/cms/files/zip/rvu25a-updated-01/10/2025.zip',
    );
    expect(resolveLink('rvu25b', page, { mirror, warn })).toBe('http://127.0.0.1:3456/cms/medicare/payment/fee-schedules/physician/pfs-relative-value-files/rvu25b');
    expect(warnings).toEqual([]);
  });

  it('rewrites absolute www.cms.gov links (also http://) to the mirror', () => {
    const { warn } = collect();
    const mirror = 'http://127.0.0.1:3456/cms';
    expect(resolveLink('https://www.cms.gov/files/zip/a.zip', applyMirror(PAGE, mirror), { mirror, warn })).toBe('http://127.0.0.1:3456/cms/files/zip/a.zip');
    expect(resolveLink('http://www.cms.gov/files/zip/a.zip#top', PAGE, { warn })).toBe('https://www.cms.gov/files/zip/a.zip');
  });

  it('skips a link to another host with a warning that names it and the page', () => {
    const { warn, warnings } = collect();
    expect(resolveLink('https://downloads.example.net/rvu25a.zip', PAGE, { warn })).toBeNull();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('https://downloads.example.net/rvu25a.zip');
    expect(warnings[0]).toContain(PAGE);
  });

  it('ignores mailto: and javascript: links without a warning', () => {
    const { warn, warnings } = collect();
    expect(resolveLink('mailto:someone@cms.hhs.gov', PAGE, { warn })).toBeNull();
    expect(resolveLink('javascript:void(0)', PAGE, { warn })).toBeNull();
    expect(warnings).toEqual([]);
  });
});
