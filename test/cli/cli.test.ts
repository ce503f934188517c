/** The command-line contract: output, --json, exit codes, the lock, credentials kept out of messages. */
import { writeFile, mkdir } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { fixture, pfsZip, scratchDir } from '../support/fixtures.js';

describe('cms-ingest CLI', () => {
  let home: string;
  const env = () => ({ CMS_INGEST_HOME: home });
  beforeAll(async () => {
    home = path.join(await scratchDir(), 'home');
  });

  it('imports a release, says what it loaded, and says so when nothing changed', async () => {
    const first = await runCli(['import', pfsZip('rvu24b')], env());
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/RVU24B revision 0 loaded from .*rvu24b\.zip in \d/);
    expect(first.stdout).toMatch(/pprrvu +48 rows +→ cms\.pfs_rvu/);
    expect(first.stderr).toContain('identical rows kept once');

    const again = await runCli(['import', pfsZip('rvu24b')], env());
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('RVU24B: nothing changed');
  });

  it('lists releases as a table and as JSON', async () => {
    const table = await runCli(['releases'], env());
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^CODE +REV +STATUS/m);
    expect(table.stdout).toMatch(/RVU24B +0 +active +pfs +2024-04-01 +2024-03-15/);

    const json = await runCli(['releases', '--json'], env());
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

  it('exits 1 on bad input, naming the file', async () => {
    const run = await runCli(['import', fixture('pfs', 'rvu25d', 'ANES2025.csv')], env());
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('error: ANES2025.csv: cannot tell which PFS release this is');
  });

  it('exits 2 on usage errors', async () => {
    expect((await runCli(['import'], env())).code).toBe(2);
    expect((await runCli(['releases', '--no-such-flag'], env())).code).toBe(2);
    const badDate = await runCli(['import', '--effective-from', '9 March', pfsZip('rvu24b')], env());
    expect(badDate.code).toBe(2);
    expect(badDate.stderr).toContain('--effective-from must be a date like 2024-03-09');
  });

  it('has --help on every command', async () => {
    for (const command of [[], ['import'], ['releases'], ['migrate']]) {
      const run = await runCli([...command, '--help'], env());
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('Usage: cms-ingest');
    }
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

  it('never prints a password from the database URL', async () => {
    const run = await runCli(['releases', '--database-url', 'postgres://cms:s3cret-pw@127.0.0.1:9/cms'], env());
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('cannot connect to PostgreSQL at postgres://cms:***@127.0.0.1:9/cms');
    expect(run.stderr + run.stdout).not.toContain('s3cret-pw');
  });
});
