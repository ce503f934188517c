/**
 * `cms-ingest price` as a user runs it: human output, --json, --all csv, exit codes. Through the
 * CLI's entry function in this process, on an embedded home restored from the migrated snapshot
 * (test/support/cli-main.ts); the bin itself is tested in test/cli.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliBackend, runCliInProcess } from '../support/cli-main.js';
import { backends } from '../support/db.js';
import { pfsZip, scratchDir } from '../support/fixtures.js';

describe.each(backends)('cms-ingest price on %s', (backend) => {
  let env: NodeJS.ProcessEnv;
  let drop: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    ({ env, drop } = await cliBackend(backend, await scratchDir()));
    const loaded = await runCliInProcess(['import', pfsZip('rvu25d'), pfsZip('rvu26c')], env);
    expect(loaded.code, loaded.stderr).toBe(0);
  });
  afterAll(() => drop?.());
  const price = (...args: string[]) => runCliInProcess(['price', ...args], env);

  it('prints the amounts, the formula with its numbers, the cap and the indicators', async () => {
    const run = await price('70496', '--modifier', 'TC', '--locality', '01112-05', '--release', 'RVU25D');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^locality {2}01112-05 {2}CA-05 {2}SAN FRANCISCO-OAKLAND-BERKELEY/m);
    expect(run.stdout).toMatch(/^fee schedule amount +\$272\.62 +\$272\.62 \(NA\)$/m);
    expect(run.stdout).toMatch(/^OPPS cap +\$251\.96 +\$251\.96$/m);
    expect(run.stdout).toMatch(/^paid +\$251\.96 \(OPPS cap\) +\$251\.96 \(OPPS cap\)$/m);
    expect(run.stdout).toMatch(/^limiting charge \(×1\.0925\) +\$275\.27 +\$275\.27$/m);
    expect(run.stdout).toMatch(/non-facility \[\(0\.00 × 1\.088\) \+ \(5\.93 × 1\.419\) \+ \(0\.03 × 0\.445\)\] × 32\.3465 = 8\.42802 × 32\.3465 = \$272\.62/);
    expect(run.stdout).toMatch(/multiple procedure \(modifier 51\) +4 +diagnostic imaging family/);
  });

  it('a contractor-priced code under an OPPS cap shows the cap its payment may not exceed', async () => {
    const run = await price('0633T', '--modifier', 'TC', '--locality', '01112-05', '--release', 'RVU25D');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^No amount: Contractor-priced \(status C\)/m);
    expect(run.stdout).toMatch(/may not exceed the OPPS cap for the locality\.\nOPPS cap {2}non-facility \$150\.69, facility \$150\.69$/m);
  });

  it('--json carries both 2026 amounts; a status without an amount says why', async () => {
    const run = await price('99213', '--locality', 'CA-05', '--json');
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result.release.code).toBe('RVU26C');
    expect(result.nonFacility).toMatchObject({ amount: '117.58', amountQpp: '118.17' });
    const excluded = await price('80053', '--locality', 'CA-05', '--release', 'RVU25D');
    expect(excluded.code, excluded.stderr).toBe(0);
    expect(excluded.stdout).toMatch(/^No amount: Statutory exclusion \(status X\)/m);
  });

  it('several matching localities are listed with exit 2; missing --locality is a usage error', async () => {
    const several = await price('99213', '--locality', 'rest of', '--release', 'RVU25D');
    expect(several.code).toBe(2);
    expect(several.stderr).toMatch(/--locality "rest of" matches \d+ localities of RVU25D; name one:/);
    expect(several.stderr).toMatch(/^ {2}05302-99 {2}MO-99 {2}REST OF MISSOURI$/m);
    expect(several.stdout).toBe('');
    const missing = await price('99213');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--locality is required/);
  });

  it('--all writes the locality\'s whole fee schedule as csv', async () => {
    const run = await price('--all', '--locality', 'bakersfield', '--release', 'RVU25D', '--format', 'csv');
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(1 + 52);
    expect(lines.slice(1).every((line) => line.startsWith('RVU25D,01112,54,CA,'))).toBe(true);
    const wrong = await price('--all', '--locality', 'CA-05', '--format', 'xml');
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/--format xml: expected csv or json/);
  });
});
