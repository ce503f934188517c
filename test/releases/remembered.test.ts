/**
 * `releases` without starting the embedded database (src/releases/remembered.ts): served only as
 * the last command left the database, never once anything else has opened it.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { importRelease, openDatabase, rememberedReleases, resolveConfig } from '../../src/index.js';
import { migratedHome, runCliInProcess } from '../support/cli-main.js';
import { fixture, pfsZip, scratchDir } from '../support/fixtures.js';

describe('releases, remembered from the last command', () => {
  let home: string;
  const cli = (...args: string[]) => runCliInProcess(args, { CMS_INGEST_HOME: home });
  const control = () => readFile(path.join(home, 'pgdata', 'global', 'pg_control'));
  const listFile = () => path.join(home, 'releases.json');
  beforeAll(async () => {
    home = await migratedHome(path.join(await scratchDir(), 'home'));
  });

  it('serves the list a command left, without starting PostgreSQL, exactly as the database would', async () => {
    expect((await cli('import', pfsZip('rvu24b'))).code).toBe(0);
    const before = await control();
    const fast = await cli('releases', '--json', '--verbose');
    expect(fast.code).toBe(0);
    expect(fast.stderr).toContain('releases: as the last command left the embedded database');
    // PostgreSQL rewrites its control file at every start: the same bytes, nothing started
    expect(await control()).toEqual(before);
    const table = await cli('releases');

    await rm(listFile());
    const opened = await cli('releases', '--json', '--verbose');
    expect(opened.stderr).not.toContain('as the last command left');
    expect(await control()).not.toEqual(before);
    expect(opened.stdout).toBe(fast.stdout);
    expect(JSON.parse(opened.stdout)).toMatchObject([{ code: 'RVU24B', datasets: { pprrvu: 48, oppscap: 30 } }]);
    expect((await cli('releases')).stdout).toBe(table.stdout);
  });

  it('opens the database once anything else has opened it: a load through the API, a process still holding it', async () => {
    expect((await cli('releases')).code).toBe(0);
    expect(await rememberedReleases(home)).toHaveLength(1);
    const database = await openDatabase(resolveConfig({ home }));
    try {
      // in use (or killed without closing): the control file says so, and nothing is served
      expect(await rememberedReleases(home)).toBeUndefined();
      await importRelease(database, pfsZip('rvu25d'));
    } finally {
      await database.close();
    }
    expect(await rememberedReleases(home)).toBeUndefined();
    const after = await cli('releases', '--json', '--verbose');
    expect(after.stderr).not.toContain('as the last command left');
    expect(JSON.parse(after.stdout).map((release: { code: string }) => release.code)).toEqual(['RVU24B', 'RVU25D']);
    expect((await rememberedReleases(home))?.map((release) => release.code)).toEqual(['RVU24B', 'RVU25D']);
  });

  it('filters by family as the query does, and still refuses a family there is not', async () => {
    expect((await cli('releases')).code).toBe(0);
    expect((await rememberedReleases(home, { family: 'hcpcs' }))).toEqual([]);
    expect((await rememberedReleases(home, { family: 'pfs' }))).toHaveLength(2);
    const wrong = await cli('releases', '--family', 'nope');
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('--family must be pfs, hcpcs');
  });

  it('ignores a list written by another build, or one it cannot read', async () => {
    expect((await cli('releases')).code).toBe(0);
    const kept = JSON.parse(await readFile(listFile(), 'utf8')) as { build: string; releases: { code: string }[] };
    // another build (other migrations, another query) with a list that is not this database's
    await writeFile(listFile(), JSON.stringify({ ...kept, build: 'another build', releases: [{ ...kept.releases[0], code: 'RVU99Z' }] }));
    expect(await rememberedReleases(home)).toBeUndefined();
    expect((await cli('releases')).stdout).not.toContain('RVU99Z');
    // this database's digest and build, with entries no listing writes
    const fresh = JSON.parse(await readFile(listFile(), 'utf8')) as { releases: unknown[] };
    for (const entries of [[null], [{}], [...fresh.releases, { code: 'FAKE99' }]]) {
      await writeFile(listFile(), JSON.stringify({ ...fresh, releases: entries }));
      expect(await rememberedReleases(home)).toBeUndefined();
      const listed = await cli('releases');
      expect(listed.code, listed.stderr).toBe(0);
      expect(listed.stdout).toContain('RVU25D');
      expect(listed.stdout).not.toContain('FAKE99');
    }
    for (const broken of ['', '{"controlDigest": 1}', 'not json']) {
      await writeFile(listFile(), broken);
      expect(await rememberedReleases(home)).toBeUndefined();
      expect((await cli('releases')).stdout).toContain('RVU25D');
    }
  });

  it('forgets the list when the database fails to open, so that releases does not go on serving a damaged one', async () => {
    const damaged = await migratedHome(path.join(await scratchDir(), 'damaged'));
    const run = (...args: string[]) => runCliInProcess(args, { CMS_INGEST_HOME: damaged });
    expect((await run('import', pfsZip('rvu24b'))).code).toBe(0);
    expect((await run('releases')).stdout).toContain('RVU24B');
    const versionFile = path.join(damaged, 'pgdata', 'PG_VERSION');
    const version = await readFile(versionFile, 'utf8');
    await writeFile(versionFile, '99\n');
    const failed = await run('migrate');
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('cannot be opened');
    const listed = await run('releases');
    expect(listed.code).toBe(1);
    expect(listed.stderr).toContain('cannot be opened');
    await writeFile(versionFile, version);
    expect((await run('releases')).stdout).toContain('RVU24B');
  });

  it('a command that fails on its usage keeps the list as it was; one that fails otherwise keeps nothing', async () => {
    expect((await cli('releases')).code).toBe(0);
    const failed = await cli('diff', 'RVU24B', 'RVU00X');
    expect(failed.code).not.toBe(0);
    expect(failed.stderr).toContain('RVU00X');
    // nothing was written: the list it kept is the database's, and the next releases is served from it
    expect((await rememberedReleases(home))?.map((release) => release.code)).toEqual(['RVU24B', 'RVU25D']);
    const served = await cli('releases', '--verbose');
    expect(served.stderr).toContain('releases: as the last command left the embedded database');

    // a release without localities (its PPRRVU alone): exporting its payments fails, not on usage
    expect((await cli('import', fixture('pfs', 'rvu26c', 'PPRRVU2026_Jul_nonQPP.csv'))).code).toBe(0);
    const exported = await cli('export', '--to', path.join(await scratchDir(), 'export'));
    expect(exported.code).toBe(1);
    expect(exported.stderr).toContain('has no GPCI file loaded');
    expect(await rememberedReleases(home)).toBeUndefined();
    const opened = await cli('releases', '--verbose');
    expect(opened.stderr).not.toContain('as the last command left');
    expect(opened.stdout).toContain('RVU26C');
  });

  it('a command that cannot write the list still succeeds', async () => {
    await rm(listFile(), { force: true });
    await mkdir(listFile());
    const run = await cli('releases', '--verbose');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('RVU25D');
    expect(run.stderr).toContain('the release list is not kept for the next `releases`: cannot write');
    await rm(listFile(), { recursive: true });
  });
});
