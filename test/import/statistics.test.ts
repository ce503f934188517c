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
});
