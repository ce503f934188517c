/**
 * OPPS Addendum B end to end through `importRelease`, on PGlite and (with TEST_DATABASE_URL)
 * PostgreSQL: both layout eras, every quirk of the real files, the July 2025 re-post as revision 1
 * with exactly the codes it changed, and the failure rules.
 */
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { diffReleases, importRelease } from '../../src/index.js';
import { backends, useFreshDatabase } from '../support/db.js';
import { replaceOnce, scratchDir, writeFixtureFile } from '../support/fixtures.js';
import { OPPS_JAN_2025, OPPS_JUL_2022, OPPS_JUL_2025, OPPS_JUL_2025_REPOST, expectRefused } from './support.js';

type Row = Record<string, unknown>;

describe.each(backends)('OPPS Addendum B on %s', (backend) => {
  const test = useFreshDatabase(backend);
  let scratch: string;
  beforeAll(async () => {
    scratch = await scratchDir();
  });
  const load = (source: string) => importRelease(test.database, source);
  const rows = async (code: string, revision: number, hcpcs: string[]) =>
    (
      await sql<Row>`
        select b.hcpcs, b.short_description, b.status_indicator, b.apc, b.relative_weight::text as relative_weight,
               b.payment_rate::text as payment_rate, b.national_copay::text as national_copay, b.national_copay_na,
               b.minimum_copay::text as minimum_copay, b.ira_coinsurance_pct::text as ira_coinsurance_pct,
               b.adjusted_copay::text as adjusted_copay, b.copay_capped, b.inpatient_deductible::text as inpatient_deductible,
               b.pass_through_expires, b.note, b.changed
        from cms.opps_addendum_b b join cms.releases r on r.id = b.release_id
        where r.code = ${code} and r.revision = ${revision} and b.hcpcs in (${sql.join(hcpcs)})
        order by b.hcpcs`.execute(test.database.db)
    ).rows;

  /** A copy of the January 2025 fixture with its text edited (latin1 in, latin1 out: every byte kept). */
  async function editedJanuary(label: string, edit: (text: string) => string): Promise<string> {
    const text = (await readFile(OPPS_JAN_2025)).toString('latin1');
    return writeFixtureFile(path.join(scratch, label), path.basename(OPPS_JAN_2025), edit(text));
  }

  it('loads the January 2025 508 csv: header found on line 5 under the preamble, dates and amounts exact', async () => {
    const result = await load(OPPS_JAN_2025);
    expect(result).toMatchObject({
      status: 'loaded',
      family: 'opps',
      code: 'OPPS2025_JAN',
      revision: 0,
      effectiveFrom: '2025-01-01',
      publishedOn: '2024-12-31',
      warnings: [],
    });
    expect(result.datasets).toMatchObject([{ dataset: 'addendum_b', table: 'opps_addendum_b', rows: 31 }]);

    const [j9035, a9532, j1411, a4341, c9101, fifty, c9482, zero] = await Promise.all(
      [['J9035'], ['A9532'], ['J1411'], ['A4341'], ['C9101'], ['50600'], ['C9482'], ['0001F']].map((codes) => rows('OPPS2025_JAN', 0, codes)),
    );
    // A separately paid drug (SI K) at $73.19; `.` is "no national copayment", not 0 and not blank.
    expect(j9035).toEqual([
      {
        hcpcs: 'J9035', short_description: 'Bevacizumab injection', status_indicator: 'K', apc: '9214', relative_weight: null,
        payment_rate: '73.19', national_copay: null, national_copay_na: true, minimum_copay: '14.64', ira_coinsurance_pct: null,
        adjusted_copay: '14.64', copay_capped: null, inpatient_deductible: null, pass_through_expires: false, note: null, changed: true,
      },
    ]);
    // Packaged (SI N): the rate CMS writes as a single space is no rate at all.
    expect(a9532![0]).toMatchObject({ status_indicator: 'N', payment_rate: null, national_copay: null, national_copay_na: false, apc: null });
    // Millions with thousands separators; the note column as written.
    expect(j1411![0]).toMatchObject({
      payment_rate: '3710000.00',
      minimum_copay: '742000.00',
      adjusted_copay: '1676.00',
      note: 'Copayments capped at inpatient deductible of $1,676.00.',
    });
    // Byte 0xFF after the code is a non-breaking space, trimmed like any space.
    expect(a4341).toEqual([expect.objectContaining({ hcpcs: 'A4341', status_indicator: 'N' })]);
    // A blank national copayment stays NULL without the `.` flag; pass-through expiry marked `*`.
    expect(c9101![0]).toMatchObject({ national_copay: null, national_copay_na: false, minimum_copay: '0.00', pass_through_expires: true });
    // A minimum copayment written without `$` (2082.24) is the same kind of amount.
    expect(fifty![0]).toMatchObject({ status_indicator: 'C', relative_weight: '116.7583', payment_rate: '10411.22', minimum_copay: '2082.24' });
    expect(c9482![0]).toMatchObject({ ira_coinsurance_pct: '18.559', adjusted_copay: '4.23', note: 'Inflation-adjusted coinsurance' });
    expect(zero![0]).toMatchObject({ short_description: 'CPT descriptor withheld 0001F', status_indicator: 'E1', payment_rate: null });
  });

  it('loads the July 2022 workbook (11 columns): stray header spaces, the deductible in a header, formatted text over binary floats', async () => {
    const result = await load(OPPS_JUL_2022);
    expect(result).toMatchObject({ status: 'loaded', code: 'OPPS2022_JUL', effectiveFrom: '2022-07-01', publishedOn: '2022-06-22', warnings: [] });
    expect(result.datasets[0]!.rows).toBe(23);
    const found = await rows('OPPS2022_JUL', 0, ['J9035', 'C9067', '0234T', '0736T', '0001F']);
    const by = Object.fromEntries(found.map((row) => [row.hcpcs, row]));
    // Stored as 69.224999999999994; the cell shows $69.225, which is what is loaded.
    expect(by.J9035).toMatchObject({ status_indicator: 'K', payment_rate: '69.225', minimum_copay: '13.85', changed: true });
    // Stored 8.6401, formatted "$8.640": the published three decimals are read.
    expect(by.C9067).toMatchObject({ payment_rate: '8.640', national_copay: '0.00' });
    // `*` under the "… Inpatient Deductible of $1,556.00" header; the deductible kept per row.
    expect(by['0234T']).toMatchObject({ copay_capped: true, inpatient_deductible: '1556.00', national_copay_na: true });
    expect(by.J9035).toMatchObject({ copay_capped: false, inpatient_deductible: '1556.00', ira_coinsurance_pct: null, note: null });
    // "0736T " and "Q1 " with trailing spaces in the cells.
    expect(by['0736T']).toMatchObject({ status_indicator: 'Q1', apc: '5733', relative_weight: '0.6754' });
  });

  it('loads the July 2025 re-post as revision 1; the diff lists exactly the five codes whose values changed', async () => {
    await load(OPPS_JUL_2025);
    const repost = await load(OPPS_JUL_2025_REPOST);
    expect(repost).toMatchObject({ code: 'OPPS2025_JUL', revision: 1, superseded: { code: 'OPPS2025_JUL', revision: 0 }, publishedOn: '2025-07-25' });

    const diff = await diffReleases(test.database, 'OPPS2025_JUL@0', 'OPPS2025_JUL@1');
    const changed = [...new Set(diff.changes.map((change) => change.hcpcs))];
    expect(changed).toEqual(['A9596', 'A9697', 'C9089', 'J2724', 'Q5146']);
    expect(diff.changes.every((change) => change.change === 'changed')).toBe(true);
    const a9697 = diff.changes.find((change) => change.hcpcs === 'A9697')!;
    expect(a9697.fields).toEqual({ payment_rate: { from: '11379.909', to: '1137.991' } });
    const q5146 = diff.changes.find((change) => change.hcpcs === 'Q5146')!;
    expect(q5146.fields).toMatchObject({ status_indicator: { from: 'E2', to: 'K' }, apc: { from: null, to: '0865' }, payment_rate: { from: null, to: '76.181' } });

    // The change feed written by the load says the same.
    const feed = await sql<{ hcpcs: string; change: string }>`
      select f.hcpcs, f.change from cms.code_change f join cms.releases r on r.id = f.to_release_id
      where r.code = 'OPPS2025_JUL' and r.revision = 1 order by f.hcpcs`.execute(test.database.db);
    expect(feed.rows).toEqual(changed.map((hcpcs) => ({ hcpcs, change: 'changed' })));
    // The current view serves the re-post.
    const current = await sql<{ payment_rate: string }>`
      select payment_rate::text as payment_rate from cms.opps_addendum_b_current where hcpcs = 'A9697'`.execute(test.database.db);
    expect(current.rows).toEqual([{ payment_rate: '1137.991' }]);
  });

  it('the same bytes twice are a no-op', async () => {
    await load(OPPS_JAN_2025);
    expect(await load(OPPS_JAN_2025)).toMatchObject({ status: 'unchanged', revision: 0 });
  });

  it('a preamble repeated after the header is skipped row for row', async () => {
    const source = await editedJanuary('repeated-preamble', (text) => {
      const lines = text.split('\r\n');
      return [...lines.slice(0, 5), ...lines.slice(0, 5), ...lines.slice(5)].join('\r\n');
    });
    expect(await load(source)).toMatchObject({ status: 'loaded', datasets: [{ rows: 31 }], warnings: [] });
  });

  it('a row without a code is refused, not skipped', async () => {
    const source = await editedJanuary('no-code', (text) => replaceOnce(text, '\r\nJ9035,', '\r\n,'));
    const error = await expectRefused(test.database, 'opps_addendum_b', source, { line: 34, column: 'HCPCS CODE', problem: 'missing value', value: '' });
    expect(error.expected).toBe('a 5-character HCPCS code');
  });

  it('an amount with a misplaced thousands separator is refused, naming line, column and value', async () => {
    const source = await editedJanuary('bad-amount', (text) => replaceOnce(text, '"$1,137.96"', '"$11,37.96"'));
    await expectRefused(test.database, 'opps_addendum_b', source, {
      line: 19,
      column: 'PAYMENT RATE',
      value: '$11,37.96',
      problem: 'not an amount',
      expected: 'an amount such as $73.19 or $1,137.991',
    });
  });

  it('an unknown status indicator is refused with the known ones', async () => {
    const source = await editedJanuary('bad-si', (text) => replaceOnce(text, 'J9035,Bevacizumab injection,K,', 'J9035,Bevacizumab injection,K9,'));
    const error = await expectRefused(test.database, 'opps_addendum_b', source, { line: 34, column: 'SI', value: 'K9', problem: 'unknown code' });
    expect(error.expected).toContain('J1');
  });

  it('a header that matches no layout is refused, naming what is missing', async () => {
    const source = await editedJanuary('no-rate-column', (text) => replaceOnce(text, ',Payment Rate,', ',Payment Amount,'));
    const error = await expectRefused(test.database, 'opps_addendum_b', source, { line: 5, problem: 'unknown column "PAYMENT AMOUNT" (column 6); missing Payment Rate' });
    expect(error.expected).toContain('2025 (13 columns, IRA coinsurance)');
  });

  it('a file without its header row is refused', async () => {
    const source = await editedJanuary('no-header', (text) => replaceOnce(text, 'HCPCS Code,Short Descriptor', 'Code,Short Descriptor'));
    await expectRefused(test.database, 'opps_addendum_b', source, { problem: 'header row not found in the first 40 rows' });
  });

  it('a duplicated code names both lines', async () => {
    const source = await editedJanuary('duplicate', (text) => replaceOnce(text, '\r\nJ2724,Protein c concentrate,', '\r\nJ9035,Protein c concentrate,'));
    const error = await expectRefused(test.database, 'opps_addendum_b', source, { line: 34, problem: 'duplicate key hcpcs="J9035"' });
    expect(error.expected).toContain('line 33');
  });

  it('a name without a quarter is refused unless --code says which', async () => {
    const text = await readFile(OPPS_JAN_2025);
    const source = await writeFixtureFile(path.join(scratch, 'unnamed'), 'Web Addendum B.csv', text);
    await expectRefused(test.database, 'opps_addendum_b', source, { problem: 'cannot tell which quarter of Addendum B this is' });
    const loaded = await importRelease(test.database, source, { code: 'OPPS2025_JAN' });
    expect(loaded).toMatchObject({ status: 'loaded', code: 'OPPS2025_JAN', effectiveFrom: '2025-01-01' });
  });
});
