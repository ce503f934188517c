/**
 * `cms-ingest diff` as a user runs it: output formats, filters, exit codes. Through the CLI's entry
 * function in this process (test/support/cli-main.ts); the bin itself is tested in test/cli.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliBackend, runCliInProcess } from '../support/cli-main.js';
import { backends } from '../support/db.js';
import { pfsZip, scratchDir } from '../support/fixtures.js';

describe.each(backends)('cms-ingest diff on %s', (backend) => {
  let env: NodeJS.ProcessEnv;
  let drop: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    ({ env, drop } = await cliBackend(backend, await scratchDir()));
    const loaded = await runCliInProcess(['import', pfsZip('rvu24b'), pfsZip('rvu25d')], env);
    expect(loaded.code, loaded.stderr).toBe(0);
  });
  afterAll(() => drop?.());
  const cli = (...args: string[]) => runCliInProcess(['diff', ...args], env);

  it('prints the summary and a table of the changes', async () => {
    const run = await cli('RVU24B', 'RVU25D');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.split('\n')[0]).toBe('RVU24B → RVU25D (pfs pfs_rvu): 6 added, 2 removed, 29 changed');
    expect(run.stdout).toMatch(/^HCPCS +MODIFIER +CHANGE +FIELD +FROM +TO$/m);
    expect(run.stdout).toMatch(/^99213 +changed +fac_total +1\.96 +1\.97$/m);
  });

  it('--json equals --format json; --format csv and md; filters', async () => {
    const json = await cli('previous', 'latest', '--json');
    const format = await cli('RVU24B', 'RVU25D', '--format', 'json');
    expect(json.code, json.stderr).toBe(0);
    expect(json.stdout).toBe(format.stdout);
    expect(JSON.parse(json.stdout)).toMatchObject({ from: 'RVU24B', to: 'RVU25D', summary: { added: 6, removed: 2, changed: 29 } });

    const csv = await cli('RVU24B', 'RVU25D', '--format', 'csv', '--code', '99213', '--field', 'nonfac_pe_rvu,fac_pe_rvu');
    expect(csv.stdout).toBe('hcpcs,modifier,change,field,from,to\n99213,,changed,nonfac_pe_rvu,1.33,1.35\n99213,,changed,fac_pe_rvu,0.56,0.57\n');

    const md = await cli('RVU25D', 'RVU24B', '--format', 'md', '--change', 'added', '--dataset', 'anes');
    expect(md.code, md.stderr).toBe(0);
    expect(md.stdout).toMatch(/^### pfs `pfs_anes_cf`: RVU25D → RVU24B\n\n- 0 added, 0 removed, 14 changed\n- `national_anes_cf`: 20\.3178 → \(none\)/);
    expect(md.stdout).toContain('#### Changes\n\nNo changes.');

    const delta = await cli('RVU24B', 'RVU25D', '--format', 'csv', '--min-delta', '2.75');
    expect(delta.stdout).toBe(
      [
        'hcpcs,modifier,change,field,from,to',
        '22526,,changed,nonfac_pe_rvu,52.15,49.39',
        '22526,,changed,nonfac_total,58.59,55.84',
        '75898,,changed,nonfac_pe_opps,93.42,98.00',
        '75898,,changed,fac_pe_opps,93.42,98.00',
        '75898,TC,changed,nonfac_pe_opps,92.74,97.30',
        '75898,TC,changed,fac_pe_opps,92.74,97.30',
        '',
      ].join('\n'),
    );
  });

  it('exits 2 on an unknown release, naming the loaded ones, and on a bad option', async () => {
    const unknown = await cli('RVU99Z', 'RVU25D');
    expect(unknown.code).toBe(2);
    expect(unknown.stdout).toBe('');
    expect(unknown.stderr).toBe('error: unknown release RVU99Z; loaded releases: RVU24B, RVU25D (pfs)\n');
    const format = await cli('RVU24B', 'RVU25D', '--format', 'xml');
    expect([format.code, format.stdout]).toEqual([2, '']);
    expect(format.stderr).toBe('error: --format xml: expected table, json, csv, md\n');
    const both = await cli('RVU24B', 'RVU25D', '--json', '--format', 'csv');
    expect([both.code, both.stdout]).toEqual([2, '']);
    expect(both.stderr).toBe('error: --json and --format csv ask for different outputs\n');
  });
});
