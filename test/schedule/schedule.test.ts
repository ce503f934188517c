/**
 * The long-running schedule: ticks of a fast cron (every second), one JSON log line per event, a
 * failed run followed by a good one, a run that finds the lock held (the first, started at once
 * by runOnStart), and stop() mid-load; on PGlite and (with TEST_DATABASE_URL) PostgreSQL. Then
 * the process (with --run-now): JSON lines on stdout, SIGTERM ends it with exit 0.
 */
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.js';
import { openEmbedded } from '../../src/db/pglite.js';
import { rememberedReleases } from '../../src/index.js';
import { LockHeldError } from '../../src/errors.js';
import { createScheduleLogger } from '../../src/schedule/log.js';
import { startSchedule, type Schedule, type ScheduleOptions } from '../../src/schedule/schedule.js';
import { PROCESS_TEST_TIMEOUT_MS, PROCESS_WAIT_MS, startCli, waitForStdout } from '../support/cli.js';
import { backends } from '../support/db.js';
import { ALL_CODES, FAST_HTTP, FEE_SCHEDULE_CODES, PFS_DIR, IMPORT_SETUP, useSiteAndHome, type SyncSite, useDatabaseAndSite } from '../sync/support.js';

type Line = Record<string, unknown> & { level: string; time: string; pid: number; hostname: string; event: string; msg: string; run?: number };

/** Until the schedule's runs reach `condition`: ticks are a second apart, a run's loads take longer on a loaded machine. */
async function until(condition: () => boolean, ms = PROCESS_WAIT_MS): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe.each(backends)('schedule on %s', (backend) => {
  const shared = useDatabaseAndSite(backend);
  let lines: Line[];
  let schedule: Schedule | undefined;
  beforeEach(() => {
    lines = [];
  });
  afterEach(async () => {
    await schedule?.stop('test over');
    schedule = undefined;
  });

  /** the test database, "opened" per run: the run's close() leaves it open for the next */
  const open = async (): Promise<Database> => ({ ...shared.test.database, close: async () => undefined });
  const start = (options: Partial<ScheduleOptions> = {}) => {
    const log = createScheduleLogger({ write: (line: string) => void lines.push(JSON.parse(line) as Line) });
    schedule = startSchedule({
      cron: '* * * * * *',
      open,
      setup: IMPORT_SETUP,
      sync: { mirror: shared.site.mirror, since: 2000, cacheDir: shared.site.cacheDir, http: FAST_HTTP },
      log,
      ...options,
    });
    return schedule;
  };
  const ofRun = (run: number) => lines.filter((line) => line.run === run);
  const events = (from: Line[]) => from.map((line) => line.event);

  it('runs sync on every tick, one JSON line per event; a failed run does not stop it', { timeout: PROCESS_TEST_TIMEOUT_MS }, async () => {
    // the first run cannot read the PFS landing page (HTTP 500 on every retry); the second can
    shared.site.server.setFault(`/${PFS_DIR}`, { kind: 'status', status: 500, times: 1 + (FAST_HTTP.retries ?? 0) });
    const running = start();
    await until(() => running.runs.length >= 2);
    await running.stop('SIGTERM');
    await running.done;
    expect(running.runs.slice(0, 2)).toEqual(['failed', 'ok']);

    for (const line of lines) {
      expect(line).toMatchObject({ level: expect.stringMatching(/^(info|warn|error)$/), pid: process.pid, hostname: expect.any(String), msg: expect.any(String) });
      expect(Date.parse(line.time)).not.toBeNaN();
    }
    expect(lines[0]).toMatchObject({ event: 'schedule-started', cron: '* * * * * *', families: 'all', since: 2000 });
    expect(lines[1]).toMatchObject({ event: 'next-run', at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });

    const first = ofRun(1);
    expect(first[0]).toMatchObject({ event: 'run-started' });
    expect(first.filter((l) => l.event === 'retry')).toHaveLength(FAST_HTTP.retries ?? 0);
    expect(first).toContainEqual(expect.objectContaining({ event: 'failed', level: 'error', stage: 'discover', family: 'pfs', error: expect.stringMatching(/HTTP 500/) }));
    const notPfs = ['HCPC2020_JAN', ...FEE_SCHEDULE_CODES, 'HCPC2025_OCT'];
    expect(first.filter((l) => l.event === 'release-found').map((l) => l.code)).toEqual(notPfs);
    expect(first.filter((l) => l.event === 'loaded').map((l) => [l.code, l.status])).toEqual(notPfs.map((code) => [code, 'loaded']));
    expect(first.at(-1)).toMatchObject({ event: 'run-finished', level: 'error', outcome: 'failed', ok: false, loaded: 5, pageErrors: 1 });

    const second = ofRun(2);
    expect(second[0]).toMatchObject({ event: 'run-started' });
    expect(second.filter((l) => l.event === 'release-found').map((l) => l.code)).toEqual(ALL_CODES);
    expect(second.filter((l) => l.event === 'downloaded').map((l) => [l.code, l.status]).sort()).toEqual([
      ['25CLABQ1', 'not-modified'], ['ASP2025_JAN', 'not-modified'], ['HCPC2020_JAN', 'not-modified'], ['HCPC2025_OCT', 'not-modified'], ['OPPS2025_JAN', 'not-modified'],
      ['RVU24B', 'downloaded'], ['RVU25D', 'downloaded'], ['RVU26C', 'downloaded'],
    ]);
    // the URL that answered (after any redirect), as a www.cms.gov URL like release-found's
    for (const line of second.filter((l) => l.event === 'downloaded')) expect(line.url).toMatch(/^https:\/\/www\.cms\.gov\/.+\.zip$/);
    expect(second.filter((l) => l.event === 'loaded').map((l) => [l.code, l.status])).toEqual([
      ['HCPC2020_JAN', 'unchanged'], ['RVU24B', 'loaded'], ...FEE_SCHEDULE_CODES.map((code) => [code, 'unchanged']), ['HCPC2025_OCT', 'unchanged'], ['RVU25D', 'loaded'], ['RVU26C', 'loaded'],
    ]);
    expect(second.at(-1)).toMatchObject({ event: 'run-finished', level: 'info', outcome: 'ok', ok: true, loaded: 3, unchanged: 5, failed: 0 });

    // after every run: when the next one is due; at the end: stopping, stopped. (A tick that comes
    // while a run is still going is skipped and says so: never two runs at once.)
    const afterRuns = lines.filter((line) => line.run === undefined && line.event !== 'tick-skipped').map((line) => line.event);
    expect(afterRuns.slice(0, 4)).toEqual(['schedule-started', 'next-run', 'next-run', 'next-run']);
    expect(afterRuns.slice(-2)).toEqual(['stopping', 'stopped']);
    expect(events(lines).indexOf('next-run', lines.indexOf(first.at(-1)!))).toBe(lines.indexOf(first.at(-1)!) + 1);
  });

  it('a run that finds the sync lock held logs it and waits for the next tick', { timeout: PROCESS_TEST_TIMEOUT_MS }, async () => {
    let running!: Schedule;
    await shared.test.database.withExclusiveLock('sync', async () => {
      // the first run at once (runOnStart), not at the first tick: it finds the lock held
      running = start({ runOnStart: true, sync: { mirror: shared.site.mirror, since: 2000, cacheDir: shared.site.cacheDir, http: FAST_HTTP, families: ['hcpcs'] } });
      await until(() => running.runs.length >= 1);
    });
    await until(() => running.runs.length >= 2);
    expect(running.runs.slice(0, 2)).toEqual(['lock-held', 'ok']);
    expect(ofRun(1).map((l) => l.event)).toEqual(['run-started', 'lock-held', 'run-finished']);
    expect(ofRun(1)[1]).toMatchObject({ level: 'warn', message: expect.stringMatching(/another cms-ingest sync is running/) });
    expect(ofRun(2).filter((l) => l.event === 'loaded')).toHaveLength(2);
  });

  it('stop() during a load aborts the run: the load rolls back, nothing partial, then it stops', { timeout: PROCESS_TEST_TIMEOUT_MS }, async () => {
    let running!: Schedule;
    const log = createScheduleLogger({
      write: (text: string) => {
        const line = JSON.parse(text) as Line;
        lines.push(line);
        if (line.event === 'loading' && line.code === 'RVU25D') void running.stop('SIGTERM');
      },
    });
    running = start({ log, runOnStart: true, sync: { mirror: shared.site.mirror, since: 2000, cacheDir: shared.site.cacheDir, http: FAST_HTTP, families: ['pfs'] } });
    await running.done;
    expect(running.runs).toEqual(['aborted']);
    expect(ofRun(1)).toContainEqual(expect.objectContaining({ event: 'failed', stage: 'load', code: 'RVU25D', error: expect.stringMatching(/rolled back/) }));
    // stopping (the run is told to abort) → the run ends, aborted → stopped
    const tail = lines.slice(lines.findIndex((l) => l.event === 'stopping'));
    expect(tail.filter((l) => l.run === undefined || l.event === 'run-finished').map((l) => [l.event, l.outcome])).toEqual([
      ['stopping', undefined], ['run-finished', 'aborted'], ['stopped', undefined],
    ]);
    const codes = await shared.test.database.db.selectFrom('cms.releases').select('code').orderBy('code').execute();
    expect(codes.map((r) => r.code)).toEqual(['RVU24B']);
  });
});

describe('cms-ingest schedule (the process)', () => {
  const setUp = useSiteAndHome();
  let site: SyncSite;
  let home: string;
  beforeAll(() => {
    ({ site, home } = setUp);
  });

  it('logs JSON lines on stdout, runs at once with --run-now, closes the embedded database between runs, and exits 0 on SIGTERM', { timeout: PROCESS_TEST_TIMEOUT_MS }, async () => {
    // (a test that fails or times out leaves no schedule running: process-setup.ts kills it)
    // --run-now: the first run at start, not at the first tick
    const run = startCli(['schedule', '--cron', '* * * * * *', '--run-now', '--mirror', site.mirror, '--since', '2000', '--family', 'pfs'], { CMS_INGEST_HOME: home });
    const stdoutLines = (stdout = run.stdoutSoFar()) =>
      stdout
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => JSON.parse(line) as Line);
    // complete lines only: a chunk can end mid-line
    const finished = (stdout: string) => stdoutLines(stdout.slice(0, stdout.lastIndexOf('\n') + 1)).filter((line) => line.event === 'run-finished').length;
    // a process start and three loads: minutes, not seconds, on a machine shared by many runs
    await waitForStdout(run, (stdout) => finished(stdout) >= 1);
    // between runs the embedded database is closed: another command can open it (a tick that
    // comes meanwhile finds it taken, logs lock-held, and waits for the next one)
    let database: Database | undefined;
    while (database === undefined) {
      database = await openEmbedded(home).catch(async (error: unknown) => {
        if (!(error instanceof LockHeldError)) throw error;
        await new Promise((resolve) => setTimeout(resolve, 50));
        return undefined;
      });
    }
    try {
      const loaded = await database.db.selectFrom('cms.releases').select('code').orderBy('code').execute();
      expect(loaded.map((r) => r.code)).toEqual(['RVU24B', 'RVU25D', 'RVU26C']);
    } finally {
      await database.close();
    }

    // a run that opened the database after this test did (one finding it held is 'lock-held')
    const completed = (stdout: string) =>
      stdoutLines(stdout.slice(0, stdout.lastIndexOf('\n') + 1)).filter((line) => line.event === 'run-finished' && line.outcome === 'ok').length;
    await waitForStdout(run, (stdout) => finished(stdout) >= 2 && completed(stdout) >= 2);
    run.child.kill('SIGTERM');
    const done = await run.done;
    expect(done.code).toBe(0);
    // each run's close kept the release list: the next `releases` need not start the database
    expect((await rememberedReleases(home))?.map((release) => release.code)).toEqual(['RVU24B', 'RVU25D', 'RVU26C']);
    const all = stdoutLines();
    expect(all[0]).toMatchObject({ event: 'schedule-started', level: 'info', pid: run.child.pid });
    // with --run-now the first run starts at once: no 'next-run' before it
    expect(all[1]).toMatchObject({ event: 'run-started', run: 1 });
    // after SIGTERM: 'stopping', then the end of a run that was in flight (if one was), then 'stopped'
    const afterStop = all.slice(all.findIndex((line) => line.event === 'stopping')).map((line) => line.event);
    expect(afterStop[0]).toBe('stopping');
    expect(afterStop.at(-1)).toBe('stopped');
    expect(afterStop.slice(1, -1).every((event) => event === 'run-finished')).toBe(true);
    expect(afterStop.length).toBeLessThanOrEqual(3);
    expect(all.filter((line) => line.event === 'run-finished').every((line) => ['ok', 'lock-held'].includes(line.outcome as string))).toBe(true);
    expect(done.stderr).toBe('');
  });
});
