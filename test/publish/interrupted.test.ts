/**
 * An export or a publish stopped in the middle of reading a table out (SIGINT, or a write that
 * failed): the export's folder is left as it was, the target keeps what it served, the attempt is
 * recorded as failed, and the source's connection is usable at once. On PostgreSQL, leaving a
 * COPY TO half read once left the connection in COPY mode with its socket paused: the rollback
 * never ran and Node exited with code 13, no message (an export to a full disk). The stop comes
 * from a signal whose third check fails, so it falls mid-table, every run alike.
 */
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'kysely';
import { beforeEach, describe, expect, it } from 'vitest';
import { exportFiles, importRelease, publish } from '../../src/index.js';
import { backends, useFreshDatabase } from '../support/db.js';
import { pfsZip, scratchDir } from '../support/fixtures.js';
import { fingerprint, useTargetDatabase } from './support.js';

/** An AbortSignal that is not aborted for its first `checks` looks, then is (as SIGINT makes it). */
function abortingAfter(checks: number): AbortSignal {
  const controller = new AbortController();
  let seen = 0;
  const look = () => {
    if (++seen > checks && !controller.signal.aborted) controller.abort(new Error('interrupted by SIGINT'));
  };
  return new Proxy(controller.signal, {
    get(target, property) {
      if (property === 'aborted') {
        look();
        return target.aborted;
      }
      if (property === 'throwIfAborted') {
        return () => {
          look();
          target.throwIfAborted();
        };
      }
      const value = Reflect.get(target, property, target) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

describe.each(backends)('an export or publish stopped mid-table on %s', (backend) => {
  const source = useFreshDatabase(backend);
  beforeEach(async () => {
    await importRelease(source.database, pfsZip('rvu24b'));
    await importRelease(source.database, pfsZip('rvu25d'));
  });

  it('export: the folder is as it was, no staging left, the run failed, the connection ready', async () => {
    const scratch = await scratchDir();
    const dir = path.join(scratch, `export-${backend}`);
    await expect(exportFiles(source.database, { dir, signal: abortingAfter(3) })).rejects.toThrow('interrupted by SIGINT');
    expect(existsSync(dir)).toBe(false);
    expect(await readdir(scratch)).toEqual([]);
    // The same connection pool at once: a half-read COPY would have left this waiting for ever.
    expect((await sql<{ one: number }>`select 1 as one`.execute(source.database.db)).rows).toEqual([{ one: 1 }]);
    const runs = await source.database.db.selectFrom('cms.publish_runs').select(['kind', 'outcome', 'error']).execute();
    expect(runs).toEqual([{ kind: 'files', outcome: 'failed', error: 'interrupted by SIGINT' }]);
    // and the next export is whole
    const manifest = await exportFiles(source.database, { dir });
    expect(manifest.files.map((file) => file.name)).toEqual(['code_catalog.csv', 'code_change.csv', 'pfs_payment.csv', 'releases.csv']);
  });

  // A target is a PostgreSQL database: only where TEST_DATABASE_URL names a server.
  describe.each(process.env.TEST_DATABASE_URL ? ['a PostgreSQL target'] : [])('publish to %s', () => {
    const target = useTargetDatabase();

    it('publish: the target keeps what it served, the targets after it are not started', async () => {
      await publish(source.database, { targets: [target.url] });
      const served = await fingerprint(target.query, 'cms_catalog');
      await importRelease(source.database, pfsZip('rvu26c'));
      const results = await publish(source.database, { targets: [target.url, target.url], signal: abortingAfter(3) });
      expect(results.map((result) => result.outcome)).toEqual(['failed', 'failed']);
      expect(results[0]!.error).toMatch(/^publish to .* \(schema cms_catalog\) failed: interrupted by SIGINT$/);
      expect(results[1]!.error).toMatch(/^publish to .* \(schema cms_catalog\) not started: interrupted by SIGINT$/);
      expect(await fingerprint(target.query, 'cms_catalog')).toBe(served);
      expect((await sql<{ one: number }>`select 1 as one`.execute(source.database.db)).rows).toEqual([{ one: 1 }]);
    });
  });
});
