/**
 * A release loads completely or not at all: an import killed with SIGKILL in the middle of its
 * load leaves nothing of the release visible, and the next run finishes the job. One stopped by
 * SIGINT (Ctrl-C) or SIGTERM rolls its load back, says so, starts no further source, closes the
 * database (the embedded one's lock file removed) and exits 130 / 143.
 */
import path from 'node:path';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.js';
import { openEmbedded } from '../../src/db/pglite.js';
import { openPostgres } from '../../src/db/postgres.js';
import { backends, createScratchDatabase, dropScratchDatabase } from '../support/db.js';
import { writeBigRelease } from '../support/big-release.js';
import { PROCESS_TEST_TIMEOUT_MS, startCli, waitForStderr } from '../support/cli.js';
import { runCliInProcess, seedEmbeddedHome } from '../support/cli-main.js';
import { pfsZip, scratchDir } from '../support/fixtures.js';

describe.each(backends)('an import killed mid-load on %s', (backend) => {
  // The kill comes once 5,000 rows are read: the rest of the load is the margin. PGlite loads
  // several times slower than PostgreSQL, so it needs fewer rows for the same margin.
  const ROWS = backend === 'pglite' ? 20_000 : 60_000;
  let home: string;
  let url: string | undefined;
  let release: string;
  beforeAll(async () => {
    const dir = await scratchDir();
    home = path.join(dir, 'home');
    release = await writeBigRelease(path.join(dir, 'zip'), ROWS);
    if (backend === 'postgres') url = await createScratchDatabase();
  });
  afterAll(async () => {
    if (url) await dropScratchDatabase(url);
  });

  const env = () => (url ? { DATABASE_URL: url, CMS_INGEST_HOME: home } : { CMS_INGEST_HOME: home });
  const open = (): Promise<Database> => (url ? openPostgres(url) : openEmbedded(home));

  it('leaves nothing of the release, and the rerun loads it', { timeout: PROCESS_TEST_TIMEOUT_MS }, async () => {
    // The schema exists before the kill, so what we look at afterwards is the import's doing
    // (the embedded home restored from the migrated snapshot; PostgreSQL migrated by the CLI).
    if (url) expect((await runCliInProcess(['migrate'], env())).code).toBe(0);
    else await seedEmbeddedHome(home);

    const run = startCli(['import', '--verbose', release], env());
    await waitForStderr(run, (stderr) => / pprrvu \d+ rows read/.test(stderr));
    run.child.kill('SIGKILL');
    const killed = await run.done;
    expect(killed.signal).toBe('SIGKILL');
    if (backend === 'pglite') expect(existsSync(path.join(home, 'db.lock'))).toBe(true);

    const database = await open();
    try {
      const releases = await database.db.selectFrom('cms.releases').selectAll().execute();
      expect(releases).toEqual([]);
      const rows = await database.db.selectFrom('cms.pfs_rvu').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
      expect(Number(rows.n)).toBe(0);
      // The attempt is on record, unfinished.
      const runs = await database.db.selectFrom('cms.import_runs').select(['outcome', 'finished_at']).execute();
      expect(runs).toEqual([{ outcome: null, finished_at: null }]);
    } finally {
      await database.close();
    }

    // the next run (in this process: the killed one is the process that matters here)
    const rerun = await runCliInProcess(['import', '--json', release], env());
    expect(rerun.stderr).not.toMatch(/error/i);
    expect(rerun.code).toBe(0);
    expect(JSON.parse(rerun.stdout)).toMatchObject([{ status: 'loaded', code: 'RVU25D', revision: 0 }]);
    const after = await open();
    try {
      const rows = await after.db.selectFrom('cms.pfs_rvu').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
      expect(Number(rows.n)).toBe(ROWS);
    } finally {
      await after.close();
    }
  });

  it('stopped by SIGINT: rolled back, said, no further source started, the database closed, exit 130', { timeout: PROCESS_TEST_TIMEOUT_MS }, async () => {
    const stopped = path.join(await scratchDir(), 'stopped-home');
    const own = backend === 'postgres' ? await createScratchDatabase() : undefined;
    try {
      await stoppedImport(stopped, own);
    } finally {
      if (own) await dropScratchDatabase(own);
    }
  });

  async function stoppedImport(stopped: string, own: string | undefined): Promise<void> {
    const stoppedEnv = own ? { DATABASE_URL: own, CMS_INGEST_HOME: stopped } : { CMS_INGEST_HOME: stopped };
    if (own) expect((await runCliInProcess(['migrate'], stoppedEnv)).code).toBe(0);
    else await seedEmbeddedHome(stopped);

    // The big release, then a small one that must not be started.
    const run = startCli(['import', '--verbose', release, pfsZip('rvu24b')], stoppedEnv);
    await waitForStderr(run, (stderr) => / pprrvu \d+ rows read/.test(stderr));
    run.child.kill('SIGINT');
    const done = await run.done;
    expect(done.code).toBe(130);
    expect(done.stderr).toContain('SIGINT: stopping; a load in progress is rolled back (send SIGINT again to exit at once)');
    expect(done.stderr).toMatch(/^error: interrupted by SIGINT$/m);
    expect(existsSync(path.join(stopped, 'db.lock'))).toBe(false);

    const after = await (own ? openPostgres(own) : openEmbedded(stopped));
    try {
      expect(await after.db.selectFrom('cms.releases').selectAll().execute()).toEqual([]);
      expect(await after.db.selectFrom('cms.import_runs').select(['source', 'outcome', 'error']).execute()).toEqual([
        { source: release, outcome: 'failed', error: 'interrupted by SIGINT' },
      ]);
    } finally {
      await after.close();
    }
  }
});

