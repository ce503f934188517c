/**
 * A throw-away copy of fixtures/cms-site with small zips at the paths its pages link, so a test
 * can change pages and files (a re-post, a broken page) without touching the fixture.
 */
import { createHash } from 'node:crypto';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { zipSync } from 'fflate';

export const FIXTURE_SITE = fileURLToPath(new URL('../../fixtures/cms-site', import.meta.url));

export const PFS_DIR = 'medicare/payment/fee-schedules/physician/pfs-relative-value-files';
export const HCPCS_PAGE = 'medicare/coding-billing/healthcare-common-procedure-system/quarterly-update.html';

/** The zips the fixture pages link, by release code (site paths, no leading slash). */
export const SITE_ZIPS = {
  RVU24B: 'files/zip/rvu24b-updated-03/18/2024.zip',
  RVU25D: 'files/zip/rvu25d-updated-09/11/2025.zip',
  RVU26C: 'files/zip/rvu26c-updated-06-30-2026.zip',
  HCPC2025_OCT: 'files/zip/october-2025-alpha-numeric-hcpcs-file.zip',
  HCPC2020_JAN: 'files/zip/2020-alpha-numeric-hcpcs-file.zip',
  OPPS2025_JAN: 'files/zip/january-2025-addendum-b.zip',
  ASP2025_JAN: 'files/zip/january-2025-asp-pricing-file-12-19-24-final-file.zip',
  '25CLABQ1': 'files/zip/25clabq1.zip',
} as const;

/**
 * A small real zip: one stored (uncompressed) member of `size` deterministic pseudo-random bytes,
 * so the archive is about as large as `size` and a fault after N bytes lands mid-body.
 */
export function testZip(seed: string, size = 4096): Uint8Array {
  const content = new Uint8Array(size);
  let block = createHash('sha256').update(seed).digest();
  for (let offset = 0; offset < size; offset += block.length) {
    content.set(block.subarray(0, Math.min(block.length, size - offset)), offset);
    block = createHash('sha256').update(block).digest();
  }
  return zipSync({ [`${seed}.txt`]: content }, { level: 0 });
}

export interface TestSite {
  root: string;
  /** write bytes at a site path (folders created) */
  put(path: string, bytes: Uint8Array | string): Promise<void>;
  read(path: string): Promise<string>;
  /** replace text in a site file */
  edit(path: string, from: string | RegExp, to: string): Promise<void>;
  cleanup(): Promise<void>;
}

/** Copy the fixture site to a temp folder and put a test zip (`size` bytes of content) behind every zip link. */
export async function makeTestSite(size = 4096): Promise<TestSite> {
  const root = await mkdtemp(join(tmpdir(), 'cms-site-'));
  await cp(FIXTURE_SITE, root, { recursive: true });
  const put = async (path: string, bytes: Uint8Array | string) => {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), bytes);
  };
  for (const [code, path] of Object.entries(SITE_ZIPS)) await put(path, testZip(code, size));
  return {
    root,
    put,
    read: (path) => readFile(join(root, path), 'utf8'),
    edit: async (path, from, to) => {
      const text = await readFile(join(root, path), 'utf8');
      const changed = text.replace(from, to);
      if (changed === text) throw new Error(`edit of ${path} changed nothing`);
      await writeFile(join(root, path), changed);
    },
    cleanup: () => rm(root, { recursive: true, force: true }),
  };
}
