/** A load leaves planner statistics on the tables it wrote (see src/releases/statistics.ts). */
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { importRelease } from '../../src/index.js';
import { backends, useFreshDatabase } from '../support/db.js';
import { pfsZip } from '../support/fixtures.js';

describe.each(backends)('statistics after a load on %s', (backend) => {
  const test = useFreshDatabase(backend);

  it('analyses every snapshot table the release wrote, so the planner knows their size', async () => {
    const result = await importRelease(test.database, pfsZip('rvu25d'));
    expect(result.status).toBe('loaded');
    const { rows } = await sql<{ table: string; reltuples: number }>`
      select c.relname as table, c.reltuples::float8 as reltuples from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'cms' and c.relname in ('pfs_rvu', 'pfs_gpci', 'pfs_locality_county', 'pfs_anes_cf', 'pfs_opps_cap') order by 1`.execute(test.database.db);
    const loaded = Object.fromEntries(result.status === 'loaded' ? result.datasets.map((dataset) => [dataset.table, dataset.rows]) : []);
    // reltuples is -1 for a table never analysed; ANALYZE sets it to the row count (exact for tables this small)
    expect(Object.fromEntries(rows.map((row) => [row.table, row.reltuples]))).toEqual(loaded);
  });

  it('has column statistics for release_id and the key, from a small sample, on PostgreSQL, for every column on PGlite (no autovacuum there)', async () => {
    const db = test.database.db;
    if (backend === 'postgres') {
      // so that what is analysed is the load's doing: not autovacuum's meanwhile, nor statistics
      // an earlier load left (TRUNCATE keeps them)
      await sql`alter table cms.pfs_opps_cap set (autovacuum_enabled = false)`.execute(db);
      await sql`delete from pg_statistic where starelid = 'cms.pfs_opps_cap'::regclass`.execute(db);
    }
    const result = await importRelease(test.database, pfsZip('rvu25d'));
    const names = async (query: ReturnType<typeof sql<{ name: string }>>) => (await query.execute(db)).rows.map((row) => row.name);
    const analysed = await names(sql<{ name: string }>`select attname as name from pg_stats where schemaname = 'cms' and tablename = 'pfs_opps_cap' order by 1`);
    const every = await names(
      sql<{ name: string }>`select column_name as name from information_schema.columns where table_schema = 'cms' and table_name = 'pfs_opps_cap' order by 1`,
    );
    if (backend === 'pglite') {
      expect(analysed).toEqual(every);
      return;
    }
    expect(analysed).toEqual(['hcpcs', 'locality', 'mac', 'modifier', 'release_id']);
    // The load's sample is small (default_statistics_target 10, not the server's 100): a histogram
    // of at most 11 bounds where the server's target would keep one per distinct code.
    const codes = Number((await sql<{ n: string }>`select count(distinct hcpcs)::text as n from cms.pfs_rvu`.execute(db)).rows[0]!.n);
    expect(codes).toBeGreaterThan(11);
    const bounds = await sql<{ n: number | null }>`
      select array_length(histogram_bounds::text::text[], 1) as n from pg_stats where schemaname = 'cms' and tablename = 'pfs_rvu' and attname = 'hcpcs'`.execute(db);
    expect(bounds.rows[0]?.n).toBeGreaterThan(1);
    expect(bounds.rows[0]?.n).toBeLessThanOrEqual(11);
    // A partial ANALYZE keeps the count of changed rows, so autovacuum still analyses the rest.
    expect(result.status).toBe('loaded');
    const rows = result.status === 'loaded' ? result.datasets.find((dataset) => dataset.table === 'pfs_opps_cap')!.rows : NaN;
    await expect
      .poll(
        async () =>
          Number(
            (await sql<{ changed: string }>`select n_mod_since_analyze::text as changed from pg_stat_user_tables where schemaname = 'cms' and relname = 'pfs_opps_cap'`.execute(db))
              .rows[0]?.changed,
          ),
        { timeout: 10_000, interval: 200 },
      )
      .toBeGreaterThanOrEqual(rows);
  });
});
