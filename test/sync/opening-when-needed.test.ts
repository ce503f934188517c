/**
 * `sync` on the embedded database opens it only if the run needs it
 * (src/sync/opening-when-needed.ts): with nothing new, the release list the last command kept
 * answers and PostgreSQL is not started; something new, and the run goes on with the database.
 */
import { readFile, rm } from 'node:fs/promises';
import { zipSync } from 'fflate';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LockHeldError, listReleases, syncOpeningWhenNeeded } from '../../src/index.js';
import { useFreshDatabase } from '../support/db.js';
import { runCliInProcess } from '../support/cli-main.js';
import { zipMembers } from '../support/fixtures.js';
import { ALL_CODES, FAST_HTTP, PFS_DIR, SITE_ZIPS, startSyncSite, useSiteAndHome, type SyncSite } from './support.js';

describe('sync on the embedded database, opened when needed', () => {
  const setUp = useSiteAndHome();
  let site: SyncSite;
  let home: string;
  beforeAll(() => {
    ({ site, home } = setUp);
  });

  const sync = (...more: string[]) => runCliInProcess(['sync', '--mirror', site.mirror, '--since', '2000', ...more], { CMS_INGEST_HOME: home });
  const control = () => readFile(path.join(home, 'pgdata', 'global', 'pg_control'));
  const withoutTimes = (text: string) => text.replace(/ in \d+(\.\d+)? m?s\./g, ' in … .');

  it('nothing new: does not start PostgreSQL, and says what a run on the database says', async () => {
    const first = await sync();
    expect(first.code, first.stderr).toBe(0);
    const before = await control();
    const requests = site.server.requests.length;

    const quick = await sync('--verbose');
    expect(quick.code, quick.stderr).toBe(0);
    expect(quick.stderr).toContain('database: not opened (nothing needed it)');
    expect(await control()).toEqual(before);
    expect(quick.stdout).toMatch(/^Nothing new: 8 releases checked \(pfs, hcpcs, opps, asp and clfs since 2000\); nothing downloaded, nothing loaded/m);
    // the same requests as any sync: every page, and a conditional request per zip (all 304)
    const made = site.server.requests.slice(requests);
    expect(made.filter((request) => request.path.endsWith('.zip')).map((request) => request.status)).toEqual(ALL_CODES.map(() => 304));
    // events shown once each
    expect(quick.stderr.match(/looking for /g)).toHaveLength(1);
    const quickJson = await sync('--json');

    // the same sync on the database, with no list kept
    await rm(path.join(home, 'releases.json'));
    const onDatabase = await sync('--verbose');
    expect(onDatabase.stderr).not.toContain('database: not opened');
    expect(await control()).not.toEqual(before);
    expect(withoutTimes(onDatabase.stdout)).toBe(withoutTimes(quick.stdout));
    expect(JSON.parse((await sync('--json')).stdout)).toEqual(JSON.parse(quickJson.stdout));
  });

  it('something new: opens the database for it and loads it, in the same run', async () => {
    expect((await sync()).code).toBe(0);
    // a re-post of RVU25D with one descriptor corrected (new Updated date, new bytes)
    const reposted = 'files/zip/rvu25d-updated-10/02/2025.zip';
    const members = await zipMembers(path.join(site.root, SITE_ZIPS.RVU25D));
    const csv = Buffer.from(members['PPRRVU2025_Oct.csv']!).toString('latin1');
    members['PPRRVU2025_Oct.csv'] = new Uint8Array(Buffer.from(csv.replace('CPT descriptor withheld 99213', 'CPT descriptor withheld 99213 (corrected)'), 'latin1'));
    await site.put(reposted, zipSync(members, { level: 0 }));
    await site.edit(`${PFS_DIR}/rvu25d-0.html`, /rvu25d-updated-09\/11\/2025\.zip(.*)Updated 09\/11\/2025/s, 'rvu25d-updated-10/02/2025.zip$1Updated 10/02/2025');
    const pages = site.server.requests.length;

    const run = await sync('--verbose');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/^database: pglite /m);
    expect(run.stderr.match(/looking for /g)).toHaveLength(1);
    expect(run.stdout).toMatch(/RVU25D +pfs +2025-10-02 +downloaded +loaded +1 /);
    // one run: every page and every zip requested once
    const made = site.server.requests.slice(pages).map((request) => request.path);
    expect(new Set(made).size).toBe(made.length);
    // the list kept at its close has the new revision: the next sync opens nothing
    const after = await sync('--verbose');
    expect(after.stderr).toContain('database: not opened (nothing needed it)');
    expect(after.stdout).toMatch(/RVU25D +pfs +2025-10-02 +not-modified +unchanged +1/);
  });

  it('a dry run, and --publish-to with nothing new', async () => {
    expect((await sync()).code).toBe(0);
    const before = await control();
    const dry = await sync('--dry-run');
    expect(dry.code).toBe(0);
    // the dry run reads the database
    expect(await control()).not.toEqual(before);

    expect((await sync()).code).toBe(0);
    // nothing loaded: no target is contacted (this one would refuse the connection)
    const published = await sync('--verbose', '--publish-to', 'postgres://nobody@127.0.0.1:1/x');
    expect(published.code, published.stderr).toBe(0);
    expect(published.stderr).toContain('database: not opened (nothing needed it)');
    expect(published.stderr).not.toContain('127.0.0.1:1');
  });
});

describe('syncOpeningWhenNeeded', () => {
  const source = useFreshDatabase('pglite');
  let site: SyncSite;
  beforeAll(async () => {
    site = await startSyncSite();
  });
  afterAll(() => site.close());
  const options = { get mirror() { return site.mirror; }, since: 2000, get cacheDir() { return site.cacheDir; }, http: FAST_HTTP, families: ['hcpcs' as const] };

  it('opens the database at the first archive the list lacks, and never when it lacks none', async () => {
    let opened = 0;
    const open = async () => {
      opened++;
      return source.database;
    };
    // nothing listed: both HCPCS archives are new, loaded through the database opened once
    const first = await syncOpeningWhenNeeded([], open, options);
    expect([opened, first.counts.loaded]).toEqual([1, 2]);

    const loaded = await listReleases(source.database, { family: 'hcpcs' });
    opened = 0;
    const again = await syncOpeningWhenNeeded(loaded, open, options);
    expect(opened).toBe(0);
    expect(again.outcomes.map((outcome) => [outcome.code, outcome.fetch, outcome.load, outcome.revision])).toEqual([
      ['HCPC2020_JAN', 'not-modified', 'unchanged', 0],
      ['HCPC2025_OCT', 'not-modified', 'unchanged', 0],
    ]);
    // a list that lacks one (loaded by another program since): the database decides, and says it is loaded
    const partial = await syncOpeningWhenNeeded(loaded.slice(0, 1), open, options);
    expect(opened).toBe(1);
    expect(partial.outcomes.map((outcome) => outcome.load)).toEqual(['unchanged', 'unchanged']);
  });

  it('a database that cannot be opened ends the run with that error, not as a failed release', async () => {
    const held = async (): Promise<never> => {
      throw new LockHeldError('the embedded database is in use by process 1 on elsewhere (cms-ingest import)');
    };
    await expect(syncOpeningWhenNeeded([], held, options)).rejects.toBeInstanceOf(LockHeldError);
    // the dry run reads the database first thing
    await expect(syncOpeningWhenNeeded([], held, { ...options, dryRun: true })).rejects.toBeInstanceOf(LockHeldError);
  });
});
