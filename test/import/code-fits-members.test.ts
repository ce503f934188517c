/**
 * A release code given from outside (`--code`, or the page sync followed) must fit what the
 * archive's own data files say: RVU24B's zip is not RVU26C. Only a real disagreement is refused:
 * a correction of the same quarter, year-only names of the same year, an annual HCPCS file under
 * a quarterly code of its year, and names that say nothing all load as given. The same bytes as
 * a release loaded under another code are refused naming it, never reported `unchanged`.
 */
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { InputError, importRelease } from '../../src/index.js';
import { backends, useFreshDatabase } from '../support/db.js';
import { fixture, pfsZip, scratchDir, writeZip, zipMembers } from '../support/fixtures.js';

const refused = (promise: Promise<unknown>) => promise.then(() => expect.unreachable('loaded'), (error: unknown) => error as InputError);

describe.each(backends)('import --code against the names inside (%s)', (backend) => {
  const test = useFreshDatabase(backend);
  let scratch: string;
  beforeAll(async () => {
    scratch = await scratchDir();
  });
  const codes = async () => (await test.database.db.selectFrom('cms.releases').select('code').orderBy('code').execute()).map((row) => row.code);

  it("refuses another quarter's or another year's zip under a code, naming both; nothing is loaded", async () => {
    const quarter = await refused(importRelease(test.database, pfsZip('rvu26c'), { code: 'RVU26A' }));
    expect(quarter).toBeInstanceOf(InputError);
    expect(quarter.problem).toMatch(/^the release was named RVU26A, but its data file PPRRVU2026_Jul_(non)?QPP\.csv belongs to RVU26C$/);
    const year = await refused(importRelease(test.database, pfsZip('rvu24b'), { code: 'RVU26C' }));
    expect(year.problem).toBe('the release was named RVU26C, but its data file PPRRVU24_APR.csv belongs to RVU24B');
    expect(year.file).toBe('rvu24b.zip');
    // a file named by its year alone
    const gpci = await refused(importRelease(test.database, fixture('pfs', 'zips', 'rvu26a.zip'), { code: 'RVU25D' }));
    expect(gpci.problem).toMatch(/^the release was named RVU25D, but its data file (GPCI2026\.csv is a file of 2026|PPRRVU2026_Jan_nonQPP\.csv belongs to RVU26A)$/);
    const hcpcs = await refused(importRelease(test.database, fixture('hcpcs', 'october-2025-alpha-numeric-hcpcs-file.zip'), { code: 'HCPC2025_JUL' }));
    expect(hcpcs.problem).toBe('the release was named HCPC2025_JUL, but its data file HCPC2025_OCT_ANWEB.txt belongs to HCPC2025_OCT');
    const annual = await refused(importRelease(test.database, fixture('hcpcs', '2020-Alpha-Numeric-HCPCS-File.zip'), { code: 'HCPC2021_JAN' }));
    expect(annual.problem).toBe('the release was named HCPC2021_JAN, but its data file HCPC2020_ANWEB_w_disclaimer.txt is a file of 2020');
    const opps = await refused(importRelease(test.database, fixture('opps', 'january-2025-addendum-b.zip'), { code: 'OPPS2025_JUL' }));
    expect(opps.problem).toContain('belongs to OPPS2025_JAN');
    const asp = await refused(importRelease(test.database, fixture('asp', 'january-2025-asp-pricing-file-12_19_24-final-file.zip'), { code: 'ASP2024_JAN' }));
    expect(asp.problem).toContain('belongs to ASP2025_JAN');
    const clfs = await refused(importRelease(test.database, fixture('clfs', '25CLABQ1.zip'), { code: '25CLABQ2' }));
    expect(clfs.problem).toContain('belongs to 25CLABQ1');
    expect(await codes()).toEqual([]);
  });

  it('loads what agrees: a correction of the same quarter, year-only names of its year, an annual HCPCS file under a quarter of its year, names that say nothing', async () => {
    const members = await zipMembers(pfsZip('rvu24b'));
    const { 'PPRRVU24_APR.csv': csv, 'PPRRVU24_APR.txt': _txt, 'PPRRVU24_APR.xlsx': _xlsx, ...rest } = members;
    const correction = await writeZip(path.join(scratch, 'ar'), 'rvu24ar.zip', { ...rest, 'PPRRVU24_JAN.csv': csv! });
    expect(await importRelease(test.database, correction, { code: 'RVU24AR' })).toMatchObject({ status: 'loaded', code: 'RVU24AR' });
    // GPCI2025, ANES2025, 25LOCCO (and OPPSCAP_Oct, which names no year) under the October code
    const { 'PPRRVU2025_Oct.csv': _p1, 'PPRRVU2025_Oct.txt': _p2, 'PPRRVU2025_Oct.xlsx': _p3, ...yearOnly } = await zipMembers(pfsZip('rvu25d'));
    const rest25 = await writeZip(path.join(scratch, 'year-only'), 'files.zip', yearOnly);
    expect(await importRelease(test.database, rest25, { code: 'RVU25D' })).toMatchObject({ status: 'loaded', code: 'RVU25D' });
    const annual = await importRelease(test.database, fixture('hcpcs', '2020-Alpha-Numeric-HCPCS-File.zip'), { code: 'HCPC2020_APR' });
    expect(annual).toMatchObject({ status: 'loaded', code: 'HCPC2020_APR' });
    const unnamed = await writeZip(path.join(scratch, 'unnamed'), 'download.zip', { 'PPRRVU.csv': (await zipMembers(pfsZip('rvu25d')))['PPRRVU2025_Oct.csv']! });
    expect(await importRelease(test.database, unnamed, { code: 'RVU25D' })).toMatchObject({ status: 'loaded', code: 'RVU25D' });
    expect(await codes()).toEqual(['HCPC2020_APR', 'RVU24AR', 'RVU25D', 'RVU25D']);
  });

  it("the same bytes as a release loaded under another code: refused naming it, not `unchanged`", async () => {
    const members = await zipMembers(pfsZip('rvu25d'));
    const renamed = Object.fromEntries(Object.entries(members).map(([name, bytes]) => [name.replace('PPRRVU2025_Oct', 'PPRRVU'), bytes]));
    const source = await writeZip(path.join(scratch, 'same'), 'rvu25d.zip', renamed);
    expect(await importRelease(test.database, source)).toMatchObject({ status: 'loaded', code: 'RVU25D' });
    expect(await importRelease(test.database, source)).toMatchObject({ status: 'unchanged', code: 'RVU25D' });
    const other = await refused(importRelease(test.database, source, { code: 'RVU25C' }));
    expect(other.problem).toBe('the archive is byte-identical to RVU25D, already loaded; it was named RVU25C');
    expect(await codes()).toEqual(['RVU25D']);
  });
});
