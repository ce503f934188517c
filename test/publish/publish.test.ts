/**
 * Publish to a downstream PostgreSQL: the tables, the log, the no-op, atomicity against readers,
 * and failures that must leave the target exactly as it was.
 */
import { copyFile, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { families } from '../../pipelines/index.js';
import { UsageError, importEditorial, importRelease, publish } from '../../src/index.js';
import { backends, useFreshDatabase } from '../support/db.js';
import { fixture, pfsZip, scratchDir } from '../support/fixtures.js';
import { fingerprint, useTargetDatabase } from './support.js';

const SCHEMA = 'cms_catalog';
const withTarget = process.env.TEST_DATABASE_URL ? backends : [];

describe('publish without a reachable target', () => {
  const source = useFreshDatabase('pglite');

  it('fails with a message naming the target without its password, and records the attempt', async () => {
    await importRelease(source.database, pfsZip('rvu25d'));
    const [result] = await publish(source.database, { targets: ['postgres://reader:s3cret-pw@127.0.0.1:1/downstream'] });
    expect(result).toMatchObject({ outcome: 'failed', target: 'postgres://reader:***@127.0.0.1:1/downstream' });
    expect(result!.error).toMatch(/^publish to postgres:\/\/reader:\*\*\*@127\.0\.0\.1:1\/downstream \(schema cms_catalog\) failed: cannot connect/);
    const runs = await source.database.db.selectFrom('cms.publish_runs').selectAll().execute();
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ kind: 'postgres', outcome: 'failed', target: 'postgres://reader:***@127.0.0.1:1/downstream' });
    expect(JSON.stringify(runs)).not.toContain('s3cret-pw');
  });

  it('refuses to publish from a source with no release loaded (it would empty every published table), before contacting the target', async () => {
    const [result] = await publish(source.database, { targets: ['postgres://reader:s3cret-pw@127.0.0.1:1/downstream'] });
    expect(result).toMatchObject({ outcome: 'failed' });
    expect(result!.error).toMatch(/has no release loaded: publishing it would replace what cms_catalog serves with empty tables; nothing was changed/);
  });

  it('refuses a target that is not a PostgreSQL URL and a schema name PostgreSQL would not take as is', async () => {
    await expect(publish(source.database, { targets: ['mysql://localhost/x'] })).rejects.toThrow(
      '--to "mysql://localhost/x": expected a PostgreSQL URL such as postgres://warehouse.example:5432/db',
    );
    await expect(publish(source.database, { targets: ['postgres://x@localhost/y'], schema: 'Cms-Catalog' })).rejects.toThrow(
      '--schema "Cms-Catalog": expected a lower-case PostgreSQL name of at most 40 characters (letters, digits, _)',
    );
  });
});

describe.each(withTarget)('publish from %s to PostgreSQL', (backend) => {
  const source = useFreshDatabase(backend);
  const target = useTargetDatabase();
  const publishOnce = (options: { force?: boolean; omitCptDescriptors?: boolean; onStep?: Parameters<typeof publish>[1]['onStep'] } = {}) =>
    publish(source.database, { targets: [target.url], ...options }).then((results) => results[0]!);
  const resetTarget = () => target.query(`drop schema if exists ${SCHEMA} cascade; select 1`).then(async () => {
    for (const { name } of await target.query<{ name: string }>(`select nspname as name from pg_namespace where nspname like '${SCHEMA}\\_\\_%'`)) {
      await target.query(`drop schema "${name}" cascade`);
    }
  });

  it('writes the releases and the change feed with release codes, logs the publish, and does nothing when nothing is new', async () => {
    await resetTarget();
    await importRelease(source.database, pfsZip('rvu24b'));
    await importRelease(source.database, pfsZip('rvu25d'));

    const first = await publishOnce();
    expect(first.outcome).toBe('published');
    const releases = await target.query<{ code: string; revision: number; current_for: string[] }>(
      `select code, revision, current_for from ${SCHEMA}.releases order by code`,
    );
    expect(releases).toEqual([
      { code: 'RVU24B', revision: 0, current_for: [] },
      { code: 'RVU25D', revision: 0, current_for: ['anes', 'gpci', 'locco', 'oppscap', 'pprrvu'] },
    ]);
    const sourceFeed = await sql<{ count: string }>`select count(*)::text as count from cms.code_change`.execute(source.database.db);
    const feed = await target.query<{ count: string; froms: string[]; tos: string[] }>(
      `select count(*)::text as count, array_agg(distinct from_release) as froms, array_agg(distinct to_release) as tos from ${SCHEMA}.code_change`,
    );
    expect(feed[0]).toEqual({ count: sourceFeed.rows[0]!.count, froms: ['RVU24B'], tos: ['RVU25D'] });
    expect(first.tables.find((table) => table.name === 'code_change')?.rows).toBe(Number(sourceFeed.rows[0]!.count));
    const sourcePayments = await sql<{ count: string; total: string }>`
      select count(*)::text as count, sum(p.nonfac_amount)::text as total from cms.pfs_payment p
      join cms.current_releases c on c.release_id = p.release_id and c.dataset = 'pprrvu'`.execute(source.database.db);
    expect(await target.query(`select count(*)::text as count, sum(nonfac_amount)::text as total from ${SCHEMA}.pfs_payment`)).toEqual(sourcePayments.rows);
    expect(await target.query(`select distinct release, revision from ${SCHEMA}.pfs_payment`)).toEqual([{ release: 'RVU25D', revision: 0 }]);

    const log = await target.query<{ releases: { code: string }[]; tables: { name: string; rows: number; sha256: string }[]; host: string }>(
      `select releases, tables, host from ${SCHEMA}.publish_log`,
    );
    expect(log).toHaveLength(1);
    expect(new Set(log[0]!.releases.map((release) => release.code))).toEqual(new Set(['RVU25D']));
    expect(log[0]!.tables).toEqual(first.tables);
    expect(log[0]!.host).not.toBe('');

    // The same releases, the same options: nothing is rebuilt and the views keep their identity.
    const oids = await target.query(`select c.relname, c.oid::text from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = '${SCHEMA}' order by 1`);
    const before = await fingerprint(target.query, SCHEMA);
    const second = await publishOnce();
    expect(second.outcome).toBe('unchanged');
    expect(await fingerprint(target.query, SCHEMA)).toBe(before);
    expect(await target.query(`select c.relname, c.oid::text from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = '${SCHEMA}' order by 1`)).toEqual(oids);

    // --force rebuilds: a second log row, the same content hashes, the same view identities.
    const forced = await publishOnce({ force: true });
    expect(forced.outcome).toBe('published');
    expect(forced.tables.map((table) => table.sha256)).toEqual(first.tables.map((table) => table.sha256));
    expect(await target.query(`select count(*)::int as n from ${SCHEMA}.publish_log`)).toEqual([{ n: 2 }]);
    const runs = await source.database.db.selectFrom('cms.publish_runs').select(['outcome']).orderBy('id').execute();
    expect(runs.map((run) => run.outcome)).toEqual(['published', 'unchanged', 'published']);
  });

  it('keeps readers\' grants and their own views over the published schema across a swap', async () => {
    await resetTarget();
    await importRelease(source.database, pfsZip('rvu24b'));
    await publishOnce();
    await target.query(`drop role if exists publish_reader; create role publish_reader; grant usage on schema ${SCHEMA} to publish_reader;
      grant select on all tables in schema ${SCHEMA} to publish_reader;
      create schema if not exists reader_views; create or replace view reader_views.release_codes as select code from ${SCHEMA}.releases; select 1`);
    await importRelease(source.database, pfsZip('rvu25d'));
    expect((await publishOnce()).outcome).toBe('published');
    expect(await target.query(`select code from reader_views.release_codes order by code`)).toEqual([{ code: 'RVU24B' }, { code: 'RVU25D' }]);
    expect(await target.query(`select has_table_privilege('publish_reader', '${SCHEMA}.code_change', 'select') as granted`)).toEqual([{ granted: true }]);
    await target.query(`drop schema reader_views cascade; drop owned by publish_reader; drop role publish_reader; select 1`);
  });

  it('never shows a reader a partial table, and never blocks one for more than a moment', async () => {
    await resetTarget();
    await importRelease(source.database, pfsZip('rvu24b'));
    await publishOnce();
    const oldCount = Number((await target.query<{ n: string }>(`select count(*) as n from ${SCHEMA}.code_change`))[0]!.n);
    await importRelease(source.database, pfsZip('rvu25d'));

    const reader = new pg.Client({ connectionString: target.url, application_name: 'publish-test-loop' });
    await reader.connect();
    const counts = new Set<number>();
    let slowest = 0;
    let running = true;
    const loop = (async () => {
      for (let i = 0; running && i < 100_000; i++) {
        const started = performance.now();
        const { rows } = await reader.query<{ n: string }>(`select count(*) as n from ${SCHEMA}.code_change`);
        slowest = Math.max(slowest, performance.now() - started);
        counts.add(Number(rows[0]!.n));
      }
    })();
    const result = await publishOnce();
    running = false;
    await loop;
    await reader.end();
    const newCount = Number((await target.query<{ n: string }>(`select count(*) as n from ${SCHEMA}.code_change`))[0]!.n);
    expect(result.outcome).toBe('published');
    expect(newCount).toBeGreaterThan(oldCount);
    expect(counts.has(oldCount)).toBe(true);
    expect([...counts].every((count) => count === oldCount || count === newCount)).toBe(true);
    expect(slowest).toBeLessThan(1_000);
  });

  it('fails, saying readers held the views, when one holds them past the swap\'s wait; the target is as it was', async () => {
    await resetTarget();
    await importRelease(source.database, pfsZip('rvu24b'));
    await publishOnce();
    const before = await fingerprint(target.query, SCHEMA);
    // an open transaction that has read a view holds its lock until it ends
    const reader = new pg.Client({ connectionString: target.url, application_name: 'publish-test-holder' });
    await reader.connect();
    await reader.query(`begin; select count(*) from ${SCHEMA}.releases`);
    try {
      const result = await publishOnce({ force: true });
      expect(result.outcome).toBe('failed');
      expect(result.error).toMatch(/readers of cms_catalog held its views for over 5 s .*pg_stat_activity.*: nothing changed there; publish again once they finish$/);
    } finally {
      await reader.query('rollback');
      await reader.end();
    }
    expect(await fingerprint(target.query, SCHEMA)).toBe(before);
  });

  it('leaves the target exactly as it was when the connection is lost after the staging copy', async () => {
    await resetTarget();
    await importRelease(source.database, pfsZip('rvu24b'));
    await publishOnce();
    await importRelease(source.database, pfsZip('rvu25d'));
    const before = await fingerprint(target.query, SCHEMA);
    const result = await publishOnce({
      onStep: async (step) => {
        if (step === 'staged') await target.query(`select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'cms-ingest' and datname = current_database()`);
      },
    });
    expect(result.outcome).toBe('failed');
    expect(result.error).toMatch(/connection was lost|terminat/i);
    expect(await fingerprint(target.query, SCHEMA)).toBe(before);
    const runs = await source.database.db.selectFrom('cms.publish_runs').select(['outcome', 'error']).orderBy('id', 'desc').limit(1).execute();
    expect(runs[0]!.outcome).toBe('failed');
  });

  it('leaves the target exactly as it was when a statement of the swap fails', async () => {
    await resetTarget();
    await importRelease(source.database, pfsZip('rvu24b'));
    await publishOnce();
    await importRelease(source.database, pfsZip('rvu25d'));
    // Someone's trigger on the log refuses the insert that ends the swap.
    await target.query(`create function ${SCHEMA}.refuse() returns trigger language plpgsql as $$ begin raise exception 'publish_log is read-only today'; end $$;
      create trigger refuse before insert on ${SCHEMA}.publish_log for each row execute function ${SCHEMA}.refuse(); select 1`);
    const before = await fingerprint(target.query, SCHEMA);
    const result = await publishOnce();
    expect(result.outcome).toBe('failed');
    expect(result.error).toContain('publish_log is read-only today');
    expect(await fingerprint(target.query, SCHEMA)).toBe(before);
  });

  it('leaves the target as it was when building one table\'s index fails while the source reads the next table', async () => {
    await resetTarget();
    await importRelease(source.database, pfsZip('rvu24b'));
    await publishOnce();
    await importRelease(source.database, pfsZip('rvu25d'));
    // The target refuses every CREATE INDEX: the catalog's, queued behind its COPY while the
    // source already streams the change feed's rows into the read-ahead.
    await target.query(`create function public.refuse_index() returns event_trigger language plpgsql as $$
        begin if tg_tag = 'CREATE INDEX' then raise exception 'no new indexes today'; end if; end $$;
      create event trigger refuse_index on ddl_command_end execute function public.refuse_index(); select 1`);
    const before = await fingerprint(target.query, SCHEMA);
    try {
      const result = await publishOnce();
      expect(result.outcome).toBe('failed');
      expect(result.error).toContain('no new indexes today');
      expect(await fingerprint(target.query, SCHEMA)).toBe(before);
    } finally {
      await target.query('drop event trigger refuse_index; drop function public.refuse_index(); select 1');
    }
    // the source's snapshot was left cleanly: the next publish goes through
    expect((await publishOnce()).outcome).toBe('published');
    expect(await target.query<{ code: string }>(`select code from ${SCHEMA}.releases where family = 'pfs' order by code`)).toEqual([{ code: 'RVU24B' }, { code: 'RVU25D' }]);
  });

  it('analyses every published column from a small sample, and leaves autovacuum a full ANALYZE to do', async () => {
    await resetTarget();
    await importRelease(source.database, pfsZip('rvu24b'));
    await importRelease(source.database, pfsZip('rvu25d'));
    const result = await publishOnce({ force: true });
    expect(result.outcome).toBe('published');
    const [{ schema }] = (await target.query<{ schema: string }>(`select data_schema as schema from ${SCHEMA}.publish_log order by published_at desc limit 1`)) as [{ schema: string }];
    const columns = await target.query<{ name: string }>(
      `select column_name as name from information_schema.columns where table_schema = '${schema}' and table_name = 'code_change' order by 1`,
    );
    const analysed = await target.query<{ name: string }>(`select attname as name from pg_stats where schemaname = '${schema}' and tablename = 'code_change' order by 1`);
    expect(analysed).toEqual(columns);
    // a sample of 3,000 rows (default_statistics_target 10): a histogram of at most 11 bounds
    const [bounds] = await target.query<{ n: number }>(
      `select array_length(histogram_bounds::text::text[], 1) as n from pg_stats where schemaname = '${schema}' and tablename = 'code_catalog' and attname = 'hcpcs'`,
    );
    expect(bounds!.n).toBeGreaterThan(1);
    expect(bounds!.n).toBeLessThanOrEqual(11);
    const [{ rows }] = (await target.query<{ rows: string }>(`select count(*)::text as rows from "${schema}".code_change`)) as [{ rows: string }];
    expect(Number(rows)).toBeGreaterThan(0);
    // the columns were named, so the rows count as changed since the last full ANALYZE
    await expect
      .poll(
        async () =>
          Number((await target.query<{ changed: string }>(`select n_mod_since_analyze::text as changed from pg_stat_user_tables where schemaname = '${schema}' and relname = 'code_change'`))[0]?.changed),
        { timeout: 10_000, interval: 200 },
      )
      .toBeGreaterThanOrEqual(Number(rows));
  });

  it('refuses a target whose published views were changed by someone else, changing nothing', async () => {
    await resetTarget();
    await importRelease(source.database, pfsZip('rvu24b'));
    await publishOnce();
    await target.query(`create or replace view ${SCHEMA}.releases as select * from ${SCHEMA}.publish_log; select 1`).catch(async () => {
      await target.query(`drop view ${SCHEMA}.releases; create view ${SCHEMA}.releases as select 1 as x; select 1`);
    });
    await importRelease(source.database, pfsZip('rvu25d'));
    const before = await fingerprint(target.query, SCHEMA);
    const result = await publishOnce();
    expect(result.outcome).toBe('failed');
    expect(result.error).toContain(`${SCHEMA}.releases was changed outside cms-ingest`);
    expect(await fingerprint(target.query, SCHEMA)).toBe(before);
  });

  it('refuses a target whose views were redefined, dropped or whose rows were changed, where a publish would have said "up to date"; --force replaces them', async () => {
    await resetTarget();
    await importRelease(source.database, pfsZip('rvu25d'));
    await publishOnce();
    const dataSchema = async () => (await target.query<{ data_schema: string }>(`select data_schema from ${SCHEMA}.publish_log order by id desc limit 1`))[0]!.data_schema;
    const refusedAfter = async (change: (data: string) => string, expected: string) => {
      await target.query(change(await dataSchema()));
      const before = await fingerprint(target.query, SCHEMA);
      const result = await publishOnce();
      expect(result.outcome).toBe('failed');
      expect(result.error).toContain(expected);
      expect(await fingerprint(target.query, SCHEMA)).toBe(before);
      const forced = await publishOnce({ force: true });
      expect(forced.outcome).toBe('published');
      expect((await publishOnce()).outcome).toBe('unchanged');
    };
    const full = await target.query<{ count: string }>(`select count(*)::text as count from ${SCHEMA}.pfs_payment`);
    // the same data schema, a filter: it still reads from the last publish's table
    await refusedAfter(
      (data) => `create or replace view ${SCHEMA}.pfs_payment as select * from ${data}.pfs_payment where mac = '01112'`,
      `${SCHEMA}.pfs_payment was changed outside cms-ingest: it is no longer \`select * from `,
    );
    await refusedAfter((data) => `delete from ${data}.code_catalog where hcpcs = (select min(hcpcs) from ${data}.code_catalog)`, `${SCHEMA}.code_catalog was changed outside cms-ingest: it has `);
    await refusedAfter(() => `drop view ${SCHEMA}.releases`, `${SCHEMA}.releases was dropped outside cms-ingest`);
    expect(await target.query(`select count(*)::text as count from ${SCHEMA}.pfs_payment`)).toEqual(full);
    expect(await target.query(`select code from ${SCHEMA}.releases`)).toEqual([{ code: 'RVU25D' }]);
  });

  it('publishes again when a release is loaded that is current for nothing (an older one): the releases it serves changed', async () => {
    await resetTarget();
    await importRelease(source.database, pfsZip('rvu25d'));
    expect((await publishOnce()).outcome).toBe('published');
    await importRelease(source.database, pfsZip('rvu24b'));
    const second = await publishOnce();
    expect(second.outcome).toBe('published');
    expect(await target.query(`select code, current_for from ${SCHEMA}.releases order by code`)).toEqual([
      { code: 'RVU24B', current_for: [] },
      { code: 'RVU25D', current_for: ['anes', 'gpci', 'locco', 'oppscap', 'pprrvu'] },
    ]);
    expect((await publishOnce()).outcome).toBe('unchanged');
  });

  it('refuses to publish the payments of a current PFS release without a GPCI file (they would be none), leaving the target as it was', async () => {
    await resetTarget();
    await importRelease(source.database, pfsZip('rvu25d'));
    await publishOnce();
    const full = await target.query<{ count: string }>(`select count(*)::text as count from ${SCHEMA}.pfs_payment`);
    expect(Number(full[0]!.count)).toBeGreaterThan(0);
    const lone = path.join(await scratchDir(), 'PPRRVU2026_Jul_nonQPP.csv');
    await copyFile(fixture('pfs', 'rvu26c', 'PPRRVU2026_Jul_nonQPP.csv'), lone);
    expect(await importRelease(source.database, lone)).toMatchObject({ status: 'loaded', code: 'RVU26C' });
    const before = await fingerprint(target.query, SCHEMA);
    const refused = await publishOnce();
    expect(refused.outcome).toBe('failed');
    expect(refused.error).toContain('RVU26C@0, the current PFS release, has no GPCI file loaded, so its payments cannot be computed by locality');
    expect(await fingerprint(target.query, SCHEMA)).toBe(before);
    // Asked for no payments, it publishes.
    const none = await publish(source.database, { targets: [target.url], paymentLocalities: 'none' });
    expect(none[0]!.outcome).toBe('published');
  });

  it('drops the data schemas of earlier publishes, and never a schema of someone else\'s named like one', async () => {
    await resetTarget();
    await target.query(`drop schema if exists ${SCHEMA}__backup cascade; create schema ${SCHEMA}__backup; create table ${SCHEMA}__backup.kept as select 1 as x; select 1`);
    try {
      await importRelease(source.database, pfsZip('rvu25d'));
      await publishOnce();
      await publishOnce({ force: true });
      const schemas = await target.query<{ name: string }>(`select nspname as name from pg_namespace where nspname like '${SCHEMA}\\_\\_%' order by 1`);
      const last = await target.query<{ data_schema: string }>(`select data_schema from ${SCHEMA}.publish_log order by id desc limit 1`);
      expect(schemas.map((row) => row.name).sort()).toEqual([`${SCHEMA}__backup`, last[0]!.data_schema].sort());
      expect(await target.query(`select x from ${SCHEMA}__backup.kept`)).toEqual([{ x: 1 }]);
    } finally {
      await target.query(`drop schema if exists ${SCHEMA}__backup cascade; select 1`);
    }
  });

  it('publishes the merged catalog with the editorial version, and a new editorial version is something new', async () => {
    await resetTarget();
    await importRelease(source.database, pfsZip('rvu25d'));
    await importRelease(source.database, fixture('hcpcs', 'october-2025-alpha-numeric-hcpcs-file.zip'));
    await importEditorial(source.database, [fixture('editorial')], { allowUnknownCodes: true });
    const first = await publishOnce();
    expect(first.outcome).toBe('published');
    const sourceCatalog = await sql<{ count: string; version: string }>`
      select count(*)::text as count, (select max(id)::text from cms.editorial_version) as version from cms.code_catalog`.execute(source.database.db);
    expect(first.editorialVersion).toBe(sourceCatalog.rows[0]!.version);
    expect(await target.query(`select count(*)::text as count from ${SCHEMA}.code_catalog`)).toEqual([{ count: sourceCatalog.rows[0]!.count }]);
    const a2001 = await target.query<Record<string, unknown>>(`select hcpcs, kind, title, pfs_release, hcpcs_release, summary from ${SCHEMA}.code_catalog where hcpcs = 'A2001'`);
    expect(a2001).toEqual([expect.objectContaining({ hcpcs: 'A2001', pfs_release: 'RVU25D', hcpcs_release: 'HCPC2025_OCT' })]);
    expect(a2001[0]!.summary).toBe('A skin substitute product billed per square centimeter applied.');
    const columns = await target.query<{ column_name: string }>(`select column_name from information_schema.columns where table_schema = '${SCHEMA}' and table_name = 'code_catalog'`);
    expect(columns.map((column) => column.column_name)).not.toContain('pfs_release_id');
    expect((await target.query<{ editorial_version: string }>(`select editorial_version from ${SCHEMA}.publish_log order by id desc limit 1`))[0]!.editorial_version).toBe(first.editorialVersion);

    expect((await publishOnce()).outcome).toBe('unchanged');
    // an editor's change is a new editorial version: the next publish rebuilds
    const scratch = path.join(await scratchDir(), 'more.csv');
    await writeFile(scratch, 'code,summary\nA0425,Ground mileage per statute mile (edited).\n');
    await importEditorial(source.database, [scratch]);
    const again = await publishOnce();
    expect(again.outcome).toBe('published');
    expect(Number(again.editorialVersion)).toBeGreaterThan(Number(first.editorialVersion));
    expect(await target.query(`select summary from ${SCHEMA}.code_catalog where hcpcs = 'A0425'`)).toEqual([{ summary: 'Ground mileage per statute mile (edited).' }]);
  });

  it('publishes the payments of the chosen localities only, or none', async () => {
    await resetTarget();
    await importRelease(source.database, pfsZip('rvu25d'));
    const [pair] = await target.query<{ pair: string }>('select 1 as one').then(async () =>
      (await sql<{ pair: string }>`select mac || '-' || locality as pair from cms.pfs_gpci_current order by 1 limit 1`.execute(source.database.db)).rows,
    );
    const one = await publish(source.database, { targets: [target.url], paymentLocalities: [pair!.pair] }).then((results) => results[0]!);
    expect(one.outcome).toBe('published');
    const codes = await sql<{ n: string }>`select count(*)::text as n from cms.pfs_rvu_current`.execute(source.database.db);
    expect(await target.query(`select count(*)::text as n, count(distinct mac || '-' || locality)::int as localities from ${SCHEMA}.pfs_payment`)).toEqual([
      { n: codes.rows[0]!.n, localities: 1 },
    ]);
    const none = await publish(source.database, { targets: [target.url], paymentLocalities: 'none' }).then((results) => results[0]!);
    expect(none.outcome).toBe('published');
    expect(await target.query(`select count(*)::int as n from ${SCHEMA}.pfs_payment`)).toEqual([{ n: 0 }]);
    await expect(publish(source.database, { targets: [target.url], paymentLocalities: ['5-1'] })).rejects.toThrow(
      '--payment-localities "5-1": expected all, none, or MAC-LOCALITY pairs such as 01112-05,10112-00',
    );
  });

  it('publishes every locality of a 2026 release, where one MAC and locality stand for two states', async () => {
    await resetTarget();
    // 2026's GPCI file lists MAC 05102 locality 00 twice, as Connecticut and as Iowa (fixtures/pfs/rvu26c lacks them).
    const folder = await scratchDir();
    for (const name of await readdir(fixture('pfs', 'rvu26c'))) await copyFile(fixture('pfs', 'rvu26c', name), path.join(folder, name));
    const gpci = await readFile(path.join(folder, 'GPCI2026.csv'), 'latin1');
    const twins = '05102,CT,00,CONNECTICUT,1.000,1.101,1.040\r\n05102,IA,00,IOWA,1.000,0.903,0.492\r\n';
    await writeFile(path.join(folder, 'GPCI2026.csv'), gpci.replace('10112,AL,00,', `${twins}10112,AL,00,`), 'latin1');
    const loaded = await importRelease(source.database, folder, { code: 'RVU26C' });
    expect(loaded.status).toBe('loaded');

    const result = await publishOnce();
    expect(result.error).toBeUndefined();
    expect(result.outcome).toBe('published');
    const [code] = await target.query<{ hcpcs: string }>(`select hcpcs from ${SCHEMA}.pfs_payment where nonfac_amount is not null order by hcpcs, modifier limit 1`);
    const twinsServed = await target.query<{ state: string; nonfac_amount: string }>(
      `select state, nonfac_amount::text from ${SCHEMA}.pfs_payment where hcpcs = '${code!.hcpcs}' and modifier = '' and mac = '05102' and locality = '00' order by state`,
    );
    expect(twinsServed.map((row) => row.state)).toEqual(['CT', 'IA']);
    expect(twinsServed[0]!.nonfac_amount).not.toBe(twinsServed[1]!.nonfac_amount);
    const [served] = await target.query<{ n: string }>(`select count(*)::text as n from ${SCHEMA}.pfs_payment`);
    const [expected] = (await sql<{ n: string }>`select count(*)::text as n from cms.pfs_payment_rows(${loaded.releaseId}::bigint)`.execute(source.database.db)).rows;
    expect(served!.n).toBe(expected!.n);
  });

  it('refuses a locality the current release does not have, and leaves the published payments as they were', async () => {
    await resetTarget();
    await importRelease(source.database, pfsZip('rvu25d'));
    expect((await publish(source.database, { targets: [target.url], paymentLocalities: ['01112-05'] }))[0]!.outcome).toBe('published');
    const before = await fingerprint(target.query, SCHEMA);

    const refused = publish(source.database, { targets: [target.url], paymentLocalities: ['01112-05', '99999-99'], force: true });
    await expect(refused).rejects.toThrow(UsageError);
    await expect(refused).rejects.toThrow(/--payment-localities: 99999-99 is not a locality of RVU25D, the current PFS release .*nothing was written/);
    expect(await fingerprint(target.query, SCHEMA)).toBe(before);
    const [run] = await source.database.db.selectFrom('cms.publish_runs').select(['outcome', 'error']).orderBy('id', 'desc').limit(1).execute();
    expect(run).toMatchObject({ outcome: 'failed', error: expect.stringContaining('99999-99 is not a locality of RVU25D') });
  });

  it('publishes CPT codes without the AMA descriptors when asked, Level II descriptors kept', async () => {
    await resetTarget();
    await importRelease(source.database, pfsZip('rvu24b'));
    await importRelease(source.database, pfsZip('rvu25d'));
    const result = await publishOnce({ omitCptDescriptors: true });
    expect(result.outcome).toBe('published');
    const cpt = await target.query<{ n: string }>(
      `select count(*) as n from ${SCHEMA}.code_change where hcpcs ~ '^[0-9]' and fields ? 'description' and (fields->'description'->>'to' is not null or fields->'description'->>'from' is not null)`,
    );
    expect(cpt[0]!.n).toBe('0');
    const withheld = await target.query<{ n: string }>(`select count(*) as n from ${SCHEMA}.code_change where hcpcs ~ '^[0-9]' and fields ? 'description'`);
    expect(Number(withheld[0]!.n)).toBeGreaterThan(0);
    const levelTwo = await target.query<{ n: string }>(
      `select count(*) as n from ${SCHEMA}.code_change where hcpcs ~ '^[A-Z]' and fields->'description'->>'to' is not null`,
    );
    expect(Number(levelTwo[0]!.n)).toBeGreaterThan(0);
    expect((await target.query<{ options: unknown }>(`select options from ${SCHEMA}.publish_log order by id desc limit 1`))[0]!.options).toMatchObject({ omit_cpt_descriptors: true });
    const catalogCpt = await target.query<{ n: string }>(
      `select count(*) as n from ${SCHEMA}.code_catalog where hcpcs ~ '^[0-9]' and (short_description is not null or long_description is not null or pfs_description is not null or title is distinct from editorial_title)`,
    );
    expect(catalogCpt[0]!.n).toBe('0');
    const catalogLevelTwo = await target.query<{ n: string }>(`select count(*) as n from ${SCHEMA}.code_catalog where hcpcs ~ '^[A-Z]' and pfs_description is not null`);
    expect(Number(catalogLevelTwo[0]!.n)).toBeGreaterThan(0);
  });
});
