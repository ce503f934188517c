/**
 * The review queue across the fixture release pairs RVU25D → RVU26C and HCPCS 2020 → October 2025:
 * codes added without an entry, removed and terminated, re-described and re-statused codes with
 * entries; resolution by re-import and by an editor; a rolled-back load leaves no items; an old
 * release loaded late raises nothing. The tests of this file run in order on one database.
 */
import { sql } from 'kysely';
import * as XLSX from 'xlsx';
import { beforeAll, afterAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.js';
import { importEditorial, importRelease, renderReview, resolveReviewItems, reviewQueue, type ReviewQueue } from '../../src/index.js';
import { backends, openTestDatabase, type TestDatabase } from '../support/db.js';
import { scratchDir, writeFixtureFile } from '../support/fixtures.js';
import { HCPCS_2020, HCPCS_2025, pfsZip } from './support.js';

const ENTRIES = [
  'code,title,specialties',
  '27445,Placeholder title for CPT 27445,Orthopedic Surgery', // removed in RVU26C
  'G6001,Echo guidance radiotherapy,Radiation Oncology', // removed in RVU26C (with its 26 and TC rows)
  '77417,Placeholder title for CPT 77417,Radiation Oncology', // status A → B
  'A2001,"Innovamatrix ac, per square centimeter",Wound Care', // status C → A; added to HCPCS in 2025 (has an entry: not raised)
  'G9788,Most recent blood pressure,Internal Medicine', // PPRRVU description changed
  'G0566,3d bone imaging algorithm,Radiology', // PPRRVU description changed (MRI → mri)
  '99213,Placeholder title for CPT 99213,Family Medicine', // RVUs changed only: nothing to review
  'C9248,"Injection, clevidipine butyrate",Cardiology', // terminated in HCPCS October 2025
  'B4185,Parenteral nutrition lipids,Nutrition', // gone from the HCPCS October 2025 excerpt
  'A6531,Compression stocking,Vascular Surgery', // HCPCS long and short descriptions changed
  'G0568,Interprofessional psychiatric care management,Psychiatry', // in no release before RVU26C: accepted as unknown
].join('\n');

const codesOf = (queue: ReviewQueue, reason: keyof ReviewQueue) => queue[reason].map((item) => item.code);

describe.each(backends)('the review queue on %s', (backend) => {
  let test: TestDatabase;
  let database: Database;
  let dir: string;
  beforeAll(async () => {
    test = await openTestDatabase(backend);
    database = test.database;
    dir = await scratchDir();
    await importRelease(database, pfsZip('rvu25d'));
    await importRelease(database, HCPCS_2020);
    await importEditorial(database, [await writeFixtureFile(dir, 'entries.csv', ENTRIES)], { by: 'editor', allowUnknownCodes: true });
    expect(codesOf(await reviewQueue(database), 'unknown_code')).toEqual(['G0568']);
  });
  afterAll(() => test.close());

  it('a load that is rolled back (its commit refused) leaves no review items and no release', async () => {
    // A deferred constraint trigger refuses the commit: the load has written its rows, its feed and
    // its review items by then, and all of them must go.
    await sql`create function cms.test_refuse_commit() returns trigger language plpgsql as $$
      begin raise exception 'test: commit refused'; end $$`.execute(database.db);
    await sql`create constraint trigger test_refuse_commit after insert on cms.review_item
      deferrable initially deferred for each row execute function cms.test_refuse_commit()`.execute(database.db);
    try {
      await expect(importRelease(database, pfsZip('rvu26c'))).rejects.toThrow(/commit refused/);
    } finally {
      await sql`drop trigger test_refuse_commit on cms.review_item`.execute(database.db);
      await sql`drop function cms.test_refuse_commit()`.execute(database.db);
    }
    const { rows } = await sql<{ items: number; releases: number; changes: number }>`
      select (select count(*)::int from cms.review_item where release_id is not null or resolved_at is not null) as items,
        (select count(*)::int from cms.releases where code = 'RVU26C') as releases,
        (select count(*)::int from cms.code_change) as changes`.execute(database.db);
    expect(rows[0]).toEqual({ items: 0, releases: 0, changes: 0 });
  });

  it('loading the newer releases raises one item per code and reason, with the release and the details', async () => {
    await importRelease(database, pfsZip('rvu26c'));
    await importRelease(database, HCPCS_2025);
    const queue = await reviewQueue(database);
    expect(codesOf(queue, 'added_without_editorial')).toEqual(['0988T', 'A9612', 'C1739', 'C1742', 'C9088', 'G0137', 'J9333', 'L6028', 'L6034']);
    expect(queue.added_without_editorial[0]).toMatchObject({ code: '0988T', release: 'RVU26C', dataset: 'pfs_rvu', previous_release: 'RVU25D' });
    expect(queue.added_without_editorial[1]).toMatchObject({ code: 'A9612', release: 'HCPC2025_OCT', dataset: 'hcpcs_code' });

    expect(queue.editorial_for_removed).toEqual([
      expect.objectContaining({ code: '27445', release: 'RVU26C', change: 'removed', previous_release: 'RVU25D' }),
      expect.objectContaining({ code: 'B4185', release: 'HCPC2025_OCT', change: 'removed' }),
      expect.objectContaining({ code: 'C9248', release: 'HCPC2025_OCT', change: 'terminated', termination_date: '2025-09-30' }),
      expect.objectContaining({ code: 'G6001', release: 'RVU26C', change: 'removed' }),
    ]);

    expect(codesOf(queue, 'descriptor_changed')).toEqual(['A6531', 'G0566', 'G9788']);
    const byCode = new Map(queue.descriptor_changed.map((item) => [item.code, item]));
    expect(byCode.get('G9788')).toMatchObject({
      release: 'RVU26C',
      from: { description: 'Most rct bp </= 140/90' },
      to: { description: 'Most rct bp </= 130/80' },
    });
    expect(byCode.get('G0566')).toMatchObject({ from: { description: '3d bn img algor drvd fr MRI' }, to: { description: '3d bn img algor drvd fr mri' } });
    const a6531 = byCode.get('A6531')!;
    expect(Object.keys(a6531.from as object).sort()).toEqual(['long_description', 'short_description']);
    expect((a6531.to as Record<string, string>).short_description).not.toBe((a6531.from as Record<string, string>).short_description);

    expect(queue.status_changed).toEqual([
      expect.objectContaining({ code: '77417', release: 'RVU26C', from: 'A', to: 'B' }),
      expect.objectContaining({ code: 'A2001', release: 'RVU26C', from: 'C', to: 'A' }),
    ]);
    // G0568 has an entry (accepted while unknown): RVU26C carries it now, which resolves that item.
    expect(queue.unknown_code).toEqual([]);
    const { rows: g0568 } = await sql<{ resolution: string; release: string }>`
      select i.resolution, r.code as release from cms.review_item i left join cms.releases r on r.id = i.release_id
      where i.hcpcs = 'G0568'`.execute(database.db);
    expect(g0568).toEqual([{ resolution: 'code_loaded', release: null }]);
    // 99213 changed only its RVUs; J0171 was removed but has no entry.
    const all = Object.values(queue).flat().map((item) => item.code);
    expect(all).not.toContain('99213');
    expect(all).not.toContain('J0171');
  });

  it('filters by reason and by the release that raised the items', async () => {
    const statuses = await reviewQueue(database, { reason: 'status_changed' });
    expect(Object.keys(statuses)).toEqual(['status_changed']);
    const hcpcs = await reviewQueue(database, { release: 'HCPC2025_OCT' });
    expect(Object.values(hcpcs).flat().every((item) => item.release === 'HCPC2025_OCT')).toBe(true);
    expect(codesOf(hcpcs, 'editorial_for_removed')).toEqual(['B4185', 'C9248']);
    await expect(reviewQueue(database, { reason: 'stale' })).rejects.toThrow(/--reason stale: expected one of added_without_editorial/);
    await expect(reviewQueue(database, { release: 'RVU99Z' })).rejects.toThrow(/no such release/);
  });

  it('renders json grouped by reason, csv, md, and an xlsx with one sheet per reason', async () => {
    const queue = await reviewQueue(database);
    const json = JSON.parse(renderReview(queue, 'json') as string) as ReviewQueue;
    expect(Object.keys(json)).toEqual(['added_without_editorial', 'editorial_for_removed', 'descriptor_changed', 'status_changed', 'unknown_code']);
    expect(json.descriptor_changed.find((item) => item.code === 'G9788')).toMatchObject({ code: 'G9788', from: { description: 'Most rct bp </= 140/90' } });

    const csv = (renderReview(queue, 'csv') as string).split('\n');
    expect(csv[0]).toBe('reason,code,release,raised_at,field,from,to,details');
    expect(csv.find((line) => line.startsWith('descriptor_changed,G9788,'))).toMatch(/,description,Most rct bp <\/= 140\/90,Most rct bp <\/= 130\/80,$/);
    expect(csv.find((line) => line.startsWith('status_changed,77417,'))).toMatch(/,,A,B,\{\}$/);

    const md = renderReview(queue, 'md') as string;
    expect(md).toMatch(/^# Review queue: 18 open items/);
    expect(md).toContain('## status_changed (2)');
    expect(md).toMatch(/\| 77417 \| RVU26C \| [0-9T:Z-]+ \| A \| B \|/);

    const book = XLSX.read(renderReview(queue, 'xlsx') as Buffer);
    expect(book.SheetNames).toEqual(['added_without_editorial', 'editorial_for_removed', 'descriptor_changed', 'status_changed', 'unknown_code']);
    const rows = XLSX.utils.sheet_to_json<string[]>(book.Sheets.status_changed!, { header: 1 });
    expect(rows[0]).toEqual(['code', 'release', 'raised_at', 'from', 'to']);
    expect(rows.slice(1).map((row) => [row[0], row[3], row[4]])).toEqual([['77417', 'A', 'B'], ['A2001', 'C', 'A']]);
  });

  it('importing a new version of an entry resolves its open items', async () => {
    const file = await writeFixtureFile(dir, 'g9788.csv', 'code,title,specialties\nG9788,Most recent blood pressure under 130/80,Internal Medicine\n');
    const result = await importEditorial(database, [file], { by: 'editor' });
    expect(result.resolvedItems).toBe(1);
    expect(codesOf(await reviewQueue(database), 'descriptor_changed')).toEqual(['A6531', 'G0566']);
    const { rows } = await sql<{ resolution: string; resolved_by: string; version: number }>`
      select i.resolution, i.resolved_by, v.version from cms.review_item i
      join cms.editorial_version v on v.id = i.resolved_by_version_id
      where i.hcpcs = 'G9788'`.execute(database.db);
    expect(rows).toEqual([{ resolution: 'reimported', resolved_by: 'editor', version: 2 }]);
    // The new version was written against RVU26C's description: the same release raises nothing again.
    const { rows: against } = await sql<{ pfs_description: string }>`
      select v.pfs_description from cms.editorial_entry e join cms.editorial_version v on v.id = e.version_id
      where e.entry_key = 'G9788'`.execute(database.db);
    expect(against).toEqual([{ pfs_description: 'Most rct bp </= 130/80' }]);
  });

  it('resolve records who looked, with a note; only the reason asked for; codes with nothing open are listed', async () => {
    const result = await resolveReviewItems(database, ['27445', 'A2001', '99213'], { reason: 'editorial_for_removed', note: 'code deleted: page archived', by: 'ann' });
    expect(result).toEqual({ resolved: [{ code: '27445', reason: 'editorial_for_removed' }], notOpen: ['A2001', '99213'] });
    const all = await resolveReviewItems(database, ['A2001'], { by: 'bob' });
    expect(all.resolved).toEqual([{ code: 'A2001', reason: 'status_changed' }]);
    const { rows } = await sql<{ hcpcs: string; resolution: string; resolved_by: string; resolution_note: string | null }>`
      select hcpcs, resolution, resolved_by, resolution_note from cms.review_item
      where resolution = 'resolved' order by hcpcs`.execute(database.db);
    expect(rows).toEqual([
      { hcpcs: '27445', resolution: 'resolved', resolved_by: 'ann', resolution_note: 'code deleted: page archived' },
      { hcpcs: 'A2001', resolution: 'resolved', resolved_by: 'bob', resolution_note: null },
    ]);
    const queue = await reviewQueue(database);
    expect(codesOf(queue, 'editorial_for_removed')).toEqual(['B4185', 'C9248', 'G6001']);
    expect(codesOf(queue, 'status_changed')).toEqual(['77417']);
  });

  it('an older release loaded late (not current) raises nothing', async () => {
    const before = await reviewQueue(database);
    await importRelease(database, pfsZip('rvu24b'));
    expect(await reviewQueue(database)).toEqual(before);
  });

  it('retiring an entry (--replace without it) resolves its open items as retired', async () => {
    const file = await writeFixtureFile(dir, 'unknown.csv', 'code,title\nA9532,Iodinated I-125 serum albumin\n');
    await importEditorial(database, [file], { allowUnknownCodes: true });
    expect(codesOf(await reviewQueue(database), 'unknown_code')).toEqual(['A9532']);
    await importEditorial(database, [await writeFixtureFile(dir, 'all.csv', ENTRIES)], { replace: true });
    expect(codesOf(await reviewQueue(database), 'unknown_code')).toEqual([]);
    const { rows } = await sql<{ resolution: string }>`select resolution from cms.review_item where hcpcs = 'A9532'`.execute(database.db);
    expect(rows).toEqual([{ resolution: 'retired' }]);
  });
});
