/**
 * The planner without a database (src/releases/plan.ts: pure functions over names): which family
 * a source belongs to, which release it is, which member each dataset loads and which it only
 * compares; the options checked before anything is opened; and the refusals, each naming the
 * source, its members and what was expected. Sources are the fee-schedule fixtures, or members
 * of the same names.
 */
import { describe, expect, it } from 'vitest';
import { aspFamily } from '../../pipelines/asp/family.js';
import { clfsFamily } from '../../pipelines/clfs/family.js';
import { oppsFamily } from '../../pipelines/opps/family.js';
import { pfsFamily } from '../../pipelines/pfs/family.js';
import { openArchive, type Archive } from '../../src/archive/archive.js';
import { InputError, UsageError } from '../../src/errors.js';
import type { Family } from '../../src/pipeline.js';
import { checkPlanOptions, planRelease, type PlanOptions } from '../../src/releases/plan.js';
import { KeyIndex, describeKey } from '../../src/releases/keys.js';
import { ASP_JAN_2025, CLFS_2025_Q1, OPPS_JAN_2025 } from '../fee-schedules/support.js';
import { memberFromBytes } from '../hcpcs/support.js';

const FAMILIES = [oppsFamily, aspFamily, clfsFamily];

/** An archive of members with these names (a few bytes each: the planner reads names only). */
function archiveOf(name: string, members: string[]): Archive {
  return { name, kind: 'zip', sha256: '0'.repeat(64), members: members.map((member) => memberFromBytes(member, Buffer.from('x'))), close: async () => undefined };
}

/** What a plan says, in names. */
function summary(archive: Archive, families: readonly Family[] = FAMILIES, options: PlanOptions = {}) {
  const plan = planRelease(archive, families, options);
  return {
    family: plan.family.name,
    identity: plan.identity,
    datasets: plan.datasets.map((dataset) => ({
      dataset: dataset.dataset.name,
      files: dataset.files.map((file) => ({ member: file.member.name, role: file.role, crossCheck: file.crossCheck.map((other) => other.name) })),
    })),
  };
}

function refusal(archive: Archive, options: PlanOptions = {}) {
  try {
    planRelease(archive, FAMILIES, options);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    const { file, value, problem, expected } = error as InputError;
    return { file, value, problem, expected };
  }
  return expect.unreachable('planned');
}

const EXPECTED_NAMES = 'data files named like *Addendum B*.csv / .xlsx, *ASP Pricing File*.csv / .xls / .xlsx, CLFS<year>Q<n>*.csv / .txt / .xlsx';

describe('planRelease', () => {
  it('a zip with the 508 csv and the .xls: the csv loads, the workbook is compared with it', async () => {
    const archive = await openArchive(ASP_JAN_2025);
    expect(summary(archive)).toEqual({
      family: 'asp',
      identity: { code: 'ASP2025_JAN', year: 2025, quarter: 1, effectiveFrom: '2025-01-01' },
      datasets: [
        {
          dataset: 'asp',
          files: [{ member: 'section 508 version of Jan 2025 ASP Pricing File updated 030725.csv', role: 'main', crossCheck: ['Jan 2025 ASP Pricing File updated 030725.xls'] }],
        },
      ],
    });
  });

  it('CLFS: the csv loads, the xlsx is compared, the txt is neither (not a cross-check format)', async () => {
    const archive = await openArchive(CLFS_2025_Q1);
    expect(summary(archive).datasets).toEqual([{ dataset: 'clfs', files: [{ member: 'CLFS 2025 Q1V1.csv', role: 'main', crossCheck: ['CLFS 2025 Q1V1.xlsx'] }] }]);
    // without the csv, the xlsx loads and nothing is compared
    const noCsv = archiveOf('25CLABQ1.zip', ['CLFS 2025 Q1V1.txt', 'CLFS 2025 Q1V1.xlsx']);
    expect(summary(noCsv).datasets).toEqual([{ dataset: 'clfs', files: [{ member: 'CLFS 2025 Q1V1.xlsx', role: 'main', crossCheck: [] }] }]);
    expect(summary(archiveOf('25CLABQ1.zip', ['CLFS 2025 Q1V1.txt'])).datasets[0]!.files[0]!.member).toBe('CLFS 2025 Q1V1.txt');
  });

  it('members no dataset reads are left out; the identity comes from the names of those it reads', () => {
    const archive = archiveOf('download.zip', ['README.txt', 'Section 508 version of January 2025 Web Addendum B.12.31.24.csv', 'notes.csv']);
    expect(summary(archive)).toMatchObject({
      family: 'opps',
      identity: { code: 'OPPS2025_JAN', effectiveFrom: '2025-01-01' },
      datasets: [{ dataset: 'addendum_b', files: [{ member: 'Section 508 version of January 2025 Web Addendum B.12.31.24.csv', crossCheck: [] }] }],
    });
  });

  it('--code names the release, and --effective-from its first day', async () => {
    const archive = await openArchive(OPPS_JAN_2025);
    expect(summary(archive, FAMILIES, { code: 'opps2025_jan' }).identity).toEqual({ code: 'OPPS2025_JAN', year: 2025, quarter: 1, effectiveFrom: '2025-01-01' });
    expect(summary(archive, FAMILIES, { effectiveFrom: '2025-01-15' }).identity).toEqual({ code: 'OPPS2025_JAN', year: 2025, quarter: 1, effectiveFrom: '2025-01-15' });
    // names that do not say the quarter: --code does
    const unnamed = archiveOf('addendum.zip', ['Web Addendum B.csv']);
    expect(summary(unnamed, FAMILIES, { code: 'opps2025_apr' }).identity).toEqual({ code: 'OPPS2025_APR', year: 2025, quarter: 2, effectiveFrom: '2025-04-01' });
  });

  it('--code that the data files\' names contradict is refused, naming both', () => {
    expect(refusal(archiveOf('addendum.zip', ['January 2025 Web Addendum B.csv']), { code: 'OPPS2025_APR' })).toMatchObject({
      file: 'addendum.zip',
      problem: 'the release was named OPPS2025_APR, but its data file January 2025 Web Addendum B.csv belongs to OPPS2025_JAN',
    });
    const pfs = (members: string[], code: string) => () => planRelease(archiveOf('rvu.zip', members), [pfsFamily], { code });
    expect(pfs(['GPCI2026.csv'], 'RVU25D')).toThrow('the release was named RVU25D, but its data file GPCI2026.csv is a file of 2026');
    // a PFS correction is checked by its year only; a base code by its quarter too
    expect(pfs(['PPRRVU24_APR.csv'], 'RVU24AR')().identity.code).toBe('RVU24AR');
    expect(pfs(['PPRRVU24_APR.csv'], 'RVU24A')).toThrow('the release was named RVU24A, but its data file PPRRVU24_APR.csv belongs to RVU24B');
    expect(pfs(['PPRRVU25_JAN.csv'], 'RVU24AR')).toThrow('the release was named RVU24AR, but its data file PPRRVU25_JAN.csv belongs to RVU25A');
  });

  it('--code of another family than the files is refused, naming that family', () => {
    const archive = archiveOf('january-2025-addendum-b.zip', ['January 2025 Web Addendum B.csv']);
    expect(refusal(archive, { code: 'ASP2025_JAN' })).toEqual({
      file: 'january-2025-addendum-b.zip', value: 'January 2025 Web Addendum B.csv', problem: 'no asp data files found', expected: EXPECTED_NAMES,
    });
  });

  it('--code known to no family is a usage error listing the examples', () => {
    const archive = archiveOf('a.zip', ['January 2025 Web Addendum B.csv']);
    expect(() => planRelease(archive, FAMILIES, { code: 'RVU25A' })).toThrow(new UsageError('unknown release code "RVU25A": expected a code like OPPS2025_JAN, ASP2025_JAN or 25CLABQ1'));
  });

  it('files of two families in one source are refused, naming both', () => {
    const archive = archiveOf('mixed.zip', ['January 2025 Web Addendum B.csv', 'CLFS 2025 Q1V1.csv']);
    expect(refusal(archive)).toEqual({
      file: 'mixed.zip', value: 'January 2025 Web Addendum B.csv, CLFS 2025 Q1V1.csv', problem: 'files of several families (opps, clfs) in one source', expected: EXPECTED_NAMES,
    });
  });

  it('a source with no data file any family reads is refused, listing its members (or saying there are none)', () => {
    expect(refusal(archiveOf('other.zip', ['readme.txt', 'Addendum A.csv']))).toEqual({
      file: 'other.zip', value: 'readme.txt, Addendum A.csv', problem: 'no CMS data files recognised', expected: EXPECTED_NAMES,
    });
    expect(refusal(archiveOf('empty.zip', []))).toMatchObject({ value: '(no data files)', problem: 'no CMS data files recognised' });
  });

  it('a member in a format the dataset does not read is not a candidate', () => {
    // Addendum B reads csv and xlsx: an xls of the same name is nobody's
    expect(refusal(archiveOf('b.zip', ['January 2025 Web Addendum B.xls']))).toMatchObject({ problem: 'no CMS data files recognised' });
  });

  it('two files of one format for a cross-checked dataset are refused, naming both', () => {
    const archive = archiveOf('b.zip', ['January 2025 Web Addendum B.csv', 'Section 508 version of January 2025 Web Addendum B.csv']);
    expect(refusal(archive)).toEqual({
      file: 'b.zip', value: 'January 2025 Web Addendum B.csv, Section 508 version of January 2025 Web Addendum B.csv',
      problem: '2 csv files for dataset addendum_b; expected one', expected: 'one file per dataset in a release',
    });
  });

  it('the workbook alone loads; the csv and the workbook of one stem are one file in two formats', () => {
    expect(summary(archiveOf('b.zip', ['July_2022_Web_Addendum_B.062222.xlsx'])).datasets[0]!.files).toEqual([{ member: 'July_2022_Web_Addendum_B.062222.xlsx', role: 'main', crossCheck: [] }]);
    const both = archiveOf('b.zip', ['July 2025 Web Addendum B.xlsx', 'July 2025 Web Addendum B.csv']);
    expect(summary(both).datasets[0]!.files).toEqual([{ member: 'July 2025 Web Addendum B.csv', role: 'main', crossCheck: ['July 2025 Web Addendum B.xlsx'] }]);
  });
});

describe('checkPlanOptions', () => {
  it('accepts a known code and a calendar date', () => {
    expect(() => checkPlanOptions(FAMILIES, { code: '25CLABQ1', effectiveFrom: '2024-02-29' })).not.toThrow();
    expect(() => checkPlanOptions(FAMILIES, {})).not.toThrow();
  });

  it('refuses an unknown code with every family\'s example', () => {
    expect(() => checkPlanOptions(FAMILIES, { code: 'HCPC2026_JAN' })).toThrow(new UsageError('unknown release code "HCPC2026_JAN": expected a code like OPPS2025_JAN, ASP2025_JAN or 25CLABQ1'));
    expect(() => checkPlanOptions([clfsFamily], { code: 'X' })).toThrow(new UsageError('unknown release code "X": expected a code like 25CLABQ1'));
  });

  it.each(['2023-02-29', '2024-13-01', '2024-04-31', '2024-00-10', '2024-01-00', '2024-3-09', '24-03-09', '2024-03-09\n', ' 2024-03-09', '2024/03/09'])(
    '--effective-from %j is refused, quoted',
    (date) => {
      expect(() => checkPlanOptions(FAMILIES, { effectiveFrom: date })).toThrow(
        new UsageError(`--effective-from must be a date like 2024-03-09 (YYYY-MM-DD, a day that exists), not ${JSON.stringify(date)}`),
      );
    },
  );
});

describe('the key index', () => {
  it('names the first line of a key seen again; keys of several columns are told apart by every column', () => {
    const index = new KeyIndex({ key: ['hcpcs', 'modifier'] });
    expect(index.add({ hcpcs: '80053', modifier: '' }, 6)).toBeUndefined();
    expect(index.add({ hcpcs: '80053', modifier: 'QW' }, 7)).toBeUndefined();
    // `8005` + `3Q` would join to the same text without a separator
    expect(index.add({ hcpcs: '8005', modifier: '3QW' }, 8)).toBeUndefined();
    expect(index.add({ hcpcs: '80053', modifier: 'QW' }, 9)).toBe(7);
    expect(index.add({ hcpcs: '80053', modifier: null }, 10)).toBe(6);
  });

  it('collapse-identical datasets tell an exact repeat from a different row of the same key', () => {
    const index = new KeyIndex({ key: ['hcpcs'], onDuplicate: 'collapse-identical' });
    index.add({ hcpcs: 'J9035', rate: '1.00' }, 1);
    index.add({ hcpcs: 'J9036', rate: '2.00' }, 2);
    expect(index.add({ hcpcs: 'J9035', rate: '1.00' }, 3)).toBe(1);
    expect(index.sameAs({ hcpcs: 'J9035', rate: '1.00' })).toBe(true);
    expect(index.add({ hcpcs: 'J9035', rate: '1.01' }, 4)).toBe(1);
    expect(index.sameAs({ hcpcs: 'J9035', rate: '1.01' })).toBe(false);
    // other datasets keep no rows to compare
    const plain = new KeyIndex({ key: ['hcpcs'] });
    plain.add({ hcpcs: 'J9035' }, 1);
    plain.add({ hcpcs: 'J9035' }, 2);
    expect(plain.sameAs({ hcpcs: 'J9035' })).toBe(false);
  });

  it('describes a key as messages show it', () => {
    expect(describeKey(['hcpcs', 'modifier'], { hcpcs: '99213', modifier: '' })).toBe('hcpcs="99213", modifier=""');
    expect(describeKey(['hcpcs', 'modifier'], { hcpcs: '99213' })).toBe('hcpcs="99213", modifier=""');
  });
});
