/**
 * sync through the programmatic API, against a real local HTTP server serving a copy of the
 * miniature CMS site, on PGlite and (with TEST_DATABASE_URL) PostgreSQL.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { sql } from 'kysely';
import { beforeEach, describe, expect, it } from 'vitest';
import { LockHeldError } from '../../src/errors.js';
import { openPostgres } from '../../src/db/postgres.js';
import { syncReleases, type SyncEvent, type SyncOptions, type SyncResult } from '../../src/sync/sync.js';
import { createHttpClient, type HttpClient } from '../../src/sources/index.js';
import { backends } from '../support/db.js';
import { fixture, writeZip, zipMembers } from '../support/fixtures.js';
import { ALL_CODES, allCodesBut, FEE_SCHEDULE_CODES, FAST_HTTP, HCPCS_PAGE, PFS_DIR, IMPORT_SETUP, SITE_ZIPS, cmsUrl, useDatabaseAndSite } from './support.js';

describe.each(backends)('sync on %s', (backend) => {
  const shared = useDatabaseAndSite(backend);
  let events: SyncEvent[];
  beforeEach(() => {
    events = [];
  });

  const db = () => shared.test.database.db;
  const sync = (options: Partial<SyncOptions> = {}, database = shared.test.database): Promise<SyncResult> =>
    syncReleases(database, IMPORT_SETUP, {
      mirror: shared.site.mirror,
      since: 2000,
      cacheDir: shared.site.cacheDir,
      http: FAST_HTTP,
      onEvent: (event) => events.push(event),
      ...options,
    });
  const byCode = (result: SyncResult) => Object.fromEntries(result.outcomes.map((o) => [o.code, o]));
  const releases = () =>
    db().selectFrom('cms.releases').select(['code', 'revision', 'status', 'source_url', 'source_name']).orderBy('code').orderBy('revision').execute();
  const runCount = async () => Number((await sql<{ n: string }>`select count(*) as n from cms.import_runs`.execute(db())).rows[0]!.n);

  it('discovers every release, downloads them, and loads them in order of effective date', async () => {
    const result = await sync();
    expect(result).toMatchObject({ ok: true, aborted: false, dryRun: false, since: 2000, families: ['pfs', 'hcpcs', 'opps', 'asp', 'clfs'] });
    expect(result.outcomes.map((o) => [o.code, o.fetch, o.load, o.revision])).toEqual(ALL_CODES.map((code) => [code, 'downloaded', 'loaded', 0]));
    expect(result.counts).toMatchObject({ discovered: 8, downloaded: 8, notModified: 0, loaded: 8, unchanged: 0, failed: 0, pageErrors: 0 });
    // loads happen one at a time, in order
    const loadOrder = events.filter((e) => e.type === 'load-start').map((e) => (e as { release: { code: string } }).release.code);
    expect(loadOrder).toEqual(ALL_CODES);
    // the source URL is the file on www.cms.gov (not the mirror), and the archive keeps CMS's name
    expect(await releases()).toEqual([
      { code: '25CLABQ1', revision: 0, status: 'active', source_url: cmsUrl(SITE_ZIPS['25CLABQ1']), source_name: '25clabq1.zip' },
      { code: 'ASP2025_JAN', revision: 0, status: 'active', source_url: cmsUrl(SITE_ZIPS.ASP2025_JAN), source_name: 'january-2025-asp-pricing-file-12-19-24-final-file.zip' },
      { code: 'HCPC2020_JAN', revision: 0, status: 'active', source_url: cmsUrl(SITE_ZIPS.HCPC2020_JAN), source_name: '2020-alpha-numeric-hcpcs-file.zip' },
      { code: 'HCPC2025_OCT', revision: 0, status: 'active', source_url: cmsUrl(SITE_ZIPS.HCPC2025_OCT), source_name: 'october-2025-alpha-numeric-hcpcs-file.zip' },
      { code: 'OPPS2025_JAN', revision: 0, status: 'active', source_url: cmsUrl(SITE_ZIPS.OPPS2025_JAN), source_name: 'january-2025-addendum-b.zip' },
      { code: 'RVU24B', revision: 0, status: 'active', source_url: cmsUrl(SITE_ZIPS.RVU24B), source_name: 'rvu24b-updated-03-18-2024.zip' },
      { code: 'RVU25D', revision: 0, status: 'active', source_url: cmsUrl(SITE_ZIPS.RVU25D), source_name: 'rvu25d-updated-09-11-2025.zip' },
      { code: 'RVU26C', revision: 0, status: 'active', source_url: cmsUrl(SITE_ZIPS.RVU26C), source_name: 'rvu26c-updated-06-30-2026.zip' },
    ]);
    expect(byCode(result).RVU25D).toMatchObject({ rows: 52 + 14 + 15 + 14 + 30, url: cmsUrl(SITE_ZIPS.RVU25D), updated: '2025-09-11' });
  });

  it('a release URL that redirects: the outcome and the fetched event say the URL that answered; releases.source_url, import_runs.source and the cache keep the page\'s link', async () => {
    // CMS moved the file: the page still links the old path, which answers 301 to the new one
    const moved = 'files/zip/moved/rvu25d-updated-09-11-2025.zip';
    await shared.site.put(moved, await readFile(join(shared.site.root, SITE_ZIPS.RVU25D)));
    shared.site.server.setFault(`/${SITE_ZIPS.RVU25D}`, { kind: 'status', status: 301, headers: { location: `https://www.cms.gov/${moved}` }, times: Infinity });
    const result = await sync({ families: ['pfs'] });
    expect(result.ok).toBe(true);
    expect(byCode(result).RVU25D).toMatchObject({ fetch: 'downloaded', load: 'loaded', url: cmsUrl(SITE_ZIPS.RVU25D), finalUrl: cmsUrl(moved) });
    // without a redirect the two are the same
    expect(byCode(result).RVU24B).toMatchObject({ url: cmsUrl(SITE_ZIPS.RVU24B), finalUrl: cmsUrl(SITE_ZIPS.RVU24B) });
    expect(events.find((event) => event.type === 'fetched' && event.release.code === 'RVU25D')).toMatchObject({ finalUrl: cmsUrl(moved) });
    expect((await releases()).find((release) => release.code === 'RVU25D')).toMatchObject({
      // the page's link and the name it gives the file (release identity), not the redirect target's
      source_url: cmsUrl(SITE_ZIPS.RVU25D),
      source_name: 'rvu25d-updated-09-11-2025.zip',
    });
    const runs = await db().selectFrom('cms.import_runs').select(['source', 'release_code']).where('release_code', '=', 'RVU25D').execute();
    expect(runs).toEqual([{ source: cmsUrl(SITE_ZIPS.RVU25D), release_code: 'RVU25D' }]);
    // the cache index is keyed by the URL requested (the page's link): the next run asks it conditionally, through the redirect
    const index = JSON.parse(await readFile(join(shared.site.cacheDir, 'index.json'), 'utf8')) as { entries: Record<string, unknown> };
    expect(Object.keys(index.entries)).toContain(`${shared.site.mirror}/${SITE_ZIPS.RVU25D}`);
    expect(Object.keys(index.entries)).not.toContain(`${shared.site.mirror}/${moved}`);
    const again = await sync({ families: ['pfs'] });
    expect(byCode(again).RVU25D).toMatchObject({ fetch: 'not-modified', load: 'unchanged', finalUrl: cmsUrl(moved) });
    expect(shared.site.server.requests.filter((request) => request.path === `/${moved}`).map((request) => request.status)).toEqual([200, 304]);
  });

  it('run again at once: a conditional request per file, no body, nothing loaded', async () => {
    await sync();
    const runsBefore = await runCount();
    const requestsBefore = shared.site.server.requests.length;
    const again = await sync();
    expect(again.ok).toBe(true);
    expect(again.outcomes.map((o) => [o.code, o.fetch, o.load, o.revision])).toEqual(ALL_CODES.map((code) => [code, 'not-modified', 'unchanged', 0]));
    expect(again.counts).toMatchObject({ downloaded: 0, notModified: 8, loaded: 0, unchanged: 8, bytes: 0 });
    const zips = shared.site.server.requests.slice(requestsBefore).filter((r) => r.path.endsWith('.zip'));
    expect(zips).toHaveLength(8);
    for (const request of zips) {
      expect(request.status).toBe(304);
      expect(request.bodyBytes).toBe(0);
      expect(request.headers['if-none-match']).toMatch(/^"[0-9a-f]{16}"$/);
    }
    // skipped before the importer: not even an import run was recorded
    expect(await runCount()).toBe(runsBefore);
  });

  it('a re-post (new Updated date, new bytes) becomes revision 1 and supersedes revision 0', async () => {
    await sync({ families: ['pfs'] });
    const reposted = 'files/zip/rvu25d-updated-10/02/2025.zip';
    // A real re-post changes a file (a repackaged zip of the same files is unchanged: by content).
    const members = await zipMembers(join(shared.site.root, SITE_ZIPS.RVU25D));
    const csv = Buffer.from(members['PPRRVU2025_Oct.csv']!).toString('latin1');
    members['PPRRVU2025_Oct.csv'] = new Uint8Array(Buffer.from(csv.replace('CPT descriptor withheld 99213', 'CPT descriptor withheld 99213 (corrected)'), 'latin1'));
    await shared.site.put(reposted, zipSync(members, { level: 0 }));
    await shared.site.edit(`${PFS_DIR}/rvu25d-0.html`, /rvu25d-updated-09\/11\/2025\.zip(.*)Updated 09\/11\/2025/s, 'rvu25d-updated-10/02/2025.zip$1Updated 10/02/2025');

    const result = await sync({ families: ['pfs'] });
    expect(result.ok).toBe(true);
    expect(byCode(result).RVU25D).toMatchObject({ fetch: 'downloaded', load: 'loaded', revision: 1, supersedes: 0, updated: '2025-10-02' });
    expect(byCode(result).RVU24B).toMatchObject({ fetch: 'not-modified', load: 'unchanged' });
    const rvu25d = (await releases()).filter((r) => r.code === 'RVU25D');
    expect(rvu25d).toMatchObject([
      { revision: 0, status: 'superseded', source_url: cmsUrl(SITE_ZIPS.RVU25D) },
      { revision: 1, status: 'active', source_url: cmsUrl(reposted), source_name: 'rvu25d-updated-10-02-2025.zip' },
    ]);
    const links = await db().selectFrom('cms.releases').select(['id', 'revision', 'superseded_by']).where('code', '=', 'RVU25D').orderBy('revision').execute();
    expect(links).toEqual([
      { id: links[0]!.id, revision: 0, superseded_by: links[1]!.id },
      { id: links[1]!.id, revision: 1, superseded_by: null },
    ]);
  });

  it('a re-post with the same bytes is downloaded, then skipped without opening a transaction', async () => {
    await sync({ families: ['pfs'] });
    const runsBefore = await runCount();
    await shared.site.put('files/zip/rvu24b-updated-04/01/2024.zip', await readFile(fixture('pfs', 'zips', 'rvu24b.zip')));
    await shared.site.edit(`${PFS_DIR}/rvu24b.html`, 'rvu24b-updated-03/18/2024.zip', 'rvu24b-updated-04/01/2024.zip');
    const result = await sync({ families: ['pfs'] });
    expect(byCode(result).RVU24B).toMatchObject({ fetch: 'downloaded', load: 'unchanged', revision: 0 });
    expect(result.counts.loaded).toBe(0);
    expect(await runCount()).toBe(runsBefore);
  });

  it('retries an HTTP 500, then loads', async () => {
    shared.site.server.setFault(`/${SITE_ZIPS.RVU25D}`, { kind: 'status', status: 500 });
    const result = await sync({ families: ['pfs'] });
    expect(result.ok).toBe(true);
    expect(byCode(result).RVU25D).toMatchObject({ fetch: 'downloaded', load: 'loaded' });
    expect(shared.site.zipRequests().filter((r) => r.path === `/${SITE_ZIPS.RVU25D}`).map((r) => r.status)).toEqual([500, 200]);
    // the URL requested (the mirror's), and the www.cms.gov file it stands for
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'retry', url: `${shared.site.mirror}/${SITE_ZIPS.RVU25D}`, cmsUrl: cmsUrl(SITE_ZIPS.RVU25D), problem: 'HTTP 500 Internal Server Error' }),
    );
  });

  it('retries a connection reset mid-body, and a body shorter than its Content-Length, then loads', async () => {
    shared.site.server.setFault(`/${SITE_ZIPS.RVU25D}`, { kind: 'reset', afterBytes: 20_000 });
    shared.site.server.setFault(`/${SITE_ZIPS.RVU24B}`, { kind: 'short', bytes: 30_000 });
    const result = await sync({ families: ['pfs'] });
    expect(result.ok).toBe(true);
    expect(byCode(result).RVU25D).toMatchObject({ fetch: 'downloaded', load: 'loaded' });
    expect(byCode(result).RVU24B).toMatchObject({ fetch: 'downloaded', load: 'loaded' });
    const problems = events.filter((e) => e.type === 'retry').map((e) => (e as { problem: string }).problem);
    expect(problems).toEqual(expect.arrayContaining([expect.stringMatching(/body cut short.*after 20000 of \d+ bytes/), expect.stringMatching(/(body cut short|Content-Length).*30000/)]));
    expect(await releases()).toHaveLength(3);
  });

  it('gives up on a response that never ends (idle timeout); that release fails, the others load', async () => {
    shared.site.server.setFault(`/${SITE_ZIPS.RVU26C}`, { kind: 'hang', afterBytes: 1_000, times: Infinity });
    const result = await sync({ families: ['pfs'], http: { ...FAST_HTTP, retries: 1, bodyTimeoutMs: 300 } });
    expect(result.ok).toBe(false);
    expect(byCode(result).RVU26C).toMatchObject({ fetch: 'failed', load: 'pending', failedAt: 'download' });
    expect(byCode(result).RVU26C!.error).toMatch(/^RVU26C: .*rvu26c-updated-06-30-2026\.zip: body stalled: no data for 300 ms/);
    expect(byCode(result).RVU26C!.error).toContain('gave up after 2 attempts');
    expect((await releases()).map((r) => r.code)).toEqual(['RVU24B', 'RVU25D']);
  });

  it('a 404 zip link: that release fails at once (no retry), the others load', async () => {
    await shared.site.edit(`${PFS_DIR}/rvu24b.html`, 'rvu24b-updated-03/18/2024.zip', 'rvu24b-updated-03/19/2024.zip');
    const result = await sync();
    expect(result.ok).toBe(false);
    expect(byCode(result).RVU24B).toMatchObject({ fetch: 'failed', load: 'pending', failedAt: 'download' });
    expect(byCode(result).RVU24B!.error).toMatch(/HTTP 404 Not Found/);
    expect(shared.site.zipRequests().filter((r) => r.path.includes('rvu24b'))).toHaveLength(1);
    expect(result.counts).toMatchObject({ loaded: 7, failed: 1 });
  });

  it('a release that does not load (bad data in the zip) fails with the file named; the others load', async () => {
    const broken = await writeZip(shared.site.root, SITE_ZIPS.RVU26C, {
      'PPRRVU2026_Jul_nonQPP.csv': 'HCPCS,MOD,DESCRIPTION,SOMETHING ELSE\r\n99213,,Office visit,1\r\n',
    });
    expect(broken).toContain('rvu26c');
    const result = await sync({ families: ['pfs'] });
    expect(result.ok).toBe(false);
    expect(byCode(result).RVU26C).toMatchObject({ fetch: 'downloaded', load: 'failed', failedAt: 'load' });
    expect(byCode(result).RVU26C!.error).toContain('rvu26c-updated-06-30-2026.zip:PPRRVU2026_Jul_nonQPP.csv');
    expect((await releases()).map((r) => r.code)).toEqual(['RVU24B', 'RVU25D']);
    const failedRun = await db().selectFrom('cms.import_runs').select(['outcome', 'source']).where('outcome', '=', 'failed').execute();
    expect(failedRun).toEqual([{ outcome: 'failed', source: cmsUrl(SITE_ZIPS.RVU26C) }]);
  });

  it('a detail page whose structure changed is reported with the page named; everything else loads', async () => {
    await shared.site.edit(`${PFS_DIR}/rvu25d-0.html`, /<h2 class="field__label block-title-icon">.*?Downloads<\/h2>/s, '<h2>Files</h2>');
    await shared.site.edit(`${PFS_DIR}/rvu25d-0.html`, /<a href="\/files\/zip\/[^"]+"[^>]*>[^<]*<\/a>/, 'coming soon');
    const result = await sync();
    expect(result.ok).toBe(false);
    const pageErrors = result.outcomes.filter((o) => o.failedAt === 'discover');
    expect(pageErrors).toHaveLength(1);
    expect(pageErrors[0]).toMatchObject({ family: 'pfs', code: null, page: cmsUrl(`${PFS_DIR}/rvu25d-0`) });
    expect(pageErrors[0]!.error).toContain(`${PFS_DIR}/rvu25d-0`);
    expect(result.outcomes.filter((o) => o.code !== null).map((o) => [o.code, o.load])).toEqual(
      allCodesBut('RVU25D').map((code) => [code, 'loaded']),
    );
  });

  it('a family whose page fails is reported; the other family still syncs', async () => {
    await shared.site.edit(HCPCS_PAGE, /<a href="\/files\/zip\/[^"]*hcpcs[^"]*"/g, '<a href="/files/document/moved.pdf"');
    const result = await sync();
    expect(result.ok).toBe(false);
    expect(result.counts).toMatchObject({ pageErrors: 1, loaded: 6, failed: 0 });
    expect(result.outcomes[0]).toMatchObject({ family: 'hcpcs', failedAt: 'discover' });
    expect(result.outcomes[0]!.error).toMatch(/no links to Alpha-Numeric HCPCS zip files/);
  });

  it('skips a link to a foreign host with a warning, and never requests it', async () => {
    // an extra HCPCS zip on another host: skipped, the rest syncs as usual
    await shared.site.edit(HCPCS_PAGE, '<li class="field__item"><a href="/files/zip/october', '<li class="field__item"><a href="https://downloads.example.net/files/zip/january-2026-alpha-numeric-hcpcs-file.zip">January 2026</a></li><li class="field__item"><a href="/files/zip/october');
    // the only zip link of a detail page on another host: skipped, and that page has no release to offer
    await shared.site.edit(`${PFS_DIR}/rvu24b.html`, 'href="/files/zip/rvu24b-updated-03/18/2024.zip"', 'href="https://downloads.example.net/files/zip/rvu24b-updated-03/18/2024.zip"');
    const requested: string[] = [];
    const inner = createHttpClient({ ...FAST_HTTP, mirror: shared.site.mirror });
    const recording: HttpClient = {
      get: (url, options) => (requested.push(url), inner.get(url, options)),
      getText: (url, options) => (requested.push(url), inner.getText(url, options)),
      close: () => inner.close(),
    };
    try {
      const result = await sync({ http: recording });
      expect(result.warnings.filter((w) => w.includes('skipped link to https://downloads.example.net/'))).toHaveLength(2);
      expect(requested.filter((url) => !url.startsWith(shared.site.mirror))).toEqual([]);
      expect(result.outcomes.filter((o) => o.code !== null).map((o) => [o.code, o.load])).toEqual(
        allCodesBut('RVU24B').map((code) => [code, 'loaded']),
      );
      const pageError = result.outcomes.find((o) => o.failedAt === 'discover');
      expect(pageError).toMatchObject({ family: 'pfs', page: cmsUrl(`${PFS_DIR}/rvu24b`) });
    } finally {
      await inner.close();
    }
  });

  it('never runs two syncs at once: the second finds the lock held, the first loads everything', async () => {
    // hold the first sync inside its download of RVU25D
    let release!: () => void;
    const paused = new Promise<void>((resolve) => (release = resolve));
    shared.site.server.setFault(`/${SITE_ZIPS.RVU25D}`, { kind: 'pause', afterBytes: 1_000, until: paused });
    const first = sync({ families: ['pfs'] });
    while (!shared.site.zipRequests().some((r) => r.path === `/${SITE_ZIPS.RVU25D}`)) await new Promise((r) => setTimeout(r, 10));

    // on Postgres another connection pool (as another process or machine would have); on PGlite the same database
    const other = backend === 'postgres' ? await openPostgres(shared.test.url!) : shared.test.database;
    try {
      const error = await sync({ families: ['pfs'] }, other).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(LockHeldError);
      expect((error as Error).message).toMatch(/another cms-ingest sync is running/);
    } finally {
      if (other !== shared.test.database) await other.close();
    }
    release();
    const result = await first;
    expect(result.counts.loaded).toBe(3);
    expect(await releases()).toHaveLength(3);
  });

  it('an abort during a load rolls it back: nothing partial; the next run completes', async () => {
    const controller = new AbortController();
    const result = await sync({
      families: ['pfs'],
      signal: controller.signal,
      onEvent: (event) => {
        events.push(event);
        if (event.type === 'load-progress' && event.release.code === 'RVU25D') controller.abort(new Error('interrupted by SIGTERM'));
      },
    });
    expect(result).toMatchObject({ aborted: true, ok: false });
    expect(byCode(result).RVU24B).toMatchObject({ load: 'loaded' });
    expect(byCode(result).RVU25D).toMatchObject({ load: 'failed', failedAt: 'load' });
    expect(byCode(result).RVU25D!.error).toMatch(/interrupted \(interrupted by SIGTERM\): the load was rolled back/);
    expect(byCode(result).RVU26C).toMatchObject({ load: 'pending' });
    expect((await releases()).map((r) => r.code)).toEqual(['RVU24B']);
    const rows = await sql<{ n: string }>`select count(*) as n from cms.pfs_rvu r join cms.releases x on x.id = r.release_id where x.code = 'RVU25D'`.execute(db());
    expect(Number(rows.rows[0]!.n)).toBe(0);

    const next = await sync({ families: ['pfs'] });
    expect(next.ok).toBe(true);
    expect(next.outcomes.map((o) => [o.code, o.load])).toEqual([['RVU24B', 'unchanged'], ['RVU25D', 'loaded'], ['RVU26C', 'loaded']]);
    // RVU25D came from the cache: its bytes were downloaded before the abort
    expect(byCode(next).RVU25D!.fetch).toBe('not-modified');
  });

  it('--dry-run lists what would be fetched without downloading or loading anything', async () => {
    const before = await sync({ dryRun: true });
    expect(before.outcomes.map((o) => [o.code, o.fetch, o.load])).toEqual(ALL_CODES.map((code) => [code, 'pending', 'pending']));
    expect(shared.site.zipRequests()).toEqual([]);
    expect(await releases()).toEqual([]);

    await sync({ families: ['hcpcs'] });
    const after = await sync({ dryRun: true });
    expect(after.outcomes.map((o) => [o.code, o.fetch, o.load])).toEqual([
      ['HCPC2020_JAN', 'cached', 'unchanged'],
      ['RVU24B', 'pending', 'pending'],
      ...FEE_SCHEDULE_CODES.map((code) => [code, 'pending', 'pending']),
      ['HCPC2025_OCT', 'cached', 'unchanged'],
      ['RVU25D', 'pending', 'pending'],
      ['RVU26C', 'pending', 'pending'],
    ]);
  });

  it('--since and --family narrow what is fetched', async () => {
    const result = await sync({ families: ['pfs'], since: 2025 });
    expect(result.outcomes.map((o) => o.code)).toEqual(['RVU25D', 'RVU26C']);
    expect(shared.site.server.requests.map((r) => r.path)).not.toContain(`/${HCPCS_PAGE.replace('.html', '')}`);
    expect(shared.site.server.requests.map((r) => r.path)).not.toContain(`/${PFS_DIR}/rvu24b`);
  });
});
