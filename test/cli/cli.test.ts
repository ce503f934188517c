/**
 * The command-line contract: output, --json, exit codes, the lock, credentials kept out of
 * messages. Output and exit codes are checked through the CLI's entry function in this process
 * (the same flags → options → API → renderer path); the bin itself, and the lock between two
 * processes, in real processes.
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { advisoryKey } from '../../src/db/pool.js';
import { redactUrl } from '../../src/errors.js';
import { CLI, runCli } from '../support/cli.js';
import { migratedHome, runCliInProcess } from '../support/cli-main.js';
import { createScratchDatabase, dropScratchDatabase } from '../support/db.js';
import { fixture, pfsZip, scratchDir } from '../support/fixtures.js';

describe('cms-ingest CLI', () => {
  let home: string;
  const env = () => ({ CMS_INGEST_HOME: home });
  const cli = (...args: string[]) => runCliInProcess(args, env());
  beforeAll(async () => {
    home = await migratedHome(path.join(await scratchDir(), 'home'));
  });

  it('imports a release, says what it loaded, and says so when nothing changed', async () => {
    const first = await cli('import', pfsZip('rvu24b'));
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/^RVU24B revision 0 loaded from .*rvu24b\.zip in \d+(\.\d)? m?s\n/);
    expect(first.stdout.split('\n').slice(1)).toEqual([
      '  pprrvu        48 rows  → cms.pfs_rvu',
      '  gpci          14 rows  → cms.pfs_gpci',
      '  locco         15 rows  → cms.pfs_locality_county',
      '  anes          14 rows  → cms.pfs_anes_cf',
      '  oppscap       30 rows  → cms.pfs_opps_cap',
      '',
    ]);
    expect(first.stderr).toBe('warning: rvu24b.zip:24LOCCO.csv, line 20: repeats line 19 (state="MISSOURI", locality="99"); identical rows kept once\n');

    const again = await cli('import', pfsZip('rvu24b'));
    expect(again.code).toBe(0);
    expect(again.stdout).toBe(`RVU24B: nothing changed (${pfsZip('rvu24b')} has the same bytes as revision 0, already loaded)\n`);
  });

  it('lists releases as a table and as JSON', async () => {
    const table = await cli('releases');
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^CODE +REV +STATUS/m);
    expect(table.stdout).toMatch(/RVU24B +0 +active +pfs +2024-04-01 +2024-03-15/);

    const json = await cli('releases', '--json');
    expect(json.code).toBe(0);
    const [release] = JSON.parse(json.stdout) as Record<string, unknown>[];
    expect(release).toMatchObject({
      code: 'RVU24B',
      family: 'pfs',
      revision: 0,
      status: 'active',
      effective_from: '2024-04-01',
      published_on: '2024-03-15',
      datasets: { pprrvu: 48, gpci: 14, locco: 15, anes: 14, oppscap: 30 },
    });
    expect(release!.loaded_at).toMatch(/Z$/);
  });

  it('releases --family hcpcs with only PFS loaded: no hcpcs release, and which families are; not "No releases loaded yet"', async () => {
    const expected = 'No hcpcs releases are loaded (loaded: pfs; `cms-ingest releases` lists them). Load one with `cms-ingest import <zip>` or `cms-ingest sync`.\n';
    // from the release list the last command kept, then from the database itself
    const remembered = await cli('releases', '--family', 'hcpcs');
    expect([remembered.code, remembered.stdout, remembered.stderr]).toEqual([0, expected, '']);
    await rm(path.join(home, 'releases.json'), { force: true });
    const opened = await cli('releases', '--family', 'hcpcs');
    expect([opened.code, opened.stdout, opened.stderr]).toEqual([0, expected, '']);
    expect((await cli('releases', '--family', 'hcpcs', '--json')).stdout).toBe('[]\n');
  });

  it('catalog search: a word starting with "-" (websearch\'s "not") goes after --, and the error without it says so', async () => {
    const bare = await cli('catalog', 'search', 'injection', '-tetracyclin');
    expect([bare.code, bare.stdout]).toEqual([2, '']);
    expect(bare.stderr.split('\n')[0]).toBe(
      `error: unknown option '-tetracyclin'; a search word that starts with "-" (-tetracyclin: codes without tetracyclin) goes after --, options before it: cms-ingest catalog search -- injection -tetracyclin`,
    );
    const found = async (...args: string[]) => {
      const run = await cli('catalog', 'search', '--json', ...args);
      expect(run.code, run.stderr).toBe(0);
      return (JSON.parse(run.stdout) as { matches: { code: string }[] }).matches.map((match) => match.code);
    };
    expect(await found('injection')).toEqual(['A4211', 'J0120', 'J0171']);
    expect(await found('--limit', '5', '--', 'injection', '-tetracyclin')).toEqual(['A4211', 'J0171']);
    // a typo in an option is still an error, without the hint
    const typo = await cli('catalog', 'search', 'knee', '--limt', '5');
    expect([typo.code, typo.stderr.split('\n')[0]]).toEqual([2, "error: unknown option '--limt'"]);
  });

  it('diff --code 99213x: exit 2 saying what a code looks like, not an empty diff', async () => {
    const bad = await cli('diff', 'RVU24B', 'RVU24B', '--code', '99213,99213x');
    expect(bad).toMatchObject({ code: 2, stdout: '', stderr: 'error: --code must be an HCPCS/CPT code (5 letters or digits, such as 99213 or G0008), not "99213x"\n' });
    expect((await cli('diff', 'RVU24B', 'RVU24B', '--code', '9921')).stderr).toContain('not "9921"');
    // any case, as the filter reads it
    expect((await cli('diff', 'RVU24B', 'RVU24B', '--code', '99213,g0008')).code).toBe(0);
    // datasets keyed by something else take their own values (GPCI: the state)
    const gpci = await cli('diff', 'RVU24B', 'RVU24B', '--dataset', 'gpci', '--code', 'AL');
    expect(gpci.code, gpci.stderr).toBe(0);
  });

  it('exits 1 on bad input, naming the file', async () => {
    const run = await cli('import', fixture('pfs', 'rvu25d', 'ANES2025.csv'));
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      'error: ANES2025.csv: cannot tell which PFS release this is; expected a name like rvu25d.zip or RVU25D/, a PPRRVU file, or --code RVU25D\n',
    );
  });

  it('exits 2 on usage errors, saying what was wrong', async () => {
    const missing = await cli('import');
    expect([missing.code, missing.stdout]).toEqual([2, '']);
    expect(missing.stderr.split('\n')[0]).toBe("error: missing required argument 'sources'");
    const flag = await cli('releases', '--no-such-flag');
    expect([flag.code, flag.stdout]).toEqual([2, '']);
    expect(flag.stderr.split('\n')[0]).toBe("error: unknown option '--no-such-flag'");
    const badDate = await cli('import', '--effective-from', '9 March', pfsZip('rvu24b'));
    expect([badDate.code, badDate.stdout]).toEqual([2, '']);
    expect(badDate.stderr).toBe('error: --effective-from must be a date like 2024-03-09 (YYYY-MM-DD, a day that exists), not "9 March"\n');
  });

  it('has --help on every command', async () => {
    const usage: Record<string, string> = {
      '': 'Usage: cms-ingest [options] [command]',
      import: 'Usage: cms-ingest import [options] <sources...>',
      releases: 'Usage: cms-ingest releases [options]',
      migrate: 'Usage: cms-ingest migrate [options]',
    };
    for (const [command, first] of Object.entries(usage)) {
      const run = await cli(...(command === '' ? [] : [command]), '--help');
      expect([run.code, run.stderr, run.stdout.split('\n')[0]]).toEqual([0, '', first]);
    }
  });

  it('never prints a password from the database URL', async () => {
    const run = await cli('releases', '--database-url', 'postgres://cms:s3cret-pw@127.0.0.1:9/cms');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('cannot connect to PostgreSQL at postgres://cms:***@127.0.0.1:9/cms');
    expect(run.stderr + run.stdout).not.toContain('s3cret-pw');
  });
});

// A process start (Node, tsx, a fresh embedded database) takes tens of seconds on a loaded machine.
describe('the cms-ingest bin, in real processes', { timeout: 180_000 }, () => {
  it('runs a command end to end: a fresh home is created and migrated, output and exit code as in process', async () => {
    const home = path.join(await scratchDir(), 'fresh-home');
    const run = await runCli(['import', pfsZip('rvu24b')], { CMS_INGEST_HOME: home });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^RVU24B revision 0 loaded from .*rvu24b\.zip in /);
  });

  it('exits 2 on a usage error', async () => {
    const usage = await runCli(['releases', '--no-such-flag'], { CMS_INGEST_HOME: path.join(await scratchDir(), 'unused-home') });
    expect(usage.code).toBe(2);
    expect(usage.stderr.split('\n')[0]).toBe("error: unknown option '--no-such-flag'");
  });

  it('exits 1 when its output cannot be written (stdout on a full disk: /dev/full); 0 when it can', async () => {
    const home = await migratedHome(path.join(await scratchDir(), 'full-disk-home'));
    const run = (stdout: 'full' | 'pipe', args: string[]) =>
      new Promise<{ code: number | null; stderr: string; firstLine: string }>((resolve) => {
        const full = stdout === 'full' ? openSync('/dev/full', 'w') : undefined;
        const child = spawn(process.execPath, [CLI, ...args], {
          env: { ...process.env, DATABASE_URL: '', CMS_INGEST_HOME: home },
          stdio: ['ignore', full ?? 'pipe', 'pipe'],
        });
        if (full !== undefined) closeSync(full);
        let stderr = '';
        let firstLine = '';
        child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        // read the first line, then stop reading (as `| head -1`)
        child.stdout?.once('data', (chunk: Buffer) => {
          firstLine = chunk.toString().split('\n')[0]!;
          child.stdout!.destroy();
        });
        child.on('close', (code) => resolve({ code, stderr, firstLine }));
      });
    const full = await run('full', ['catalog', 'search', 'office', '--json']);
    expect(full.code).toBe(1);
    expect(full.stderr).toBe('error: cannot write the output (ENOSPC: no space left on device, write); what was written to stdout is incomplete\n');
    const help = await run('full', ['--help']);
    expect([help.code, help.stderr.split('\n')[0]]).toEqual([1, 'error: cannot write the output (ENOSPC: no space left on device, write); what was written to stdout is incomplete']);
    const head = await run('pipe', ['--help']);
    expect([head.code, head.firstLine, head.stderr]).toEqual([0, 'Usage: cms-ingest [options] [command]', '']);
  });

  it('exits 3 when another process holds the embedded database', async () => {
    const locked = path.join(await scratchDir(), 'locked');
    await mkdir(locked, { recursive: true });
    // This test process is alive, so its lock is genuinely held.
    await writeFile(path.join(locked, 'db.lock'), JSON.stringify({ pid: process.pid, host: hostname(), since: new Date().toISOString(), purpose: 'import' }));
    const run = await runCli(['releases'], { CMS_INGEST_HOME: locked });
    expect(run.code).toBe(3);
    expect(run.stderr).toContain(`the embedded database is in use by process ${process.pid}`);
  });
});

describe.runIf(process.env.TEST_DATABASE_URL)('the sync lock on PostgreSQL', () => {
  let url: string;
  beforeAll(async () => {
    url = await createScratchDatabase();
  });
  afterAll(async () => {
    await dropScratchDatabase(url);
  });

  it('a sync that finds it held exits 3 naming the holder: its backend, user, application and since when', async () => {
    const holder = new pg.Client({ connectionString: url, application_name: 'lock-holder-test' });
    await holder.connect();
    try {
      const key = advisoryKey('sync');
      const { rows } = await holder.query<{ pid: number; user: string }>('select pg_backend_pid() as pid, current_user as user, pg_advisory_lock($1::bigint)', [key]);
      // the lock is taken before any page is fetched: the mirror is never asked
      const run = await runCliInProcess(['sync', '--mirror', 'http://127.0.0.1:9'], { DATABASE_URL: url, CMS_INGEST_HOME: path.join(await scratchDir(), 'home') });
      expect([run.code, run.stdout]).toEqual([3, '']);
      const { pid, user } = rows[0]!;
      const named = `error: another cms-ingest sync is running against ${redactUrl(url)}: PostgreSQL backend ${pid} (user ${user}, application "lock-holder-test", from `;
      expect(run.stderr.slice(0, named.length)).toBe(named);
      expect(run.stderr).toMatch(new RegExp(`, connected since \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ\\) holds its advisory lock ${key}\n$`));
    } finally {
      await holder.end();
    }
  });
});
