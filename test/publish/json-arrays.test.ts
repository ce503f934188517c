/**
 * An export reads each row as one JSON array (src/publish/snapshot.ts): the values in column
 * order, numerics as exact text, lists and JSON as values, escapes intact; a row wider than
 * PostgreSQL's 100 function arguments comes as an array of arrays and is flattened back.
 */
import { describe, expect, it } from 'vitest';
import { decodeJsonArrays, jsonArraysQuery, type SnapshotColumn } from '../../src/publish/snapshot.js';
import { backends, useFreshDatabase } from '../support/db.js';

async function rowsOf(database: ReturnType<typeof useFreshDatabase>['database'], query: string, columns: SnapshotColumn[], key: string[]) {
  return database.transaction(async (tx) => {
    const rows: unknown[][] = [];
    for await (const batch of decodeJsonArrays(tx.copyOut(jsonArraysQuery(query, columns, key)), columns.length)) rows.push(...batch);
    return rows;
  });
}

describe.each(backends)('JSON arrays of rows on %s', (backend) => {
  const test = useFreshDatabase(backend);

  it('gives every value in column order, exact, in key order', async () => {
    const query = `
      select * from (values
        (2, 'tab\tand' || E'\\n' || 'line \\ "quoted"', 1.500::numeric, array['a', 'b'], '{"k": [1, "x"]}'::jsonb, null::text, true),
        (1, 'plain', -0.10::numeric, array[]::text[], '{}'::jsonb, 'é', false)
      ) v(id, note, amount, tags, doc, missing, flag)`;
    const columns: SnapshotColumn[] = [
      { name: 'id', type: 'integer' }, { name: 'note', type: 'text' }, { name: 'amount', type: 'numeric' }, { name: 'tags', type: 'text[]' },
      { name: 'doc', type: 'jsonb' }, { name: 'missing', type: 'text' }, { name: 'flag', type: 'boolean' },
    ];
    expect(await rowsOf(test.database, query, columns, ['id'])).toEqual([
      [1, 'plain', '-0.10', [], {}, 'é', false],
      [2, 'tab\tand\nline \\ "quoted"', '1.500', ['a', 'b'], { k: [1, 'x'] }, null, true],
    ]);
  });

  it('flattens a row of more than 100 columns back into one, in order', async () => {
    const width = 250;
    const names = Array.from({ length: width }, (_, index) => `c${index}`);
    const query = `select ${names.map((name, index) => `${index % 3 === 0 ? `'${index}'` : index}${index % 3 === 0 ? '::text' : '::int'} as ${name}`).join(', ')}`;
    const columns: SnapshotColumn[] = names.map((name, index) => ({ name, type: index % 3 === 0 ? 'text' : 'integer' }));
    const [row] = await rowsOf(test.database, query, columns, ['c0']);
    expect(row).toEqual(names.map((_, index) => (index % 3 === 0 ? String(index) : index)));
  });
});
