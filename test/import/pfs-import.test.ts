/**
 * Importing PFS releases end to end, on PGlite and (with TEST_DATABASE_URL) PostgreSQL:
 * what a release looks like once loaded, idempotency, revisions, and the QPP merge.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { importRelease, listReleases } from '../../src/index.js';
import { backends, useFreshDatabase } from '../support/db.js';
import { expectImportRefused } from '../support/refused.js';
import { writeBigRelease } from '../support/big-release.js';
import { fixture, pfsZip, readText, replaceOnce, scratchDir, writeZip, zipMembers } from '../support/fixtures.js';

describe.each(backends)('PFS import on %s', (backend) => {
  const test = useFreshDatabase(backend);
  let scratch: string;
  beforeAll(async () => {
    scratch = await scratchDir();
  });

  const db = () => test.database.db;
  const count = async (table: string, where = sql`true`) =>
    Number((await sql<{ n: string }>`select count(*) as n from ${sql.table(table)} where ${where}`.execute(db())).rows[0]!.n);

  it('loads a release zip as one immutable snapshot with its datasets, dates and audit row', async () => {
    const result = await importRelease(test.database, pfsZip('rvu25d'));
    expect(result).toMatchObject({ status: 'loaded', family: 'pfs', code: 'RVU25D', revision: 0, effectiveFrom: '2025-10-01', publishedOn: '2025-09-11' });
    expect(Object.fromEntries(result.datasets.map((d) => [d.dataset, d.rows]))).toEqual({ pprrvu: 52, gpci: 14, locco: 15, anes: 14, oppscap: 30 });
    expect(result.warnings).toEqual(['rvu25d.zip:25LOCCO.csv, line 20: repeats line 19 (state="MISSOURI", locality="99"); identical rows kept once']);

    const [release] = await listReleases(test.database);
    expect(release).toMatchObject({ code: 'RVU25D', status: 'active', revision: 0, published_on: '2025-09-11', datasets: { pprrvu: 52, gpci: 14, locco: 15, anes: 14, oppscap: 30 } });
    expect(release!.loaded_at).toMatch(/^\d{4}-\d\d-\d\dT/);

    const row = await db().selectFrom('cms.pfs_rvu_current').selectAll().where('hcpcs', '=', '99213').executeTakeFirstOrThrow();
    expect(row).toMatchObject({ modifier: '', work_rvu: '1.30', nonfac_pe_rvu: '1.35', nonfac_total: '2.75', conv_factor: '32.3465', status_code: 'A', nonfac_na: false });
    const files = await db().selectFrom('cms.release_files').selectAll().orderBy('name').execute();
    expect(files.map((file) => file.name)).toEqual([
      'rvu25d.zip:25LOCCO.csv', 'rvu25d.zip:ANES2025.csv', 'rvu25d.zip:GPCI2025.csv', 'rvu25d.zip:OPPSCAP_Oct.csv', 'rvu25d.zip:PPRRVU2025_Oct.csv',
    ]);
    // Each member's sha256, taken while it was read, is that of its bytes.
    const members = await zipMembers(pfsZip('rvu25d'));
    for (const file of files) {
      const bytes = members[file.name.replace('rvu25d.zip:', '')]!;
      expect(file.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    }
    const runs = await db().selectFrom('cms.import_runs').selectAll().execute();
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ outcome: 'loaded', release_code: 'RVU25D', family: 'pfs', error: null });
    expect(runs[0]!.finished_at).not.toBeNull();
  });

  it('treats the same bytes again as a no-op, and records the attempt', async () => {
    const first = await importRelease(test.database, pfsZip('rvu24b'));
    const again = await importRelease(test.database, pfsZip('rvu24b'));
    expect(again).toMatchObject({ status: 'unchanged', code: 'RVU24B', revision: 0, releaseId: first.releaseId });
    expect(await count('cms.releases')).toBe(1);
    expect(await count('cms.pfs_rvu')).toBe(48);
    const outcomes = (await db().selectFrom('cms.import_runs').select('outcome').orderBy('id').execute()).map((run) => run.outcome);
    expect(outcomes).toEqual(['loaded', 'unchanged']);
  });

  it('loads the folder a zip unzips to, and a single file, reading csv before xlsx and txt', async () => {
    const folder = await importRelease(test.database, fixture('pfs', 'rvu25d'));
    expect(folder).toMatchObject({ status: 'loaded', code: 'RVU25D' });
    expect(folder.datasets.flatMap((d) => d.files.map((f) => f.format))).toEqual(['csv', 'csv', 'csv', 'csv', 'csv']);

    const single = await importRelease(test.database, fixture('pfs', 'rvu26c', 'PPRRVU2026_Jul_nonQPP.csv'));
    expect(single).toMatchObject({ status: 'loaded', code: 'RVU26C', publishedOn: '2026-06-30' });
    expect(single.datasets.map((d) => [d.dataset, d.rows])).toEqual([['pprrvu', 48]]);
  });

  it('reads a lone PPRRVU24_APR file as RVU24B, and honours --code and --effective-from', async () => {
    const lone = await importRelease(test.database, fixture('pfs', 'rvu24b', 'PPRRVU24_APR.xlsx'));
    expect(lone).toMatchObject({ code: 'RVU24B', effectiveFrom: '2024-04-01' });
    const correction = await importRelease(test.database, fixture('pfs', 'rvu24b', 'PPRRVU24_APR.csv'), {
      code: 'RVU24AR',
      effectiveFrom: '2024-03-09',
    });
    expect(correction).toMatchObject({ code: 'RVU24AR', effectiveFrom: '2024-03-09', revision: 0 });
    const stored = await db().selectFrom('cms.releases').select(['code', 'quarter', 'effective_from']).where('code', '=', 'RVU24AR').executeTakeFirstOrThrow();
    expect(stored).toEqual({ code: 'RVU24AR', quarter: 1, effective_from: '2024-03-09' });
  });

  it('makes a re-post with new bytes the next revision, superseding the old one, which stays queryable', async () => {
    const original = await importRelease(test.database, pfsZip('rvu25d'));
    const members = await zipMembers(pfsZip('rvu25d'));
    const pprrvu = new TextDecoder('latin1').decode(members['PPRRVU2025_Oct.csv']);
    members['PPRRVU2025_Oct.csv'] = new Uint8Array(
      Buffer.from(replaceOnce(pprrvu, '99213,,CPT descriptor withheld 99213,A,,1.30,1.35,,0.57,,0.10,2.75,1.97', '99213,,CPT descriptor withheld 99213,A,,1.31,1.35,,0.57,,0.10,2.76,1.98'), 'latin1'),
    );
    const repost = await importRelease(test.database, await writeZip(path.join(scratch, 'repost'), 'rvu25d.zip', members));
    expect(repost).toMatchObject({ status: 'loaded', code: 'RVU25D', revision: 1, superseded: { code: 'RVU25D', revision: 0 } });

    const releases = await listReleases(test.database);
    expect(releases.map((r) => [r.code, r.revision, r.status])).toEqual([
      ['RVU25D', 0, 'superseded'],
      ['RVU25D', 1, 'active'],
    ]);
    const old = await db().selectFrom('cms.pfs_rvu').select('work_rvu').where('release_id', '=', original.releaseId).where('hcpcs', '=', '99213').executeTakeFirstOrThrow();
    expect(old.work_rvu).toBe('1.30');
    const current = await db().selectFrom('cms.pfs_rvu_current').select(['work_rvu', 'release_id']).where('hcpcs', '=', '99213').executeTakeFirstOrThrow();
    expect(current).toEqual({ work_rvu: '1.31', release_id: repost.releaseId });
    const superseded = await db().selectFrom('cms.releases').select('superseded_by').where('id', '=', original.releaseId).executeTakeFirstOrThrow();
    expect(superseded.superseded_by).toBe(repost.releaseId);
  });

  it('keeps each dataset current in the newest release that has it', async () => {
    await importRelease(test.database, pfsZip('rvu25d'));
    await importRelease(test.database, pfsZip('rvu26c'));
    const current = await db().selectFrom('cms.current_releases').select(['dataset', 'code']).orderBy('dataset').execute();
    expect(current).toEqual([
      { dataset: 'anes', code: 'RVU25D' },
      { dataset: 'gpci', code: 'RVU26C' },
      { dataset: 'locco', code: 'RVU26C' },
      { dataset: 'oppscap', code: 'RVU25D' },
      { dataset: 'pprrvu', code: 'RVU26C' },
    ]);
    expect(await count('cms.pfs_opps_cap_current')).toBe(30);
    expect(await count('cms.pfs_gpci_current')).toBe(15);
  });

  it('loads the 2026 nonQPP and QPP files as one row per code carrying both conversion factors', async () => {
    const result = await importRelease(test.database, pfsZip('rvu26c'));
    expect(result.datasets.find((d) => d.dataset === 'pprrvu')).toMatchObject({
      rows: 48,
      files: [
        { name: 'rvu26c.zip:PPRRVU2026_Jul_nonQPP.csv', role: 'main', rows: 48 },
        { name: 'rvu26c.zip:PPRRVU2026_Jul_QPP.csv', role: 'qpp', rows: 48 },
      ],
    });
    const factors = await sql<{ conv_factor: string; conv_factor_qpp: string; pricing_ind: string; n: string }>`
      select conv_factor::text, conv_factor_qpp::text, pricing_ind, count(*) as n from cms.pfs_rvu group by 1, 2, 3`.execute(db());
    expect(factors.rows).toEqual([{ conv_factor: '33.4009', conv_factor_qpp: '33.5675', pricing_ind: '9', n: '48' }]);
  });

  it('refuses QPP and nonQPP files that disagree on anything but PRIC IND and the factor', async () => {
    const members = await zipMembers(pfsZip('rvu26c'));
    const qpp = new TextDecoder('latin1').decode(members['PPRRVU2026_Jul_QPP.csv']);
    const line = qpp.split('\r\n').findIndex((text) => text.startsWith('99213,')) + 1;
    members['PPRRVU2026_Jul_QPP.csv'] = new Uint8Array(
      Buffer.from(replaceOnce(qpp, '99213,,CPT descriptor withheld 99213,A,,1.30,1.46', '99213,,Office visit altered,A,,1.30,1.46'), 'latin1'),
    );
    const zip = await writeZip(path.join(scratch, 'qpp-mismatch'), 'rvu26c.zip', members);
    const error = await expectImportRefused(test.database, () => importRelease(test.database, zip));
    expect(error).toMatchObject({ name: 'InputError', file: 'rvu26c.zip:PPRRVU2026_Jul_QPP.csv', line, column: 'description', value: 'Office visit altered' });
    expect(error.message).toContain('disagrees with rvu26c.zip:PPRRVU2026_Jul_nonQPP.csv');
  });

  it('refuses a QPP file that lacks a code of the nonQPP file', async () => {
    const members = await zipMembers(pfsZip('rvu26c'));
    const qpp = new TextDecoder('latin1').decode(members['PPRRVU2026_Jul_QPP.csv']);
    members['PPRRVU2026_Jul_QPP.csv'] = new Uint8Array(Buffer.from(qpp.replace(/^99213,.*\r\n/m, ''), 'latin1'));
    const zip = await writeZip(path.join(scratch, 'qpp-missing'), 'rvu26c.zip', members);
    const error = await expectImportRefused(test.database, () => importRelease(test.database, zip));
    expect(error.message).toMatch(/hcpcs="99213", modifier="" of rvu26c\.zip:PPRRVU2026_Jul_nonQPP\.csv is missing/);
  });

  it('refuses a re-post of one 2026 PPRRVU file alone where the revision it replaces merged both', async () => {
    const members = await zipMembers(pfsZip('rvu26c'));
    const folder = path.join(scratch, 'rvu26c-split');
    const qppOnly = await writeZip(path.join(folder, 'qpp'), 'PPRRVU2026_Jul_QPP.zip', { 'PPRRVU2026_Jul_QPP.csv': members['PPRRVU2026_Jul_QPP.csv']! });
    await importRelease(test.database, pfsZip('rvu26c'));
    const error = await expectImportRefused(test.database, () => importRelease(test.database, qppOnly, { code: 'RVU26C' }));
    expect(error).toMatchObject({ name: 'InputError', file: 'PPRRVU2026_Jul_QPP.zip:PPRRVU2026_Jul_QPP.csv' });
    expect(error.message).toContain(
      'pprrvu: this re-post of RVU26C holds only PPRRVU2026_Jul_QPP.zip:PPRRVU2026_Jul_QPP.csv; RVU26C was loaded with rvu26c.zip:PPRRVU2026_Jul_nonQPP.csv too, whose conv_factor, pricing_ind a lone file would drop',
    );
    // what is served is still the merged release: both factors
    const factors = await sql<{ conv_factor: string; conv_factor_qpp: string }>`
      select distinct r.conv_factor::text, r.conv_factor_qpp::text from cms.pfs_rvu_current r`.execute(db());
    expect(factors.rows).toEqual([{ conv_factor: '33.4009', conv_factor_qpp: '33.5675' }]);
  });

  it('refuses a source that is no CMS release, naming what it found', async () => {
    const other = await writeZip(scratch, 'notes.zip', { 'README.txt': 'hello', 'notes.csv': 'a,b\n1,2\n' });
    const error = await expectImportRefused(test.database, () => importRelease(test.database, other));
    expect(error).toMatchObject({ name: 'InputError', file: 'notes.zip', problem: 'no CMS data files recognised' });
  });

  it('refuses a zip whose name and PPRRVU member disagree', async () => {
    const renamed = await writeZip(scratch, 'rvu25a.zip', await zipMembers(pfsZip('rvu25d')));
    const error = await expectImportRefused(test.database, () => importRelease(test.database, renamed));
    expect(error.message).toMatch(/the name says RVU25A but its PPRRVU file \(PPRRVU2025_Oct\) belongs to RVU25D/);
  });

  it('keeps the text of its inputs exact: decimals as written, codes as text', async () => {
    await importRelease(test.database, pfsZip('rvu24b'));
    const anes = await db().selectFrom('cms.pfs_anes_cf').select(['mac', 'locality', 'anes_cf']).where('mac', '=', '02102').executeTakeFirstOrThrow();
    expect(anes).toEqual({ mac: '02102', locality: '01', anes_cf: '28.54' });
    const raw = await readText(fixture('pfs', 'rvu24b', 'PPRRVU24_APR.csv'));
    expect(raw).toContain('33.2875');
    const cf = await sql<{ cf: string }>`select distinct conv_factor::text as cf from cms.pfs_rvu`.execute(db());
    expect(cf.rows).toEqual([{ cf: '33.2875' }]);
  });

  if (backend === 'postgres') {
    it('a connection dropped mid-load fails the import clearly and loads nothing', async () => {
      // 60k rows: the first progress event (5,000 rows read) comes long before the load can end.
      const big = await writeBigRelease(path.join(scratch, 'big'), 60_000);
      const admin = new pg.Client({ connectionString: test.url });
      await admin.connect();
      let terminated: Promise<unknown> | undefined;
      try {
        const error = await importRelease(test.database, big, {
          onEvent: () => {
            // Kill the server side of the load's connection as soon as rows are flowing.
            terminated ??= admin.query(
              `select pg_terminate_backend(pid) from pg_stat_activity
               where datname = current_database() and application_name = 'cms-ingest' and pid <> pg_backend_pid() and xact_start is not null`,
            );
          },
        }).catch((caught: unknown) => caught);
        await terminated;
        expect(error).toBeInstanceOf(Error);
        // Whether the client saw the server's goodbye or a broken socket first, the message is the same.
        expect((error as Error).message).toMatch(/^the database connection was lost during the transaction \(.+\); nothing of it was committed$/);
      } finally {
        await admin.end();
      }
      expect(await count('cms.releases')).toBe(0);
      expect(await count('cms.pfs_rvu')).toBe(0);
      const runs = await db().selectFrom('cms.import_runs').select(['outcome', 'error']).execute();
      expect(runs).toEqual([{ outcome: 'failed', error: expect.stringMatching(/^the database connection was lost during the transaction/) }]);
      // The pool recovers: the next import succeeds.
      await expect(importRelease(test.database, pfsZip('rvu25d'))).resolves.toMatchObject({ status: 'loaded' });
    });
  }
});
