/**
 * The change feed (cms.code_change), written inside each load's transaction: what it holds, which
 * release each load is compared with, and that it rolls back with the load.
 */
import path from 'node:path';
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { families } from '../../pipelines/index.js';
import { diffReleases, importRelease, importSetup } from '../../src/index.js';
import { writeChangeFeed } from '../../src/diff/feed.js';
import { importRelease as importWith } from '../../src/releases/import.js';
import type { Family } from '../../src/pipeline.js';
import { backends, resetDatabase, useFreshDatabase } from '../support/db.js';
import { pfsZip, replaceOnce, scratchDir, writeZip, zipMembers } from '../support/fixtures.js';
import { CHANGES_99213_RVU24B_TO_RVU25D } from './support.js';

interface FeedRow {
  family: string;
  dataset: string;
  from_code: string;
  to_code: string;
  hcpcs: string | null;
  modifier: string | null;
  key: Record<string, string>;
  change: string;
  fields: Record<string, { from: unknown; to: unknown }>;
  tags: string[];
}

describe.each(backends)('the change feed on %s', (backend) => {
  const test = useFreshDatabase(backend);
  let scratch: string;
  beforeAll(async () => {
    scratch = await scratchDir();
  });

  const load = (source: string) => importRelease(test.database, source);
  const feed = async (where = sql`true`) =>
    (
      await sql<FeedRow>`
        select c.family, c.dataset, f.code || '@' || f.revision as from_code, t.code || '@' || t.revision as to_code,
          c.hcpcs, c.modifier, c.key, c.change, c.fields, c.tags
        from cms.code_change c
        join cms.releases f on f.id = c.from_release_id
        join cms.releases t on t.id = c.to_release_id
        where ${where}
        order by c.dataset, c.key ->> 'hcpcs', c.key ->> 'modifier', c.key::text`.execute(test.database.db)
    ).rows;
  const steps = async () =>
    (
      await sql<{ step: string; dataset: string; rows: number }>`
        select f.code || '@' || f.revision || ' → ' || t.code || '@' || t.revision as step, c.dataset, count(*)::int as rows
        from cms.code_change c join cms.releases f on f.id = c.from_release_id join cms.releases t on t.id = c.to_release_id
        group by 1, 2 order by 1, 2`.execute(test.database.db)
    ).rows;

  it('writes nothing for the first release of a family, then each change of the next release, as diff computes it', async () => {
    await load(pfsZip('rvu24b'));
    expect(await feed()).toEqual([]);

    await load(pfsZip('rvu25d'));
    expect(await steps()).toEqual([
      { step: 'RVU24B@0 → RVU25D@0', dataset: 'pfs_anes_cf', rows: 14 },
      { step: 'RVU24B@0 → RVU25D@0', dataset: 'pfs_opps_cap', rows: 30 },
      { step: 'RVU24B@0 → RVU25D@0', dataset: 'pfs_rvu', rows: 37 },
    ]);
    const rows = await feed(sql`c.dataset = 'pfs_rvu'`);
    const diff = await diffReleases(test.database, 'RVU24B', 'RVU25D');
    expect(rows.map(({ hcpcs, modifier, change, fields }) => ({ hcpcs, modifier, change, fields }))).toEqual(diff.changes);
    expect(rows.find((row) => row.hcpcs === '99213')).toEqual({
      family: 'pfs',
      dataset: 'pfs_rvu',
      from_code: 'RVU24B@0',
      to_code: 'RVU25D@0',
      hcpcs: '99213',
      modifier: '',
      key: { hcpcs: '99213', modifier: '' },
      change: 'changed',
      fields: CHANGES_99213_RVU24B_TO_RVU25D,
      tags: [],
    });
    // Locality datasets: the key is in `key`; hcpcs and modifier are NULL.
    const anes = await feed(sql`c.dataset = 'pfs_anes_cf' and c.key ->> 'mac' = '02102'`);
    expect(anes).toMatchObject([{ hcpcs: null, modifier: null, key: { mac: '02102', locality: '01' }, fields: { anes_cf: { from: '28.54', to: '27.86' } } }]);
  });

  it('leaves out what only one layout has (PRIC IND), and datasets the new release does not carry', async () => {
    await load(pfsZip('rvu25d'));
    await load(pfsZip('rvu26c'));
    expect(await steps()).toEqual([
      { step: 'RVU25D@0 → RVU26C@0', dataset: 'pfs_gpci', rows: 18 },
      { step: 'RVU25D@0 → RVU26C@0', dataset: 'pfs_rvu', rows: 42 },
    ]);
    const rows = await feed(sql`c.change = 'changed' and c.fields ? 'pricing_ind'`);
    expect(rows).toEqual([]);
  });

  it('compares a re-post with the revision it supersedes, so the feed says only what the re-post corrected', async () => {
    await load(pfsZip('rvu24b'));
    await load(pfsZip('rvu25d'));
    const members = await zipMembers(pfsZip('rvu25d'));
    const pprrvu = new TextDecoder('latin1').decode(members['PPRRVU2025_Oct.csv']);
    members['PPRRVU2025_Oct.csv'] = new Uint8Array(
      Buffer.from(
        replaceOnce(pprrvu, '99213,,CPT descriptor withheld 99213,A,,1.30,1.35,,0.57,,0.10,2.75,1.97', '99213,,CPT descriptor withheld 99213,A,,1.31,1.35,,0.57,,0.10,2.76,1.98'),
        'latin1',
      ),
    );
    const repost = await load(await writeZip(path.join(scratch, 'repost'), 'rvu25d.zip', members));
    expect(repost).toMatchObject({ code: 'RVU25D', revision: 1 });
    expect(await feed(sql`t.revision = 1`)).toEqual([
      {
        family: 'pfs',
        dataset: 'pfs_rvu',
        from_code: 'RVU25D@0',
        to_code: 'RVU25D@1',
        hcpcs: '99213',
        modifier: '',
        key: { hcpcs: '99213', modifier: '' },
        change: 'changed',
        fields: { work_rvu: { from: '1.30', to: '1.31' }, nonfac_total: { from: '2.75', to: '2.76' }, fac_total: { from: '1.97', to: '1.98' } },
        tags: [],
      },
    ]);
  });

  it('compares a backfilled release with the release before it, and leaves later feeds as they were written', async () => {
    await load(pfsZip('rvu24b'));
    await load(pfsZip('rvu26c'));
    await load(pfsZip('rvu25d'));
    expect(await steps()).toEqual([
      { step: 'RVU24B@0 → RVU25D@0', dataset: 'pfs_anes_cf', rows: 14 },
      { step: 'RVU24B@0 → RVU25D@0', dataset: 'pfs_opps_cap', rows: 30 },
      { step: 'RVU24B@0 → RVU25D@0', dataset: 'pfs_rvu', rows: 37 },
      { step: 'RVU24B@0 → RVU26C@0', dataset: 'pfs_gpci', rows: 18 },
      // 7 added, 7 removed, 30 changed (counted from the two csv files, CONV FACTOR and PRIC IND aside)
      { step: 'RVU24B@0 → RVU26C@0', dataset: 'pfs_rvu', rows: 44 },
    ]);
    // A release older than everything loaded has nothing before it.
    await resetDatabase(test.database);
    await load(pfsZip('rvu25d'));
    await load(pfsZip('rvu24b'));
    expect(await feed()).toEqual([]);
  });

  it('is written once per release, one row per key: writing a loaded release\'s feed again is refused', async () => {
    // cms.code_change has no unique index (migration 0006): the writer is what keeps this.
    await load(pfsZip('rvu24b'));
    const loaded = await load(pfsZip('rvu25d'));
    const before = await steps();
    const pfs = families.find((family) => family.name === 'pfs')!;
    const releaseId = (await test.database.db.selectFrom('cms.releases').select('id').where('code', '=', 'RVU25D').executeTakeFirstOrThrow()).id;
    const error = await test.database.transaction((tx) => writeChangeFeed(tx.db, pfs, String(releaseId))).catch((caught: unknown) => caught);
    expect(loaded).toMatchObject({ status: 'loaded', code: 'RVU25D' });
    expect((error as Error).message).toBe(`the change feed of RVU25D is already written (cms.code_change rows with to_release_id ${releaseId})`);
    expect(await steps()).toEqual(before);
    const repeated = await sql<{ n: number }>`
      select count(*)::int as n from (select 1 from cms.code_change group by to_release_id, dataset, key having count(*) > 1) d`.execute(test.database.db);
    expect(repeated.rows).toEqual([{ n: 0 }]);
  });

  it('rolls its rows back with a load that fails after they were written', async () => {
    // GPCI's diff declaration names a column its table lacks: planning its feed throws, after the
    // PPRRVU feed rows were already inserted in the same transaction.
    const broken: readonly Family[] = families.map((family) =>
      family.name !== 'pfs'
        ? family
        : { ...family, datasets: family.datasets.map((d) => (d.name === 'gpci' ? { ...d, diff: { ...d.diff, moves: ['no_such_column'] } } : d)) },
    );
    const setup = { ...importSetup, families: broken };
    await importWith(test.database, setup, pfsZip('rvu24b'));
    const error = await importWith(test.database, setup, pfsZip('rvu25d')).catch((caught: unknown) => caught);
    expect((error as Error).message).toMatch(/gpci: its diff declaration names no_such_column, not columns of cms.pfs_gpci/);
    expect(await feed()).toEqual([]);
    const releases = await test.database.db.selectFrom('cms.releases').select('code').execute();
    expect(releases).toEqual([{ code: 'RVU24B' }]);
    const runs = await test.database.db.selectFrom('cms.import_runs').select(['release_code', 'outcome']).orderBy('id').execute();
    expect(runs).toEqual([
      { release_code: 'RVU24B', outcome: 'loaded' },
      { release_code: 'RVU25D', outcome: 'failed' },
    ]);
  });
});
