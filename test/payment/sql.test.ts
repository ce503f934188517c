/**
 * The payment SQL itself: the view and the national amounts come from the one function; a query
 * restricted to one release and locality computes only that locality's rows (EXPLAIN ANALYZE);
 * the installed function is the one pipelines/pfs/payment-sql.ts declares.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importRelease } from '../../src/index.js';
import { PAYMENT_SQL } from '../../pipelines/pfs/payment-sql.js';
import { backends, openTestDatabase, type TestDatabase } from '../support/db.js';
import { pfsZip } from '../support/fixtures.js';
import { expectedAmount } from './support.js';

interface PlanNode {
  'Node Type': string;
  'Actual Rows': number;
  'Actual Loops': number;
  Plans?: PlanNode[];
}

function nodes(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodes)];
}

describe.each(backends)('payment SQL on %s', (backend) => {
  let test: TestDatabase;
  let releaseId: string;
  beforeAll(async () => {
    test = await openTestDatabase(backend);
    await importRelease(test.database, pfsZip('rvu24b'));
    releaseId = (await importRelease(test.database, pfsZip('rvu25d'))).releaseId;
  });
  afterAll(() => test.close());

  it('cms.pfs_payment has one row per code/modifier × locality of each release', async () => {
    const { rows } = await sql<{ release_id: string; n: string; codes: string; localities: string }>`
      select p.release_id::text, count(*)::text as n,
        (select count(*) from cms.pfs_rvu v where v.release_id = p.release_id)::text as codes,
        (select count(*) from cms.pfs_gpci g where g.release_id = p.release_id)::text as localities
      from cms.pfs_payment p group by p.release_id order by 1`.execute(test.database.db);
    expect(rows).toHaveLength(2);
    for (const row of rows) expect(BigInt(row.n)).toBe(BigInt(row.codes) * BigInt(row.localities));
  });

  it('a query of one release and locality computes only that locality (EXPLAIN ANALYZE)', async () => {
    const { rows } = await sql<{ 'QUERY PLAN': [{ Plan: PlanNode }] | string }>`
      explain (analyze, format json)
      select * from cms.pfs_payment where release_id = ${releaseId} and mac = '01112' and locality = '05'`.execute(test.database.db);
    const raw = rows[0]!['QUERY PLAN'];
    const plan = (typeof raw === 'string' ? JSON.parse(raw) : raw)[0].Plan as PlanNode;
    const codes = 52;
    expect(plan['Actual Rows']).toBe(codes);
    // 14 localities × 52 codes would be 728 rows somewhere in the plan; no node comes near it.
    const most = Math.max(...nodes(plan).map((node) => node['Actual Rows'] * node['Actual Loops']));
    expect(most).toBeLessThanOrEqual(codes * 2);
  });

  it('national amounts: all GPCIs 1, the same rules', async () => {
    const { rows } = await sql<{ hcpcs: string; modifier: string; status_code: string; nonfac_amount: string | null; fac_amount: string | null; nonfac_total: string; fac_total: string; conv_factor: string }>`
      select n.hcpcs, n.modifier, n.status_code, n.nonfac_amount::text, n.fac_amount::text, v.nonfac_total::text, v.fac_total::text, v.conv_factor::text
      from cms.pfs_payment_national n
      join cms.pfs_rvu v on v.release_id = n.release_id and v.hcpcs = n.hcpcs and v.modifier = n.modifier
      where n.release_id = ${releaseId}`.execute(test.database.db);
    expect(rows).toHaveLength(52);
    for (const row of rows) {
      if (['A', 'R', 'T'].includes(row.status_code)) {
        expect(row.nonfac_amount).toBe(expectedAmount([[row.nonfac_total, '1']], row.conv_factor));
        expect(row.fac_amount).toBe(expectedAmount([[row.fac_total, '1']], row.conv_factor));
      } else {
        expect([row.nonfac_amount, row.fac_amount]).toEqual([null, null]);
      }
    }
    // By hand: 99213 totals 2.75 and 1.97 × 32.3465 = 88.952875 and 63.722605.
    expect(rows.find((row) => row.hcpcs === '99213')).toMatchObject({ nonfac_amount: '88.95', fac_amount: '63.72' });
  });

  it('the installed functions are the ones pipelines/pfs/payment-sql.ts declares (a change needs a migration)', async () => {
    const { rows } = await sql<{ proname: string; prosrc: string }>`
      select proname, prosrc from pg_proc p join pg_namespace n on n.oid = p.pronamespace
      where n.nspname = 'cms' and proname like 'pfs\\_%'`.execute(test.database.db);
    const declared = PAYMENT_SQL.filter((statement) => /create or replace function/.test(statement)).map((statement) => ({
      proname: /function cms\.(\w+)\(/.exec(statement)![1]!,
      prosrc: statement.split('$fn$')[1]!,
    }));
    expect(declared.length).toBeGreaterThan(0);
    for (const { proname, prosrc } of declared) expect(rows.find((row) => row.proname === proname)?.prosrc, proname).toBe(prosrc);
  });
});
