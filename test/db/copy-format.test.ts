/** COPY text as both loaders read it (src/db/copy-format.ts), checked against PostgreSQL's own reading. */
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { encodeCopyValue, rowEncoder } from '../../src/db/copy-format.js';
import { backends, useFreshDatabase } from '../support/db.js';

describe('rowEncoder', () => {
  const encode = rowEncoder(['hcpcs', 'description', 'flag', 'list', 'missing']);

  it('writes the first value, the columns in their order, then the last value', () => {
    expect(encode('7', { hcpcs: '99213', description: 'Office visit', flag: true, list: ['a', 'b'], missing: null })).toBe(
      '7\t99213\tOffice visit\tt\t{"a","b"}\t\\N\n',
    );
    expect(encode('7', { hcpcs: '99213', description: '', flag: false, list: [], missing: null }, '41')).toBe('7\t99213\t\tf\t{}\t\\N\t41\n');
  });

  it('escapes what COPY text reserves, and writes an absent column as NULL', () => {
    expect(encode('7', { hcpcs: 'A\\B', description: 'tab\there\r\nnext', flag: null, list: ['say "x"', 'c,d'] })).toBe(
      '7\tA\\\\B\ttab\\there\\r\\nnext\t\\N\t{"say \\\\"x\\\\"","c,d"}\t\\N\n',
    );
  });

  it('agrees with encodeCopyValue column by column', () => {
    const row = { hcpcs: 'G0008', description: 'back\\slash', flag: true, list: ['x'], missing: 'm' };
    const expected = ['1', ...['hcpcs', 'description', 'flag', 'list', 'missing'].map((column) => encodeCopyValue(row[column as keyof typeof row]))].join('\t');
    expect(encode('1', row)).toBe(`${expected}\n`);
  });

  it('refuses a column name that is not a plain identifier (it is written into code)', () => {
    expect(() => rowEncoder(['hcpcs', 'x"]);process.exit(1);//'])).toThrow('not a column name');
    expect(() => rowEncoder(['Hcpcs'])).toThrow('not a column name');
  });
});

describe.each(backends)('COPY text read back on %s', (backend) => {
  const test = useFreshDatabase(backend);

  it('gives back every value as written', async () => {
    const db = test.database.db;
    await sql`create table copy_check (id text, description text, flag boolean, list text[], missing text, line integer)`.execute(db);
    const encode = rowEncoder(['description', 'flag', 'list', 'missing']);
    const rows = [
      { description: 'tab\there\r\nnext \\ end', flag: true, list: ['say "x"', 'c,d', '{}'], missing: null },
      { description: '', flag: false, list: [], missing: 'present' },
    ];
    await test.database.transaction(async (tx) => {
      await tx.copyText('copy_check', ['id', 'description', 'flag', 'list', 'missing', 'line'], (async function* () {
        yield rows.map((row, index) => encode(String(index + 1), row, String(index + 10))).join('');
      })());
    });
    const { rows: back } = await sql<Record<string, unknown>>`select * from copy_check order by id`.execute(db);
    expect(back).toEqual([
      { id: '1', ...rows[0], line: 10 },
      { id: '2', ...rows[1], line: 11 },
    ]);
  });
});
