/**
 * The registry's order is written three times: in the view cms.current_releases (migration 0001,
 * which the `_current` views and every SQL consumer read), in `loadedReleases`' ORDER BY, and in
 * `compareReleases`. These tests pin the last two to the view, on releases built to hit every
 * tie: equal effective dates, publication dates missing or equal, load order deciding,
 * superseded revisions, and releases that lack a dataset.
 */
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { activeInOrder, compareReleases, currentRelease, latestActive, loadedReleases } from '../../src/releases/registry.js';
import { backends, useFreshDatabase } from '../support/db.js';

interface Seed {
  code: string;
  effective: string;
  published: string | null;
  status?: 'active' | 'superseded';
  datasets: string[];
}

/** Inserted in this order, so ids (load order) are in this order too. */
const SEEDS: Seed[] = [
  // Three releases of one effective date: published later, published earlier, not published.
  { code: 'RVU24A', effective: '2024-01-01', published: '2024-01-20', datasets: ['pprrvu', 'gpci'] },
  { code: 'RVU24AR', effective: '2024-01-01', published: '2023-12-01', datasets: ['pprrvu', 'gpci'] },
  { code: 'RVU24AR1', effective: '2024-01-01', published: null, datasets: ['pprrvu'] },
  // Same effective and publication date: load order decides.
  { code: 'RVU24B', effective: '2024-04-01', published: '2024-03-15', datasets: ['pprrvu', 'gpci'] },
  { code: 'RVU24BR', effective: '2024-04-01', published: '2024-03-15', datasets: ['pprrvu'] },
  // A superseded revision newer than everything: never current.
  { code: 'RVU25D', effective: '2025-10-01', published: '2025-09-30', status: 'superseded', datasets: ['pprrvu', 'gpci'] },
  // Loaded before the release it follows (a backfill): effective date beats load order.
  { code: 'RVU24D', effective: '2024-10-01', published: null, datasets: ['gpci'] },
  { code: 'RVU24C', effective: '2024-07-01', published: '2024-06-01', datasets: ['pprrvu', 'gpci'] },
  // Another family, interleaved.
  { code: 'HCPC2024_APR', effective: '2024-04-01', published: null, datasets: ['hcpcs_code'] },
  { code: 'HCPC2024_JAN', effective: '2024-01-01', published: null, datasets: ['hcpcs_code', 'hcpcs_modifier'] },
];

describe.each(backends)('the release order, pinned to cms.current_releases (%s)', (backend) => {
  const test = useFreshDatabase(backend);

  async function seed(seeds: readonly Seed[]): Promise<void> {
    const revisions = new Map<string, number>();
    for (const release of seeds) {
      const family = release.code.startsWith('HCPC') ? 'hcpcs' : 'pfs';
      const revision = revisions.get(release.code) ?? 0;
      revisions.set(release.code, revision + 1);
      const { id } = await test.database.db
        .insertInto('cms.releases')
        .values({
          family,
          code: release.code,
          year: Number(release.effective.slice(0, 4)),
          quarter: Math.floor((Number(release.effective.slice(5, 7)) - 1) / 3) + 1,
          revision,
          effective_from: release.effective,
          published_on: release.published,
          source_name: `${release.code}.zip`,
          source_url: null,
          archive_sha256: createHash('sha256').update(release.code).digest('hex'),
          status: release.status ?? 'active',
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      for (const dataset of release.datasets) {
        await test.database.db
          .insertInto('cms.release_datasets')
          .values({ release_id: id, dataset, table_name: dataset, row_count: 1 })
          .execute();
      }
    }
  }

  async function viewRows(): Promise<{ family: string; dataset: string; code: string }[]> {
    const { rows } = await sql<{ family: string; dataset: string; code: string }>`
      select family, dataset, code from cms.current_releases order by family, dataset`.execute(test.database.db);
    return rows;
  }

  it('compareReleases and the view agree on the current release of every (family, dataset)', async () => {
    await seed(SEEDS);
    const releases = await loadedReleases(test.database.db);
    const fromView = await viewRows();
    const fromTypeScript = fromView.map(({ family, dataset }) => ({ family, dataset, code: currentRelease(releases, family, dataset)?.code }));
    expect(fromTypeScript).toEqual(fromView);
    // what the seeds were built to show: publication date breaks an effective-date tie (and
    // none comes first), load order breaks a full tie, a superseded revision is never current
    expect(fromView).toEqual([
      { family: 'hcpcs', dataset: 'hcpcs_code', code: 'HCPC2024_APR' },
      { family: 'hcpcs', dataset: 'hcpcs_modifier', code: 'HCPC2024_JAN' },
      { family: 'pfs', dataset: 'gpci', code: 'RVU24D' },
      { family: 'pfs', dataset: 'pprrvu', code: 'RVU24C' },
    ]);
  });

  it('each release, removed in turn from the newest down, leaves the view and compareReleases agreeing', async () => {
    // Walks every position of the order: after each step the newest active release of a family
    // is superseded (as a re-post would), and the next one must become current in both.
    await seed(SEEDS);
    for (;;) {
      const releases = await loadedReleases(test.database.db);
      const fromView = await viewRows();
      expect(fromView.map(({ family, dataset }) => ({ family, dataset, code: currentRelease(releases, family, dataset)?.code }))).toEqual(fromView);
      const newest = latestActive(releases, 'pfs') ?? latestActive(releases, 'hcpcs');
      if (!newest) break;
      await test.database.db.updateTable('cms.releases').set({ status: 'superseded' }).where('id', '=', newest.id).execute();
    }
    expect(await viewRows()).toEqual([]);
  });

  it("loadedReleases' SQL order is compareReleases' order within each family", async () => {
    await seed(SEEDS);
    const releases = await loadedReleases(test.database.db);
    for (const family of ['pfs', 'hcpcs']) {
      const inSql = releases.filter((release) => release.family === family).map((release) => release.code);
      const inTypeScript = [...releases].filter((release) => release.family === family).sort(compareReleases).map((release) => release.code);
      expect(inSql).toEqual(inTypeScript);
    }
    expect(activeInOrder(releases, 'pfs').map((release) => release.code)).toEqual(['RVU24AR1', 'RVU24AR', 'RVU24A', 'RVU24B', 'RVU24BR', 'RVU24C', 'RVU24D']);
  });
});
