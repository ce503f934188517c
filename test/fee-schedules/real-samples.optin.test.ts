/**
 * Opt-in: the real OPPS Addendum B, ASP and CLFS samples in $CMS_SAMPLES_DIR (`npm run
 * test:samples`) imported end to end, with row counts and values compared against the files
 * themselves (read here independently with csv-parse and SheetJS), and the cross-checks CMS itself
 * implies between the schedules.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { unzipSync } from 'fflate';
import { sql } from 'kysely';
import * as XLSX from 'xlsx';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diffReleases, importRelease } from '../../src/index.js';
import { backends, openTestDatabase, type TestDatabase } from '../support/db.js';

function sample(...parts: string[]): string {
  const dir = process.env.CMS_SAMPLES_DIR;
  if (!dir) throw new Error('CMS_SAMPLES_DIR is not set: it must point at the cms-samples folder');
  return path.join(dir, ...parts);
}

const OPPS_JAN = sample('opps', 'Section 508 version of January 2025 Web Addendum B.12.31.24.csv');
const OPPS_JUL = sample('opps', '2025-07-original', 'Section 508 version of July 2025 Web Addendum B.06.26.25.csv');
const OPPS_JUL_REPOST = sample('opps', '2025-07-repost', 'Section 508 of July 2025 Web Addendum B.07.25.25.csv');
const OPPS_2022 = sample('opps', 'July_2022_Web_Addendum_B.062222.xlsx');
const ASP_JAN = sample('asp', 'january-2025-asp-pricing-file-12_19_24-final-file.zip');
const ASP_JUL_2024 = sample('asp', 'section 508 version of Jul 2024 ASP Pricing File 062024.csv');
const CLFS = sample('clfs', '25CLABQ1.zip');

/** Rows of a cp1252 csv after the row whose first cell is `header`, with 0xFF (NBSP) and spaces trimmed. */
function csvRows(bytes: Uint8Array, header: (cells: string[]) => boolean): string[][] {
  const text = new TextDecoder('windows-1252').decode(bytes).replace(/\u00ff/g, '\u00a0');
  const rows = (parse(text, { relax_column_count: true }) as string[][]).map((row) => row.map((cell) => cell.trim()));
  return rows.slice(rows.findIndex(header) + 1).filter((row) => row.some((cell) => cell !== ''));
}

const amount = (text: string): string | null => (text === '' || text === '.' ? null : text.replace(/[$,%]/g, ''));
const asNumber = (text: string | null): number | null => (text === null ? null : Number(text));

describe.each(backends)('real fee-schedule samples on %s', (backend) => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await openTestDatabase(backend);
  });
  afterAll(() => test.close());
  const query = async <T>(statement: ReturnType<typeof sql<T>>) => (await statement.execute(test.database.db)).rows;

  async function oppsMatchesFile(file: string, code: string, revision: number): Promise<void> {
    const expected = csvRows(readFileSync(file), (row) => row[0] === 'HCPCS Code');
    const stored = await query(sql<Record<string, string | boolean | null>>`
      select b.hcpcs, b.short_description, b.status_indicator, b.apc, b.payment_rate::text as payment_rate,
             b.national_copay::text as national_copay, b.national_copay_na, b.minimum_copay::text as minimum_copay,
             b.adjusted_copay::text as adjusted_copay, b.note
      from cms.opps_addendum_b b join cms.releases r on r.id = b.release_id
      where r.code = ${code} and r.revision = ${revision} order by b.hcpcs`);
    expect(stored).toHaveLength(expected.length);
    const byCode = new Map(stored.map((row) => [row.hcpcs, row]));
    for (const row of expected) {
      const got = byCode.get(row[0]!)!;
      expect(got, row[0]).toBeDefined();
      expect([got.short_description, got.status_indicator, got.apc ?? '', got.note ?? '']).toEqual([row[1] || null, row[2], row[3], row[11]]);
      expect([asNumber(got.payment_rate as string | null), asNumber(got.national_copay as string | null), got.national_copay_na]).toEqual([
        asNumber(amount(row[5]!)),
        asNumber(amount(row[6]!)),
        row[6] === '.',
      ]);
      expect([got.minimum_copay, got.adjusted_copay].map((value) => asNumber(value as string | null))).toEqual([asNumber(amount(row[7]!)), asNumber(amount(row[9]!))]);
    }
  }

  it('Addendum B January 2025: all 18,562 codes, every value as the file has it', { timeout: 300_000 }, async () => {
    const result = await importRelease(test.database, OPPS_JAN);
    expect(result).toMatchObject({ status: 'loaded', code: 'OPPS2025_JAN', warnings: [] });
    expect(result.datasets[0]!.rows).toBe(18_562);
    await oppsMatchesFile(OPPS_JAN, 'OPPS2025_JAN', 0);
  });

  it('Addendum B July 2025: the re-post is revision 1 and the diff lists exactly the codes whose values differ in the files', { timeout: 300_000 }, async () => {
    await importRelease(test.database, OPPS_JUL);
    const repost = await importRelease(test.database, OPPS_JUL_REPOST);
    expect(repost).toMatchObject({ code: 'OPPS2025_JUL', revision: 1, warnings: [] });
    expect(repost.datasets[0]!.rows).toBe(18_704);
    await oppsMatchesFile(OPPS_JUL, 'OPPS2025_JUL', 0);
    await oppsMatchesFile(OPPS_JUL_REPOST, 'OPPS2025_JUL', 1);

    // The codes whose rows differ between the two files, compared here cell by cell.
    const before = new Map(csvRows(readFileSync(OPPS_JUL), (row) => row[0] === 'HCPCS Code').map((row) => [row[0], row.join('|')]));
    const after = csvRows(readFileSync(OPPS_JUL_REPOST), (row) => row[0] === 'HCPCS Code');
    const differing = after.filter((row) => before.get(row[0]) !== row.join('|')).map((row) => row[0]);
    expect(differing).toEqual(['A9596', 'A9697', 'C9089', 'J2724', 'Q5146']);
    const diff = await diffReleases(test.database, 'OPPS2025_JUL@0', 'OPPS2025_JUL@1');
    expect([...new Set(diff.changes.map((change) => change.hcpcs))]).toEqual(differing);
  });

  it('Addendum B July 2022 workbook: all 17,300 codes, amounts as the cells display them', { timeout: 300_000 }, async () => {
    const result = await importRelease(test.database, OPPS_2022);
    expect(result).toMatchObject({ status: 'loaded', code: 'OPPS2022_JUL', warnings: [] });
    const book = XLSX.read(readFileSync(OPPS_2022), { dense: true });
    const data = (book.Sheets[book.SheetNames[0]!] as { '!data': ({ w?: string } | undefined)[][] })['!data'];
    const rows = data.slice(4).filter((row) => row && (row[0]?.w ?? '').trim() !== '');
    expect(result.datasets[0]!.rows).toBe(rows.length);
    expect(rows.length).toBe(17_300);
    const stored = new Map(
      (
        await query(sql<{ hcpcs: string; status_indicator: string; payment_rate: string | null }>`
          select hcpcs, status_indicator, payment_rate::text as payment_rate from cms.opps_addendum_b where release_id = ${result.releaseId}`)
      ).map((row) => [row.hcpcs, row]),
    );
    for (const row of rows) {
      const code = row[0]!.w!.trim();
      const got = stored.get(code)!;
      expect([got.status_indicator, got.payment_rate], code).toEqual([(row[2]?.w ?? '').trim(), amount((row[5]?.w ?? '').trim())]);
    }
    expect(stored.get('J9035')).toMatchObject({ status_indicator: 'K', payment_rate: '69.225' });
  });

  it('ASP: the January 2025 zip (csv and xls agree) and July 2024, every limit as written', { timeout: 300_000 }, async () => {
    const members = unzipSync(readFileSync(ASP_JAN));
    const janCsv = Object.entries(members).find(([name]) => name.endsWith('.csv'))![1];
    for (const [source, bytes, count] of [
      [ASP_JAN, janCsv, 877],
      [ASP_JUL_2024, readFileSync(ASP_JUL_2024), 846],
    ] as const) {
      const result = await importRelease(test.database, source);
      expect(result).toMatchObject({ status: 'loaded', warnings: [] });
      const expected = csvRows(bytes, (row) => row[0] === 'HCPCS Code');
      expect(result.datasets[0]!.rows).toBe(count);
      expect(expected).toHaveLength(count);
      const stored = new Map(
        (
          await query(sql<{ hcpcs: string; payment_limit: string | null; payment_limit_na: boolean; dosage: string; notes: string | null }>`
            select hcpcs, payment_limit::text as payment_limit, payment_limit_na, dosage, notes
            from cms.asp_payment_limit where release_id = ${result.releaseId}`)
        ).map((row) => [row.hcpcs, row]),
      );
      for (const row of expected) {
        expect(stored.get(row[0]!), row[0]).toEqual({
          hcpcs: row[0],
          payment_limit: row[3] === 'N/A' ? null : row[3],
          payment_limit_na: row[3] === 'N/A',
          dosage: row[2],
          notes: row[10] || null,
        });
      }
    }
  });

  it('CLFS 2025 Q1: all 2,087 rows, rates and indicators as written', { timeout: 300_000 }, async () => {
    const result = await importRelease(test.database, CLFS);
    expect(result).toMatchObject({ status: 'loaded', code: '25CLABQ1', warnings: [] });
    const csv = Object.entries(unzipSync(readFileSync(CLFS))).find(([name]) => name.endsWith('.csv'))![1];
    const expected = csvRows(csv, (row) => row[0] === 'YEAR' && row[1] === 'HCPCS');
    expect(expected).toHaveLength(2_087);
    expect(result.datasets[0]!.rows).toBe(2_087);
    const stored = new Map(
      (
        await query(sql<{ key: string; indicator: string; rate: string }>`
          select hcpcs || '|' || modifier as key, indicator, rate::text as rate from cms.clfs_rate where release_id = ${result.releaseId}`)
      ).map((row) => [row.key, row]),
    );
    for (const row of expected) {
      const got = stored.get(`${row[1]}|${row[2]}`)!;
      expect([got.indicator, Number(got.rate)], row[1]).toEqual([row[4], Number(row[5])]);
    }
  });

  it('cross-checks CMS implies: J9035 (SI K) is paid at its ASP limit in January 2025; A9532 is N in OPPS and C in the PFS', { timeout: 300_000 }, async () => {
    await importRelease(test.database, sample('pfs', 'rvu25d.zip'));
    const [j9035] = await query(sql<{ si: string; rate: string; limit: string }>`
      select b.status_indicator as si, b.payment_rate::text as rate, a.payment_limit::text as limit
      from cms.opps_addendum_b b
      join cms.releases rb on rb.id = b.release_id and rb.code = 'OPPS2025_JAN'
      join cms.asp_payment_limit a on a.hcpcs = b.hcpcs
      join cms.releases ra on ra.id = a.release_id and ra.code = 'ASP2025_JAN'
      where b.hcpcs = 'J9035'`);
    expect(j9035).toEqual({ si: 'K', rate: '73.19', limit: '73.190' });
    expect(Number(j9035!.rate)).toBe(Number(j9035!.limit));
    const [a9532] = await query(sql<{ si: string; pfs_status: string }>`
      select b.status_indicator as si, p.status_code as pfs_status
      from cms.opps_addendum_b_current b, cms.pfs_rvu_current p
      where b.hcpcs = 'A9532' and p.hcpcs = 'A9532' and p.modifier = ''`);
    expect(a9532).toEqual({ si: 'N', pfs_status: 'C' });
  });
});
