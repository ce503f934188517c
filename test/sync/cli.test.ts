/**
 * `cms-ingest sync` as a process: exit codes, the lock between two processes (the lock file on the
 * embedded database, the advisory lock on PostgreSQL), and SIGTERM in the middle of a load. What
 * a run prints and its exit code alone (nothing to do, a release that fails) go through the CLI's
 * entry function in this process (test/support/cli-main.ts).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncOptionsOf } from '../../src/cli/commands/sync.js';
import { Output } from '../../src/cli/output.js';
import type { Database } from '../../src/db/database.js';
import { advisoryKey } from '../../src/db/pool.js';
import { openEmbedded } from '../../src/db/pglite.js';
import { openPostgres } from '../../src/db/postgres.js';
import { UsageError } from '../../src/errors.js';
import { writeBigRelease } from '../support/big-release.js';
import { PROCESS_TEST_TIMEOUT_MS, startCli, waitForStderr, waitUntil } from '../support/cli.js';
import { runCliInProcess } from '../support/cli-main.js';
import { backends, createScratchDatabase, dropScratchDatabase } from '../support/db.js';
import { scratchDir } from '../support/fixtures.js';
import { ALL_CODES, PFS_DIR, SITE_ZIPS, seedEmbeddedHome, startSyncSite, type SyncSite } from './support.js';

/** large enough that its load on PGlite is still going when SIGTERM comes (a second or more) */
const BIG_ROWS = 20_000;

describe.each(backends)('cms-ingest sync (the process) on %s', (backend) => {
  let site: SyncSite;
  let home: string;
  let url: string | undefined;
  beforeAll(async () => {
    site = await startSyncSite();
    home = path.join(await scratchDir(), 'home');
    if (backend === 'postgres') url = await createScratchDatabase();
    else await seedEmbeddedHome(home);
  });
  afterAll(async () => {
    await site.close();
    if (url) await dropScratchDatabase(url);
  });

  const env = () => (url ? { DATABASE_URL: url, CMS_INGEST_HOME: home } : { CMS_INGEST_HOME: home });
  const args = (...more: string[]) => ['sync', '--mirror', site.mirror, '--since', '2000', ...more];
  const open = (): Promise<Database> => (url ? openPostgres(url) : openEmbedded(home));
  const query = async <T>(work: (database: Database) => Promise<T>): Promise<T> => {
    const database = await open();
    try {
      return await work(database);
    } finally {
      await database.close();
    }
  };

  it('a second sync while one runs exits 3 with a clear message; the first loads everything', { timeout: PROCESS_TEST_TIMEOUT_MS }, async () => {
    let release!: () => void;
    const paused = new Promise<void>((resolve) => (release = resolve));
    site.server.setFault(`/${SITE_ZIPS.RVU25D}`, { kind: 'pause', afterBytes: 1_000, until: paused });
    const first = startCli(args('--json'), env());
    await waitUntil(() => site.zipRequests().some((r) => r.path === `/${SITE_ZIPS.RVU25D}`), 'the first sync downloads RVU25D', first);
    // the second in this process: the lock is held by another process, the first sync's
    const second = await runCliInProcess(args(), env());
    release();
    expect(second.code).toBe(3);
    expect(second.stderr).toMatch(
      backend === 'pglite' ? new RegExp(`error: the embedded database is in use by process ${first.child.pid} .*cms-ingest sync`) : /error: another cms-ingest sync is running against/,
    );
    const done = await first.done;
    expect(done.stderr).not.toMatch(/error/i);
    expect(done.code).toBe(0);
    const outcomes = JSON.parse(done.stdout) as { code: string; fetch: string; load: string }[];
    expect(outcomes.map((o) => [o.code, o.fetch, o.load])).toEqual(ALL_CODES.map((code) => [code, 'downloaded', 'loaded']));
  });

  // What the process prints and its exit codes do not depend on the database: checked once, on the embedded one.
  if (backend === 'pglite') {
    it('run again at once: nothing downloaded, nothing loaded, says so, exit 0', { timeout: PROCESS_TEST_TIMEOUT_MS }, async () => {
      const before = site.zipRequests().length;
      const again = await runCliInProcess(args(), env());
      expect(again.stderr).not.toMatch(/error/i);
      expect(again.code).toBe(0);
      expect(again.stdout).toMatch(/^Nothing new: 8 releases checked \(pfs, hcpcs, opps, asp and clfs since 2000\); nothing downloaded, nothing loaded/m);
      expect(again.stderr).toContain('RVU25D: not modified since the cached copy (no download)');
      expect(site.zipRequests().slice(before).map((r) => [r.status, r.bodyBytes])).toEqual(ALL_CODES.map(() => [304, 0]));
    });

    it('exit 1 when a release fails; the others are still checked', { timeout: PROCESS_TEST_TIMEOUT_MS }, async () => {
      await site.edit(`${PFS_DIR}/rvu26c.html`, 'rvu26c-updated-06-30-2026.zip', 'rvu26c-updated-07-01-2026.zip');
      try {
        const failed = await runCliInProcess(args('--json'), env());
        expect(failed.code).toBe(1);
        expect(failed.stderr).toMatch(/^error: RVU26C: http:\/\/127\.0\.0\.1:\d+\/cms\/files\/zip\/rvu26c-updated-07-01-2026\.zip: HTTP 404 Not Found$/m);
        const outcomes = JSON.parse(failed.stdout) as { code: string; fetch: string; load: string }[];
        expect(outcomes.find((o) => o.code === 'RVU26C')).toMatchObject({ fetch: 'failed', load: 'pending' });
        expect(outcomes.filter((o) => o.load === 'unchanged')).toHaveLength(7);
        // --verbose adds diagnostics, not a stack of where the message was printed
        const verbose = await runCliInProcess(args('--verbose'), env());
        expect(verbose.code).toBe(1);
        expect(verbose.stderr).toMatch(/^error: RVU26C: .*HTTP 404 Not Found$/m);
        expect(verbose.stderr).not.toMatch(/^\s+at /m);
      } finally {
        await site.edit(`${PFS_DIR}/rvu26c.html`, 'rvu26c-updated-07-01-2026.zip', 'rvu26c-updated-06-30-2026.zip');
      }
    });
  }

  it('SIGTERM during a load: exit 143, nothing of it loaded; the next run loads it', { timeout: PROCESS_TEST_TIMEOUT_MS }, async () => {
    // a re-post of RVU25D, large enough that its load is still going when the signal comes
    const big = await writeBigRelease(path.join(await scratchDir(), 'big'), BIG_ROWS);
    await site.put('files/zip/rvu25d-updated-10/15/2025.zip', await readFile(big));
    await site.edit(`${PFS_DIR}/rvu25d-0.html`, /rvu25d-updated-09\/11\/2025\.zip/, 'rvu25d-updated-10/15/2025.zip');

    // On PostgreSQL the load would be over too soon to interrupt for sure: the test holds the pfs
    // load lock, so the load waits inside its transaction until the signal has been sent.
    const holder = url ? new pg.Client({ connectionString: url }) : undefined;
    if (holder) {
      await holder.connect();
      await holder.query('begin');
      await holder.query('select pg_advisory_xact_lock($1::bigint)', [advisoryKey('load:pfs')]);
    }
    const run = startCli(args('--family', 'pfs'), env());
    try {
      await waitForStderr(run, (stderr) => stderr.includes('RVU25D: loading'));
      if (holder) {
        const waiting = async () => Number((await holder.query<{ n: string }>(`select count(*) as n from pg_locks where locktype = 'advisory' and not granted`)).rows[0]!.n) > 0;
        await waitUntil(waiting, 'the load waits for the pfs load lock', run);
      }
      run.child.kill('SIGTERM');
      if (holder) await waitForStderr(run, (stderr) => stderr.includes('SIGTERM: stopping'));
    } finally {
      if (holder) {
        await holder.query('commit');
        await holder.end();
      }
    }
    const stopped = await run.done;
    expect(stopped.code).toBe(143);
    expect(stopped.stderr).toContain('SIGTERM: stopping; a load in progress is rolled back');
    expect(stopped.stderr).toContain('interrupted by SIGTERM: nothing was half-loaded; run sync again to finish');
    expect(stopped.stdout).toMatch(/^Interrupted: /m);

    const after = await query(async (database) => ({
      revisions: await database.db.selectFrom('cms.releases').select(['revision', 'status']).where('code', '=', 'RVU25D').orderBy('revision').execute(),
      rows: await database.db.selectFrom('cms.pfs_rvu as r').innerJoin('cms.releases as x', 'x.id', 'r.release_id').where('x.code', '=', 'RVU25D').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
      lastRun: await database.db.selectFrom('cms.import_runs').select(['outcome', 'error']).orderBy('started_at', 'desc').limit(1).executeTakeFirstOrThrow(),
    }));
    expect(after.revisions).toEqual([{ revision: 0, status: 'active' }]);
    expect(Number(after.rows.n)).toBe(52);
    expect(after.lastRun).toMatchObject({ outcome: 'failed', error: 'interrupted by SIGTERM' });
    if (backend === 'pglite') expect(await readFile(path.join(home, 'db.lock')).catch(() => null)).toBeNull();

    // the next run in this process: the interrupted one is the process that matters here
    const next = await runCliInProcess(args('--family', 'pfs', '--json'), env());
    expect(next.code).toBe(0);
    const outcomes = JSON.parse(next.stdout) as { code: string; fetch: string; load: string; revision: number; supersedes: number | null; rows: number }[];
    expect(outcomes.find((o) => o.code === 'RVU25D')).toMatchObject({ fetch: 'not-modified', load: 'loaded', revision: 1, supersedes: 0, rows: BIG_ROWS });
  });
});

describe('sync options from the command line', () => {
  const context = { config: { databaseUrl: undefined, home: '/srv/cms' }, output: new Output({ json: false, quiet: false, verbose: false }) };

  it('defaults: both families, the cache under $CMS_INGEST_HOME', () => {
    expect(syncOptionsOf({}, context)).toEqual({ cacheDir: '/srv/cms/cache', dryRun: false });
    expect(syncOptionsOf({ family: 'hcpcs', since: '2024', mirror: 'http://127.0.0.1:8080/cms/', cache: '/var/cache/cms', dryRun: true }, context)).toEqual({
      cacheDir: '/var/cache/cms',
      dryRun: true,
      families: ['hcpcs'],
      since: 2024,
      mirror: 'http://127.0.0.1:8080/cms',
    });
  });

  it('usage errors (exit code 2) for a bad family, year or mirror', () => {
    expect(() => syncOptionsOf({ family: 'dme' }, context)).toThrow(new UsageError('--family must be pfs, hcpcs, opps, asp or clfs, not "dme"'));
    expect(() => syncOptionsOf({ family: 'dme' }, context)).toThrow(UsageError);
    expect(() => syncOptionsOf({ since: 'last-year' }, context)).toThrow(/--since must be a year/);
    expect(() => syncOptionsOf({ mirror: 'ftp://mirror.example' }, context)).toThrow(new UsageError('--mirror ftp://mirror.example must be an http or https URL'));
  });
});
