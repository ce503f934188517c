/**
 * An export reads each row as one JSON array (src/publish/row-values.ts): the values in column
 * order, numerics as exact text, lists and JSON as values, escapes intact; a row wider than
 * PostgreSQL's 100 function arguments comes as an array of arrays and is flattened back. A table
 * whose every column's COPY text is its value is read as COPY text instead, with the same values.
 */
import { describe, expect, it } from 'vitest';
import { copyTextValues, decodeCopyRows, decodeJsonArrays, jsonArraysQuery, orderedQuery, type SnapshotColumn } from '../../src/publish/row-values.js';
import { backends, useFreshDatabase } from '../support/db.js';

async function rowsOf(database: ReturnType<typeof useFreshDatabase>['database'], query: string, columns: SnapshotColumn[], key: string[]) {
  return database.transaction(async (tx) => {
    const rows: unknown[][] = [];
    for await (const batch of decodeJsonArrays(tx.copyOut(jsonArraysQuery(query, columns, key)), columns.length)) rows.push(...batch);
    return rows;
  });
}

async function copyRowsOf(database: ReturnType<typeof useFreshDatabase>['database'], query: string, columns: SnapshotColumn[], key: string[]) {
  const decoders = copyTextValues(columns);
  if (!decoders) throw new Error('not a table COPY text can give');
  return database.transaction(async (tx) => {
    const rows: unknown[][] = [];
    for await (const batch of decodeCopyRows(tx.copyOut(orderedQuery(query, key)), decoders)) rows.push(...batch);
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

  it('reads a table of text, numerics, integers and booleans from COPY text with the values its JSON arrays give', async () => {
    const query = `
      select * from (values
        (3, 'tab\tand' || E'\\n' || 'line \\ "quoted" \\N', 1.500::numeric, 9007199254740993::bigint, true, null::text, 'x'::varchar(4)),
        (1, '\\N', -0.10::numeric, 0::bigint, false, '', null::varchar(4)),
        (2, E'cr\\rvt\\vbs\\b ff\\f é 日本', null::numeric, null::bigint, null::boolean, 'N', 'yz')
      ) v(id, note, amount, big, flag, empty, short)`;
    const columns: SnapshotColumn[] = [
      { name: 'id', type: 'integer' }, { name: 'note', type: 'text' }, { name: 'amount', type: 'numeric' }, { name: 'big', type: 'bigint' },
      { name: 'flag', type: 'boolean' }, { name: 'empty', type: 'text' }, { name: 'short', type: 'character varying(4)' },
    ];
    const fromJson = await rowsOf(test.database, query, columns, ['id']);
    expect(fromJson).toHaveLength(3);
    expect(fromJson[0]).toEqual([1, '\\N', '-0.10', 0, false, '', null]);
    expect(await copyRowsOf(test.database, query, columns, ['id'])).toEqual(fromJson);
  });

  it('splits COPY text chunks at line ends, wherever the chunks end, and refuses a row of the wrong width', async () => {
    const decoders = copyTextValues([{ name: 'code', type: 'text' }, { name: 'n', type: 'integer' }])!;
    // every 3 bytes: lines, fields and the two bytes of é each cut across chunks
    const chunks = async function* (text: string) {
      const bytes = Buffer.from(text);
      for (let at = 0; at < bytes.length; at += 3) yield bytes.subarray(at, at + 3);
    };
    const rows: unknown[][] = [];
    for await (const batch of decodeCopyRows(chunks('a\\tb\t1\ncé\t\\N\nd\t3'), decoders)) rows.push(...batch);
    expect(rows).toEqual([['a\tb', 1], ['cé', null], ['d', 3]]);
    const wide = async () => {
      for await (const batch of decodeCopyRows(chunks('a\t1\tx\n'), decoders)) rows.push(...batch);
    };
    await expect(wide()).rejects.toThrow('a COPY row of 3 fields, expected 2');
  });

  it('reads as JSON arrays a table with a column whose COPY text is not its value', () => {
    const simple: SnapshotColumn[] = [{ name: 'code', type: 'text' }, { name: 'amount', type: 'numeric(12,2)' }];
    expect(copyTextValues(simple)).toHaveLength(2);
    for (const type of ['text[]', 'jsonb', 'json', 'date', 'timestamp with time zone', 'double precision', 'numeric[]']) {
      expect(copyTextValues([...simple, { name: 'other', type }])).toBeUndefined();
    }
  });
});
