/**
 * `--allow-shrink` on the command line: import refuses a shrunk dataset without it and loads it
 * with it; sync accepts it. Through the CLI's entry function in this process, on an embedded home
 * restored from the migrated snapshot (test/support/cli-main.ts).
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { syncOptionsOf } from '../../src/cli/commands/sync.js';
import type { CommandContext } from '../../src/cli/context.js';
import { migratedHome, runCliInProcess } from '../support/cli-main.js';
import { backends, createScratchDatabase, dropScratchDatabase } from '../support/db.js';
import { pfsZip, scratchDir, writeZip, zipMembers } from '../support/fixtures.js';

describe.each(backends)('import --allow-shrink on %s', (backend) => {
  it('refuses a PPRRVU with under half the previous rows, then loads it with --allow-shrink', async () => {
    const dir = await scratchDir();
    const members = await zipMembers(pfsZip('rvu25d'));
    const lines = Buffer.from(members['PPRRVU2025_Oct.csv']!).toString('latin1').split('\r\n');
    members['PPRRVU2025_Oct.csv'] = new Uint8Array(Buffer.from([...lines.slice(0, 15), ''].join('\r\n'), 'latin1'));
    const shrunk = await writeZip(dir, 'rvu25d.zip', members);
    const url = backend === 'postgres' ? await createScratchDatabase() : undefined;
    const args = url ? ['--database-url', url] : [];
    const env = { CMS_INGEST_HOME: url ? path.join(dir, 'home') : await migratedHome(path.join(dir, 'home')) };
    try {
      expect((await runCliInProcess(['import', pfsZip('rvu24b'), ...args], env)).code).toBe(0);
      const refused = await runCliInProcess(['import', shrunk, ...args], env);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('rvu25d.zip:PPRRVU2025_Oct.csv: pprrvu has 5 rows, under half of the 48 it had in RVU24B');
      expect(refused.stderr).toContain('--allow-shrink');
      const allowed = await runCliInProcess(['import', shrunk, '--allow-shrink', ...args], env);
      expect(allowed.code).toBe(0);
      expect(allowed.stdout).toMatch(/RVU25D revision 0 loaded .*\n {2}pprrvu +5 rows/);
    } finally {
      if (url) await dropScratchDatabase(url);
    }
  });
});

describe('sync --allow-shrink', () => {
  it('passes the option to every import of the sync', () => {
    const context = { config: { home: '/tmp/cms-home' } } as unknown as CommandContext;
    expect(syncOptionsOf({ allowShrink: true }, context).allowShrink).toBe(true);
    expect(syncOptionsOf({}, context).allowShrink).toBeUndefined();
  });
});
