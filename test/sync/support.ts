/**
 * For the sync and schedule tests: a throw-away copy of fixtures/cms-site with its real release
 * zips (so that what sync downloads really loads), served by the fault-injecting test server.
 */
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { zipSync } from 'fflate';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { importSetup } from '../../src/index.js';
import type { HttpClientOptions } from '../../src/sources/index.js';
import { startCmsServer, type CmsServer } from '../support/cms-server.js';
import { FIXTURE_SITE, HCPCS_PAGE, PFS_DIR, SITE_ZIPS } from '../support/cms-site.js';
import { scratchDir, zipMembers } from '../support/fixtures.js';
import { seedEmbeddedHome } from '../support/cli-main.js';
import { openTestDatabase, resetDatabase, type Backend, type TestDatabase } from '../support/db.js';

export { HCPCS_PAGE, PFS_DIR, SITE_ZIPS };
/** the families and load steps of this build, as src/index.ts composes them */
export const IMPORT_SETUP = importSetup;

/** Every release of the fixture site, in load order (year, quarter, code). */
export const ALL_CODES = ['HCPC2020_JAN', 'RVU24B', '25CLABQ1', 'ASP2025_JAN', 'OPPS2025_JAN', 'HCPC2025_OCT', 'RVU25D', 'RVU26C'];
/** The releases of the OPPS, ASP and CLFS pages (all January 2025), in load order. */
export const FEE_SCHEDULE_CODES = ['25CLABQ1', 'ASP2025_JAN', 'OPPS2025_JAN'];
/** ALL_CODES without some. */
export const allCodesBut = (...left: string[]) => ALL_CODES.filter((code) => !left.includes(code));

/** Retries short enough for tests; timeouts long enough for a loaded machine (tests of a stall set their own). */
export const FAST_HTTP: HttpClientOptions = { retries: 2, retryBaseMs: 10, retryMaxMs: 40, bodyTimeoutMs: 5_000, headersTimeoutMs: 5_000 };

export interface SyncSite {
  root: string;
  server: CmsServer;
  /** the mirror URL (with the server's /cms prefix) */
  mirror: string;
  cacheDir: string;
  put(path: string, bytes: Uint8Array | string): Promise<void>;
  edit(path: string, from: string | RegExp, to: string): Promise<void>;
  /** requests for zips, in order */
  zipRequests(): CmsServer['requests'];
  close(): Promise<void>;
}

export async function startSyncSite(): Promise<SyncSite> {
  const root = await mkdtemp(join(tmpdir(), 'cms-sync-site-'));
  const cacheDir = await mkdtemp(join(tmpdir(), 'cms-sync-cache-'));
  await cp(FIXTURE_SITE, root, { recursive: true });
  const server = await startCmsServer({ root, prefix: '/cms' });
  const put = async (path: string, bytes: Uint8Array | string) => {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), bytes);
  };
  return {
    root,
    server,
    mirror: server.url,
    cacheDir,
    put,
    async edit(path, from, to) {
      const text = await readFile(join(root, path), 'utf8');
      const changed = text.replace(from, to);
      if (changed === text) throw new Error(`edit of ${path} changed nothing`);
      await writeFile(join(root, path), changed);
    },
    zipRequests: () => server.requests.filter((request) => request.path.endsWith('.zip')),
    async close() {
      await server.close();
      await rm(root, { recursive: true, force: true });
      await rm(cacheDir, { recursive: true, force: true });
    },
  };
}

/** The same members as a site zip, stored instead of deflated: new bytes, the same data (a re-post). */
export async function repackaged(site: SyncSite, path: string): Promise<Uint8Array> {
  const members = await zipMembers(join(site.root, path));
  return zipSync(members, { level: 0 });
}

/** The URL of a site path on www.cms.gov (what sync records as releases.source_url). */
export const cmsUrl = (path: string) => `https://www.cms.gov/${path}`;

export { seedEmbeddedHome } from '../support/cli-main.js';

/** A sync site and an embedded home seeded from the migrated snapshot, for a describe block: made before its tests, the site closed after. */
export function useSiteAndHome(): { readonly site: SyncSite; readonly home: string } {
  let site: SyncSite | undefined;
  let home: string | undefined;
  beforeAll(async () => {
    site = await startSyncSite();
    home = join(await scratchDir(), 'home');
    await seedEmbeddedHome(home);
  });
  afterAll(() => site?.close());
  return {
    get site() {
      return site!;
    },
    get home() {
      return home!;
    },
  };
}

/**
 * A test database for the describe block, reset before each test, and a fresh sync site for
 * each test (closed after the test's own afterEach hooks have run).
 */
export function useDatabaseAndSite(backend: Backend): { readonly test: TestDatabase; readonly site: SyncSite } {
  let test: TestDatabase | undefined;
  let site: SyncSite | undefined;
  beforeAll(async () => {
    test = await openTestDatabase(backend);
  });
  afterAll(() => test?.close());
  beforeEach(async () => {
    await resetDatabase(test!.database);
    site = await startSyncSite();
  });
  afterEach(() => site?.close());
  return {
    get test() {
      return test!;
    },
    get site() {
      return site!;
    },
  };
}
