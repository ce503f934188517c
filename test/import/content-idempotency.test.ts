/**
 * Idempotency by content, whatever the container, and partial re-posts (issue 8, item 2):
 * importing one file of a loaded release, or the folder it unzips to, is `unchanged`; a re-post
 * that ships only some datasets carries the others forward from the revision it supersedes, so
 * `current_releases` names, for every dataset, data of the newest release that has it.
 */
import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { importRelease } from '../../src/index.js';
import type { Database } from '../../src/db/database.js';
import { backends, useFreshDatabase } from '../support/db.js';
import { fixture, pfsZip, scratchDir } from '../support/fixtures.js';

const PFS_DATASETS = ['anes', 'gpci', 'locco', 'oppscap', 'pprrvu'];

async function current(database: Database) {
  return database.db.selectFrom('cms.current_releases').select(['dataset', 'code', 'revision']).where('family', '=', 'pfs').orderBy('dataset').execute();
}

/** Rows each *_current view serves, by dataset. */
async function currentCounts(database: Database) {
  const { rows } = await sql<Record<string, string>>`
    select (select count(*) from cms.pfs_rvu_current) as pprrvu, (select count(*) from cms.pfs_gpci_current) as gpci,
           (select count(*) from cms.pfs_locality_county_current) as locco, (select count(*) from cms.pfs_anes_cf_current) as anes,
           (select count(*) from cms.pfs_opps_cap_current) as oppscap`.execute(database.db);
  return Object.fromEntries(Object.entries(rows[0]!).map(([key, value]) => [key, Number(value)]));
}

describe.each(backends)('content idempotency and partial re-posts on %s', (backend) => {
  const test = useFreshDatabase(backend);
  let scratch: string;
  beforeAll(async () => {
    scratch = await scratchDir();
  });

  const RVU25D_COUNTS = { pprrvu: 52, gpci: 14, locco: 15, anes: 14, oppscap: 30 };

  it('rvu24b, rvu25d, then the PPRRVU csv alone, then the folder: unchanged, and RVU25D stays current for every dataset', async () => {
    await importRelease(test.database, pfsZip('rvu24b'));
    await importRelease(test.database, pfsZip('rvu25d'));
    const before = await currentCounts(test.database);
    expect(before).toEqual(RVU25D_COUNTS);

    // The identical bytes of one member, unzipped.
    const single = await importRelease(test.database, fixture('pfs', 'rvu25d', 'PPRRVU2025_Oct.csv'));
    expect(single).toMatchObject({ status: 'unchanged', code: 'RVU25D', revision: 0, datasets: [] });

    // The folder the zip unzips to (csv, txt and xlsx, as CMS ships them).
    const folder = path.join(scratch, 'sequence', 'RVU25D');
    await cp(fixture('pfs', 'rvu25d'), folder, { recursive: true });
    expect(await importRelease(test.database, folder)).toMatchObject({ status: 'unchanged', code: 'RVU25D', revision: 0 });

    expect(await current(test.database)).toEqual(PFS_DATASETS.map((dataset) => ({ dataset, code: 'RVU25D', revision: 0 })));
    expect(await currentCounts(test.database)).toEqual(RVU25D_COUNTS);
    const releases = await test.database.db.selectFrom('cms.releases').select(['code', 'revision', 'status']).orderBy('id').execute();
    expect(releases).toEqual([
      { code: 'RVU24B', revision: 0, status: 'active' },
      { code: 'RVU25D', revision: 0, status: 'active' },
    ]);
    const runs = await test.database.db.selectFrom('cms.import_runs').select('outcome').orderBy('id').execute();
    expect(runs.map((run) => run.outcome)).toEqual(['loaded', 'loaded', 'unchanged', 'unchanged']);
  });

  it('a re-post of one changed file carries the other datasets forward from the revision it supersedes', async () => {
    await importRelease(test.database, pfsZip('rvu24b'));
    await importRelease(test.database, pfsZip('rvu25d'));
    // The PPRRVU csv re-posted on its own with one description corrected: new bytes, one dataset.
    const csv = (await readFile(fixture('pfs', 'rvu25d', 'PPRRVU2025_Oct.csv'))).toString('latin1');
    const dir = path.join(scratch, 'repost');
    await mkdir(dir, { recursive: true });
    const file = path.join(dir, 'PPRRVU2025_Oct.csv');
    await writeFile(file, csv.replace('CPT descriptor withheld 99213', 'CPT descriptor withheld 99213 (corrected)'), 'latin1');
    const loaded = await importRelease(test.database, file);
    expect(loaded).toMatchObject({ status: 'loaded', code: 'RVU25D', revision: 1, superseded: { code: 'RVU25D', revision: 0 } });
    expect(loaded.datasets.map((dataset) => dataset.dataset)).toEqual(['pprrvu']);
    expect(loaded.carried.map((dataset) => [dataset.dataset, dataset.rows, dataset.from.revision])).toEqual([
      ['anes', 14, 0],
      ['gpci', 14, 0],
      ['locco', 15, 0],
      ['oppscap', 30, 0],
    ]);

    expect(await current(test.database)).toEqual(PFS_DATASETS.map((dataset) => ({ dataset, code: 'RVU25D', revision: 1 })));
    expect(await currentCounts(test.database)).toEqual(RVU25D_COUNTS);
    // The carried rows are RVU25D's, not RVU24B's: same rows as revision 0.
    const { rows } = await sql<{ differ: string }>`
      select count(*) as differ from (
        (select hcpcs, modifier, mac, locality, fac_price, nonfac_price from cms.pfs_opps_cap where release_id = ${loaded.releaseId}
         except select hcpcs, modifier, mac, locality, fac_price, nonfac_price from cms.pfs_opps_cap o
           join cms.releases r on r.id = o.release_id where r.code = 'RVU25D' and r.revision = 0)) d`.execute(test.database.db);
    expect(rows[0]!.differ).toBe('0');
    const carriedFrom = await test.database.db.selectFrom('cms.release_datasets').select(['dataset', 'carried_from']).where('release_id', '=', loaded.releaseId).orderBy('dataset').execute();
    const revision0 = await test.database.db.selectFrom('cms.releases').select('id').where('code', '=', 'RVU25D').where('revision', '=', 0).executeTakeFirstOrThrow();
    expect(carriedFrom).toEqual([
      { dataset: 'anes', carried_from: revision0.id },
      { dataset: 'gpci', carried_from: revision0.id },
      { dataset: 'locco', carried_from: revision0.id },
      { dataset: 'oppscap', carried_from: revision0.id },
      { dataset: 'pprrvu', carried_from: null },
    ]);
    // The change feed of the re-post holds only what it changed: the one PPRRVU row.
    const feed = await test.database.db.selectFrom('cms.code_change').select(['dataset', 'hcpcs']).where('to_release_id', '=', loaded.releaseId).execute();
    expect(feed).toEqual([{ dataset: 'pfs_rvu', hcpcs: '99213' }]);

    // The same changed file again: unchanged (revision 1's content), and still nothing from RVU24B.
    expect(await importRelease(test.database, file)).toMatchObject({ status: 'unchanged', revision: 1 });
  });
});
