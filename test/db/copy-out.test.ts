/**
 * Transaction.copyOut gives a query's rows as COPY text, in the query's order. PGlite's
 * COPY TO '/dev/blob' returns a whole result as one Blob, so src/db/pglite.ts reads it out a page
 * of rows at a time: here with pages of 1,000 rows, the text must be the same as PostgreSQL's
 * (built here independently), in order, and nothing of the paging may outlive the transaction.
 */
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.js';
import { pgliteDatabase } from '../../src/db/pglite.js';
import { backends, useFreshDatabase } from '../support/db.js';

const ROWS = 10_007;
// descending, with NULLs, tabs, line feeds and backslashes: order and escapes must survive the pages
const QUERY = `
  select g as id, case when g % 10 = 0 then null else 'v' || g || E'\\t' || repeat('x', g % 13) || E'\\n\\\\' end as value, (g / 7.0)::numeric(12, 4) as amount
  from generate_series(1, ${ROWS}) g order by g desc`;

function expectedText(): string {
  let text = '';
  for (let id = ROWS; id >= 1; id--) {
    const value = id % 10 === 0 ? '\\N' : `v${id}\\t${'x'.repeat(id % 13)}\\n\\\\`;
    const scaled = Math.floor((id * 20_000 + 7) / 14); // id / 7 to 4 places, rounded half up, in integers
    const amount = `${Math.floor(scaled / 10_000)}.${String(scaled % 10_000).padStart(4, '0')}`;
    text += `${id}\t${value}\t${amount}\n`;
  }
  return text;
}

async function readAll(database: Database, query: string): Promise<{ text: string; chunks: number; leftOver: number }> {
  const text = await database.transaction(async (tx) => {
    let text = '';
    let chunks = 0;
    for await (const chunk of tx.copyOut(query)) {
      text += chunk.toString('utf8');
      chunks++;
    }
    return { text, chunks };
  });
  const { rows } = await sql<{ count: number }>`
    select count(*)::int as count from pg_class where relname like 'cms_ingest_copy_out%'`.execute(database.db);
  return { ...text, leftOver: rows[0]!.count };
}

describe.each(backends)('copyOut on %s', (backend) => {
  const test = useFreshDatabase(backend);

  it("gives the query's rows as COPY text, in its order", async () => {
    const { text } = await readAll(test.database, QUERY);
    expect(text).toBe(expectedText());
  });
});

describe('copyOut on pglite, a page at a time', () => {
  let pglite: PGlite;
  let database: Database;
  beforeAll(async () => {
    pglite = await PGlite.create();
    database = pgliteDatabase(pglite, 'memory://', () => pglite.close(), { copyOutPageRows: 1_000 });
  });
  afterAll(() => database.close());

  it('reads a result larger than a page in pages of that many rows, the same text in the same order', async () => {
    const { text, chunks, leftOver } = await readAll(database, QUERY);
    expect(chunks).toBe(11);
    expect(text).toBe(expectedText());
    expect(leftOver).toBe(0);
  });

  it('gives nothing for no rows, and a result of exactly one page in one piece', async () => {
    expect(await readAll(database, `${QUERY} limit 0`)).toEqual({ text: '', chunks: 0, leftOver: 0 });
    const onePage = await readAll(database, `${QUERY} limit 1000`);
    expect(onePage.chunks).toBe(1);
    expect(onePage.text.split('\n').length - 1).toBe(1_000);
  });

  it('leaves nothing behind when the reader stops early, and the transaction still commits', async () => {
    await database.transaction(async (tx) => {
      await sql`create table kept (id int)`.execute(tx.db);
      for await (const chunk of tx.copyOut(QUERY)) {
        expect(chunk.toString('utf8').startsWith(`${ROWS}\t`)).toBe(true);
        break;
      }
      await sql`insert into kept values (1)`.execute(tx.db);
    });
    const { rows } = await sql<{ kept: number; leftOver: number }>`
      select (select count(*)::int from kept) as kept,
             (select count(*)::int from pg_class where relname like 'cms_ingest_copy_out%') as "leftOver"`.execute(database.db);
    expect(rows[0]).toEqual({ kept: 1, leftOver: 0 });
  });
});
