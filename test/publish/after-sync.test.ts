/**
 * `sync --publish-to` and `schedule --publish-to`: a run that loaded something publishes to every
 * target; a run that loaded nothing contacts none.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishAfterSync, syncReleases } from '../../src/index.js';
import { backends, useFreshDatabase } from '../support/db.js';
import { FAST_HTTP, startSyncSite, type SyncSite } from '../sync/support.js';
import { useTargetDatabase } from './support.js';

const withTarget = process.env.TEST_DATABASE_URL ? backends : [];

describe('publish after sync, without a target server', () => {
  const source = useFreshDatabase('pglite');
  let site: SyncSite;
  beforeAll(async () => {
    site = await startSyncSite();
  });
  afterAll(() => site.close());

  it('contacts no target when the run loaded nothing', async () => {
    const options = { mirror: site.mirror, since: 2000, cacheDir: site.cacheDir, http: FAST_HTTP, families: ['pfs' as const] };
    await syncReleases(source.database, options);
    const again = await syncReleases(source.database, options);
    expect(again.counts.loaded).toBe(0);
    // an unreachable target would fail if it were contacted
    expect(await publishAfterSync(source.database, again, { targets: ['postgres://nobody@127.0.0.1:1/x'] })).toEqual([]);
    expect(await source.database.db.selectFrom('cms.publish_runs').selectAll().execute()).toEqual([]);
  });
});

describe.each(withTarget)('publish after sync from %s', (backend) => {
  const source = useFreshDatabase(backend);
  const target = useTargetDatabase();
  let site: SyncSite;
  beforeAll(async () => {
    site = await startSyncSite();
  });
  afterAll(() => site.close());

  it('publishes what a run loaded to the target', async () => {
    const result = await syncReleases(source.database, { mirror: site.mirror, since: 2000, cacheDir: site.cacheDir, http: FAST_HTTP, families: ['pfs'] });
    expect(result.counts.loaded).toBeGreaterThan(0);
    const [published] = await publishAfterSync(source.database, result, { targets: [target.url] });
    expect(published?.outcome).toBe('published');
    const loaded = result.outcomes.filter((outcome) => outcome.load === 'loaded').map((outcome) => outcome.code);
    const releases = await target.query<{ code: string }>(`select code from cms_catalog.releases order by code`);
    expect(releases.map((row) => row.code)).toEqual([...loaded].sort());
  });
});
