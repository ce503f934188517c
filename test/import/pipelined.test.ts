/**
 * On PostgreSQL a load reads each file while the server still stores (and analyses) the ones
 * before it. Failures are still the first one in file order, with nothing loaded: a bad value
 * in the last file, and a row the server refuses in an earlier file while later ones are read.
 */
import path from 'node:path';
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { InputError, importRelease } from '../../src/index.js';
import { backends, useFreshDatabase } from '../support/db.js';
import { pfsZip, replaceOnce, scratchDir, writeZip, zipMembers } from '../support/fixtures.js';

describe.each(backends)('a load whose files are read ahead of the server on %s', (backend) => {
  const test = useFreshDatabase(backend);
  let scratch: string;
  beforeAll(async () => {
    scratch = await scratchDir();
  });

  async function nothingLoaded(error: unknown): Promise<void> {
    const counts = await sql<{ releases: string; rows: string; files: string }>`
      select (select count(*) from cms.releases) as releases,
             (select count(*) from cms.pfs_rvu) + (select count(*) from cms.pfs_gpci) + (select count(*) from cms.pfs_locality_county)
               + (select count(*) from cms.pfs_anes_cf) + (select count(*) from cms.pfs_opps_cap) as rows,
             (select count(*) from cms.release_files) + (select count(*) from cms.release_datasets) as files`.execute(test.database.db);
    expect(counts.rows[0]).toEqual({ releases: '0', rows: '0', files: '0' });
    const runs = await test.database.db.selectFrom('cms.import_runs').select(['outcome', 'error']).execute();
    expect(runs).toEqual([{ outcome: 'failed', error: (error as Error).message }]);
  }

  it('a bad value in the last file (OPPSCAP) fails with its line and column, nothing loaded', async () => {
    const members = await zipMembers(pfsZip('rvu25d'));
    const text = Buffer.from(members['OPPSCAP_Oct.csv']!).toString('latin1');
    members['OPPSCAP_Oct.csv'] = new Uint8Array(Buffer.from(replaceOnce(text, '0633T,TC,C,01112,18,126.90,', '0633T,TC,C,01112,18,126.9O,'), 'latin1'));
    const source = await writeZip(path.join(scratch, 'bad-last'), 'rvu25d.zip', members);
    const error = await importRelease(test.database, source).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InputError);
    expect(error).toMatchObject({ file: 'rvu25d.zip:OPPSCAP_Oct.csv', line: 3, column: 'FACILITY PRICE', value: '126.9O' });
    await nothingLoaded(error);
  });

  it('rows the server refuses in an earlier file fail the load with that refusal, though later files were read', async () => {
    // A constraint the data does not meet stands in for any refusal by the server.
    await sql`alter table cms.pfs_gpci add constraint test_no_alabama check (state <> 'AL')`.execute(test.database.db);
    try {
      const error = await importRelease(test.database, pfsZip('rvu25d')).catch((caught: unknown) => caught);
      expect((error as Error).message).toContain('test_no_alabama');
      await nothingLoaded(error);
    } finally {
      await sql`alter table cms.pfs_gpci drop constraint test_no_alabama`.execute(test.database.db);
    }
  });
});
