/**
 * Transaction.copyText takes COPY text cut anywhere (a chunk may end mid-row, or hold no line
 * feed at all): every row arrives once and whole. PGlite sends it in Blobs of about 4 MiB cut
 * after a line feed (src/db/pglite.ts), so the text here is larger than that.
 */
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { backends, useFreshDatabase } from '../support/db.js';

const ROWS = 90_000;
const rowText = (index: number) => `${index}\tvalue ${index} ${'x'.repeat(index % 97)}\n`;

/** the rows' text in chunks of uneven sizes that cut rows in two, some with no line feed in them */
async function* unevenChunks(text: string): AsyncGenerator<Buffer | string> {
  let at = 0;
  for (let round = 0; at < text.length; round++) {
    const size = round % 5 === 0 ? 40 : 70_001 + (round % 7) * 13_331;
    const piece = text.slice(at, at + size);
    yield round % 2 === 0 ? Buffer.from(piece) : piece;
    at += size;
  }
}

describe.each(backends)('copyText on %s', (backend) => {
  const test = useFreshDatabase(backend);

  it('loads COPY text cut at arbitrary points, more than one Blob of it, every row once and whole', async () => {
    let text = '';
    for (let index = 0; index < ROWS; index++) text += rowText(index);
    expect(text.length).toBeGreaterThan(5 << 20);
    const expected = createHash('md5').update(text).digest('hex');

    const loaded = await test.database.transaction(async (tx) => {
      await sql`create temporary table copied (id int primary key, value text not null) on commit drop`.execute(tx.db);
      await tx.copyText('copied', ['id', 'value'], unevenChunks(text));
      const { rows } = await sql<{ count: number; digest: string }>`
        select count(*)::int as count, md5(string_agg(id || E'\\t' || value || E'\\n', '' order by id)) as digest from copied`.execute(tx.db);
      return rows[0]!;
    });
    expect(loaded).toEqual({ count: ROWS, digest: expected });
  });
});
