/**
 * The change feed's statement (src/diff/queries/feed.ts) on a table of its own, with the column
 * types the PFS and HCPCS tables do not have: a key with an integer and a date (built with
 * jsonb_build_object, numbers and dates as JSON numbers and strings) beside an all-text key (built
 * from text arrays), and compared numeric, whitespace-insensitive text, boolean and text[]
 * columns. It writes exactly the changes the diff's own select computes (which orders by the key
 * as text, so it is compared on the all-text key).
 */
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { Dataset } from '../../src/pipeline.js';
import { planDiff } from '../../src/diff/plan.js';
import { selectChanges } from '../../src/diff/queries/changes.js';
import { feedInsert } from '../../src/diff/queries/feed.js';
import { backends, useFreshDatabase } from '../support/db.js';

const probe = (table: string, key: string[]): Dataset => ({
  name: table,
  table,
  columns: ['code', 'seq', 'day', 'amount', 'note', 'flag', 'labels'],
  key,
  members: { names: 'none', stem: /^$/, formats: ['csv'] },
  // the columns that are not the key are not compared, so both tables compare the same four
  diff: { whitespaceInsensitive: ['note'], feed: { hcpcs: 'code' }, ignore: ['seq', 'day'].filter((column) => !key.includes(column)) },
  read: () => {
    throw new Error('not read from files');
  },
});

interface Written {
  hcpcs: string | null;
  modifier: string | null;
  key: Record<string, unknown>;
  change: string;
  fields: Record<string, { from: unknown; to: unknown }>;
  tags: string[];
}

describe.each(backends)('the change feed statement on %s', (backend) => {
  const test = useFreshDatabase(backend);

  /** The feed rows written for the probe table; `computed`: the changes the diff's select lists (it orders by text keys only). */
  async function write(table: string, key: string[], compare = true): Promise<{ written: Written[]; computed: Written[] }> {
    const db = test.database.db;
    await sql`drop table if exists ${sql.table(`cms.${table}`)}`.execute(db);
    const keyTypes = key.map((column) => sql.raw(`${column} ${{ code: 'text', seq: 'integer', day: 'date' }[column]} not null`));
    const others = ['code text', 'seq integer', 'day date'].filter((column) => !key.includes(column.split(' ')[0]!));
    await sql`
      create table ${sql.table(`cms.${table}`)} (release_id bigint not null, ${sql.join(keyTypes)}, ${sql.raw(others.map((column) => `${column}, `).join(''))}
        amount numeric, note text, flag boolean, labels text[], primary key (release_id, ${sql.join(key.map((column) => sql.ref(column)))}))`.execute(db);
    await sql`
      insert into ${sql.table(`cms.${table}`)} (release_id, code, seq, day, amount, note, flag, labels) values
        (1, 'A', 1, '2025-01-01', 1.50, 'two  words', true, '{x}'),
        (1, 'B', 1, '2025-01-01', 2.00, 'same', false, '{}'),
        (1, 'C', 2, '2025-04-01', 3, 'gone', null, null),
        (2, 'A', 1, '2025-01-01', 1.5, 'two words ', true, '{x}'),
        (2, 'B', 1, '2025-01-01', 2.10, 'same', true, '{y}'),
        (2, 'D', 3, '2025-07-01', 4, null, null, null)`.execute(db);
    const dataset = probe(table, key);
    const plan = await planDiff(db, dataset, '1', '2', { releaseValues: false });
    const inserted = await feedInsert(plan, { family: 'probe', dataset: table, fromId: '1', toId: '2' }).execute(db);
    const written = (
      await sql<Written>`
        select hcpcs, modifier, key, change, fields, tags from cms.code_change
        where to_release_id = 2 and dataset = ${table} order by hcpcs`.execute(db)
    ).rows;
    expect(Number(inserted.numAffectedRows)).toBe(written.length);
    if (!compare) return { written, computed: [] };
    const keys = await sql<{ key: Record<string, unknown> }>`
      select jsonb_build_object(${sql.join(key.flatMap((column) => [sql.lit(column), sql.ref(column)]))}) as key
      from ${sql.table(`cms.${table}`)} where release_id in (1, 2) and code = any(${['B', 'C', 'D']}) group by ${sql.join(key.map((column) => sql.ref(column)))} order by code collate "C"`.execute(db);
    const computed = (await selectChanges(db, plan, '1', '2')).map((row, index) => ({
      hcpcs: row[`k${key.indexOf('code')}`]!,
      modifier: null,
      key: keys.rows[index]!.key,
      change: row.change,
      fields: JSON.parse(row.fields) as Written['fields'],
      tags: row.tags,
    }));
    return { written, computed };
  }

  const expected = (key: (code: string, seq: number, day: string) => Record<string, unknown>): Written[] => [
    {
      hcpcs: 'B',
      modifier: null,
      key: key('B', 1, '2025-01-01'),
      change: 'changed',
      fields: { amount: { from: '2.00', to: '2.10' }, flag: { from: false, to: true }, labels: { from: [], to: ['y'] } },
      tags: [],
    },
    {
      hcpcs: 'C',
      modifier: null,
      key: key('C', 2, '2025-04-01'),
      change: 'removed',
      fields: { amount: { from: '3', to: null }, note: { from: 'gone', to: null } },
      tags: [],
    },
    { hcpcs: 'D', modifier: null, key: key('D', 3, '2025-07-01'), change: 'added', fields: { amount: { from: null, to: '4' } }, tags: [] },
  ];

  it('writes one row per changed key, with integers and dates in `key` as JSON numbers and strings', async () => {
    const { written } = await write('feed_probe_mixed', ['code', 'seq', 'day'], false);
    // A: 1.50 = 1.5 and the note differs only in whitespace: no change
    expect(written).toEqual(expected((code, seq, day) => ({ code, seq, day })));
  });

  it('builds an all-text key as the same object, and writes the changes the diff computes', async () => {
    const { written, computed } = await write('feed_probe_text', ['code']);
    expect(written).toEqual(expected((code) => ({ code })));
    expect(written).toEqual(computed);
  });
});
