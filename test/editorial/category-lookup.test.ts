/**
 * The catalog's category lookup (migration 0012): each category row's leading characters, read off
 * its pattern, and the catalog's SQL agreeing with `categoryOf` (pipelines/catalog/) on every
 * category's boundaries and on codes of no category.
 */
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { leadingCharacters } from '../../migrations/0012_catalog_category_lookup.js';
import { CODE_CATEGORIES, categoryOf } from '../../pipelines/catalog/categories.js';
import { backends } from '../support/db.js';
import { useEditorialDatabase } from './support.js';

describe('leadingCharacters', () => {
  it('reads a plain first letter or digit, or one range of them, off an anchored pattern', () => {
    expect(leadingCharacters('^A[0-9]{4}$')).toEqual({ first: 'A', last: 'A' });
    expect(leadingCharacters('^[0-9]{5}$')).toEqual({ first: '0', last: '9' });
    expect(leadingCharacters('^[0-9]{4}M$')).toEqual({ first: '0', last: '9' });
    expect(leadingCharacters('^[A-K][0-9]{4}$')).toEqual({ first: 'A', last: 'K' });
    expect(leadingCharacters('^[0-9]{1,2}X')).toEqual({ first: '0', last: '9' });
  });

  it('says nothing when the first element may be absent, or is not one letter, digit or range', () => {
    for (const pattern of ['^A?[0-9]{4}$', '^[0-9]*M$', '^[0-9]{0,2}M$', 'A[0-9]{4}', '^(A|B)[0-9]{4}$', '^[AB][0-9]{4}$', '^a[0-9]{4}$', '^.[0-9]{4}$', '^\\d{5}$']) {
      expect(leadingCharacters(pattern), pattern).toBeUndefined();
    }
  });

  it('is a necessary condition for every pattern the catalog declares', () => {
    const codes = ['00000', '09999', '10000', '69999', '79999', '89999', '99199', '99200', '99499', '99500', '99999', '0001M', '0001F', '0001T', '0001U', '1234X', 'Z1234', 'N1234', 'W1234'];
    for (const letter of 'ABCDEGHJKLMPQRSTUV') codes.push(`${letter}0000`, `${letter}9999`);
    for (const { ranges } of CODE_CATEGORIES) {
      for (const { pattern } of ranges) {
        const lead = leadingCharacters(pattern);
        for (const code of codes.filter((candidate) => new RegExp(pattern).test(candidate))) {
          expect(lead === undefined || (code[0]! >= lead.first && code[0]! <= lead.last), `${code} ~ ${pattern}`).toBe(true);
        }
      }
    }
  });
});

describe.each(backends)('the catalog\'s category of a code on %s', (backend) => {
  // no release, and the migrations' reference rows (code_category) kept: only the editorial tables are emptied
  const test = useEditorialDatabase(backend, []);

  it('is the first category whose range and pattern hold, as categoryOf says, at every boundary and for codes of no category', async () => {
    const db = test.database.db;
    const codes = ['00000', '00100', '09999', '10000', '69999', '70000', '79999', '80000', '89999', '90000', '99199', '99200', '99213', '99499', '99500', '99999'];
    codes.push('0001M', '0001F', '0042T', '0001U', '1234X', 'Z1234', 'N1234', 'A00210', 'A002');
    for (const letter of 'ABCDEGHJKLMPQRSTUV') codes.push(`${letter}0000`, `${letter}9999`);
    // each code as an editorial entry: the catalog has a record for it with no release loaded
    const version = await sql<{ id: string }>`
      insert into cms.editorial_version (entry_type, entry_key, version, change, content, content_hash, source_file, imported_by)
      values ('code', 'category-lookup', 1, 'created', '{}', ${'0'.repeat(64)}, 'category-lookup.test.ts', 'test') returning id`.execute(db);
    for (const code of codes) {
      await sql`insert into cms.editorial_entry (entry_type, entry_key, version, version_id, content_hash, updated_at)
        values ('code', ${code}, 1, ${version.rows[0]!.id}::bigint, ${'0'.repeat(64)}, now())`.execute(db);
    }
    const { rows } = await sql<{ hcpcs: string; category: string | null }>`select hcpcs, category from cms.code_catalog_as_of(null, null) order by hcpcs`.execute(db);
    expect(rows.map((row) => row.hcpcs)).toEqual([...codes].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    for (const row of rows) expect(row.category, row.hcpcs).toBe(categoryOf(row.hcpcs)?.id ?? null);
    expect(rows.filter((row) => row.category === null).map((row) => row.hcpcs).sort()).toEqual(['1234X', 'A002', 'A00210', 'N1234', 'Z1234']);
  });
});
