/**
 * The OPPS, ASP and CLFS families without a database: release identity from names and codes,
 * what a code page says for each status (Addendum D1 for OPPS, the CLFS indicators), the diff
 * aliases, and the member rules.
 */
import { describe, expect, it } from 'vitest';
import { aspFamily } from '../../pipelines/asp/family.js';
import { aspSchedule } from '../../pipelines/asp/schedule.js';
import { CLFS_INDICATORS } from '../../pipelines/clfs/codes.js';
import { clfsFamily } from '../../pipelines/clfs/family.js';
import { clfsSchedule } from '../../pipelines/clfs/schedule.js';
import { STATUS_INDICATORS } from '../../pipelines/opps/codes.js';
import { oppsFamily } from '../../pipelines/opps/family.js';
import { addendumBSchedule } from '../../pipelines/opps/schedule.js';
import { chooseDataset } from '../../src/diff/options.js';
import { InputError } from '../../src/errors.js';

const refusal = (identify: () => unknown) => {
  try {
    identify();
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    const { file, value, problem, expected } = error as InputError;
    return { file, value, problem, expected };
  }
  return expect.unreachable('identified');
};

describe('OPPS Addendum B releases', () => {
  it.each([
    ['OPPS2025_JAN', { code: 'OPPS2025_JAN', year: 2025, quarter: 1, effectiveFrom: '2025-01-01' }],
    ['opps2024_apr', { code: 'OPPS2024_APR', year: 2024, quarter: 2, effectiveFrom: '2024-04-01' }],
    ['OPPS2022_Jul', { code: 'OPPS2022_JUL', year: 2022, quarter: 3, effectiveFrom: '2022-07-01' }],
    ['OPPS2023_OCT', { code: 'OPPS2023_OCT', year: 2023, quarter: 4, effectiveFrom: '2023-10-01' }],
  ])('--code %s', (code, identity) => {
    expect(oppsFamily.fromCode(code)).toEqual(identity);
  });

  it.each(['OPPS2025_FEB', 'OPPS25_JAN', 'OPPS2025_JANUARY', 'XOPPS2025_JAN', 'OPPS2025_JAN1', 'ASP2025_JAN'])('--code %s is no OPPS code', (code) => {
    expect(oppsFamily.fromCode(code)).toBeNull();
  });

  it('a name without a month and year is refused, naming the source, its members and the names expected', () => {
    expect(refusal(() => oppsFamily.identify({ name: 'addendum-b.zip', members: ['Web Addendum B.csv'] }))).toEqual({
      file: 'addendum-b.zip', value: 'Web Addendum B.csv', problem: 'cannot tell which quarter of Addendum B this is',
      expected: 'a name holding the month and year (January 2025 Web Addendum B, July_2022_Web_Addendum_B), or --code OPPS2025_JAN',
    });
  });

  it('the zip and its member naming two quarters are refused', () => {
    expect(refusal(() => oppsFamily.identify({ name: 'january-2025-addendum-b.zip', members: ['July 2025 Web Addendum B.csv'] }))).toMatchObject({
      problem: 'the names belong to two quarters (OPPS2025_JAN and OPPS2025_JUL)', expected: 'one quarter of Addendum B',
    });
  });

  it('the members it reads are named Addendum B (not Addendum A, not "Addendum BB")', () => {
    const { stem } = oppsFamily.datasets[0]!.members;
    const names = ['July_2022_Web_Addendum_B.062222', 'Section 508 version of January 2025 Web Addendum B.12.31.24', 'addendum-b', 'ADDENDUMB 2025', 'Addendum _- B'];
    expect(names.filter((name) => stem.test(name))).toEqual(names);
    expect(['January 2025 Web Addendum A', 'Web Addendum BB', 'Addendum Bx'].filter((name) => stem.test(name))).toEqual([]);
  });
});

describe('what a code page says for an OPPS status indicator', () => {
  // Addendum D1: the indicators under which OPPS pays the code on its own.
  const PAID = ['G', 'H', 'H1', 'J1', 'J2', 'K', 'K1', 'P', 'R', 'S', 'T', 'U', 'V'];
  const NOT_PAID = ['A', 'B', 'C', 'D', 'E1', 'E2', 'F', 'L', 'M', 'N', 'Q1', 'Q2', 'Q3', 'Q4', 'Y'];

  it('paid separately for exactly the separately payable indicators; each indicator has words of its own', () => {
    expect(Object.keys(STATUS_INDICATORS).sort()).toEqual([...PAID, ...NOT_PAID].sort());
    const describe = (status: string) => addendumBSchedule.describe({ status, amount: '1.00', unavailable: false });
    expect(PAID.filter((status) => describe(status).paid)).toEqual(PAID);
    expect(NOT_PAID.filter((status) => describe(status).paid)).toEqual([]);
    const meanings = Object.keys(STATUS_INDICATORS).map((status) => describe(status).meaning);
    expect(new Set(meanings).size).toBe(meanings.length);
    expect(meanings.filter((meaning) => meaning.length < 10)).toEqual([]);
  });

  it('the words of the statuses a page shows most', () => {
    const meaning = (status: string) => addendumBSchedule.describe({ status, amount: null, unavailable: false }).meaning;
    expect(meaning('N')).toBe('packaged into the payment for other services: no separate payment');
    expect(meaning('K')).toBe('non-pass-through drug or biological: paid separately');
    expect(meaning('E1')).toBe('not covered by Medicare');
  });

  it('an indicator not in the table, or none, is "not known" and not paid', () => {
    for (const status of ['Z', null]) {
      expect(addendumBSchedule.describe({ status, amount: '5.00', unavailable: false })).toEqual({ meaning: 'status indicator not known', paid: false });
    }
  });
});

describe('ASP releases and the payment limit', () => {
  it.each([
    ['ASP2025_JAN', { code: 'ASP2025_JAN', year: 2025, quarter: 1, effectiveFrom: '2025-01-01' }],
    ['asp2024_jul', { code: 'ASP2024_JUL', year: 2024, quarter: 3, effectiveFrom: '2024-07-01' }],
    ['ASP2026_Apr', { code: 'ASP2026_APR', year: 2026, quarter: 2, effectiveFrom: '2026-04-01' }],
    ['ASP2023_OCT', { code: 'ASP2023_OCT', year: 2023, quarter: 4, effectiveFrom: '2023-10-01' }],
  ])('--code %s', (code, identity) => {
    expect(aspFamily.fromCode(code)).toEqual(identity);
  });

  it.each(['ASP2025_MAR', 'ASP25_JAN', 'XASP2025_JAN', 'ASP2025_JAN2', 'OPPS2025_JAN'])('--code %s is no ASP code', (code) => {
    expect(aspFamily.fromCode(code)).toBeNull();
  });

  it('a name without a month and year is refused, naming the names expected', () => {
    expect(refusal(() => aspFamily.identify({ name: 'asp-pricing-file.zip', members: ['ASP Pricing File.csv'] }))).toEqual({
      file: 'asp-pricing-file.zip', value: 'ASP Pricing File.csv', problem: 'cannot tell which quarter of ASP payment limits this is',
      expected: 'a name holding the month and year (january-2025-asp-pricing-file…, Jul 2024 ASP Pricing File), or --code ASP2025_JAN',
    });
  });

  it('the members it reads: the pricing file and, from 2026, the payment limit file', () => {
    const { stem } = aspFamily.datasets[0]!.members;
    // the words apart by any run of spaces, underscores or dashes, or by none
    const names = [
      'section 508 version of Jan 2025 ASP Pricing File updated 030725', 'Jan 2025 ASP_Pricing-File', 'Jan 2025 ASPPricingFile', 'Jan 2025 ASP _Pricing -_File',
      'April 2026 Medicare Part B Payment Limit File', 'payment_limit_file', 'PaymentLimitFile', 'payment - limit - file',
    ];
    expect(names.filter((name) => stem.test(name))).toEqual(names);
    expect(['Jan 2025 ASP NDC-HCPCS crosswalk', 'Jan 2025 NOC Pricing', 'OPPS Pricing'].filter((name) => stem.test(name))).toEqual([]);
  });

  it('N/A is priced by the contractor, a blank limit is none published, an amount is paid', () => {
    expect(aspSchedule.describe({ status: null, amount: null, unavailable: true })).toEqual({ meaning: 'no payment limit published (N/A): priced by the contractor', paid: false });
    expect(aspSchedule.describe({ status: null, amount: null, unavailable: false })).toEqual({ meaning: 'no payment limit published', paid: false });
    expect(aspSchedule.describe({ status: null, amount: '73.190', unavailable: false })).toEqual({ meaning: 'payment limit per dosage unit', paid: true });
  });
});

describe('CLFS releases and indicators', () => {
  it.each([
    ['25CLABQ1', { code: '25CLABQ1', year: 2025, quarter: 1, effectiveFrom: '2025-01-01' }],
    ['24clabq4', { code: '24CLABQ4', year: 2024, quarter: 4, effectiveFrom: '2024-10-01' }],
    ['09CLABQ2', { code: '09CLABQ2', year: 2009, quarter: 2, effectiveFrom: '2009-04-01' }],
  ])('--code %s', (code, identity) => {
    expect(clfsFamily.fromCode(code)).toEqual(identity);
  });

  it.each(['25CLABQ5', '2025CLABQ1', '25CLABQ1V2', 'X25CLABQ1', 'RVU25A'])('--code %s is no CLFS code', (code) => {
    expect(clfsFamily.fromCode(code)).toBeNull();
  });

  it.each([
    ['25CLABQ1.zip', [], '25CLABQ1'],
    ['25clabq3v2.zip', [], '25CLABQ3'],
    ['release.zip', ['CLFS 2024 Q4V1.csv'], '24CLABQ4'],
    ['release.zip', ['CLFS_2023_Q2.xlsx'], '23CLABQ2'],
    ['download (25CLABQ2).zip', ['CLFS 2025 Q2V1.csv', 'CLFS 2025 Q2V1.txt'], '25CLABQ2'],
    ['09CLABQ1.zip', [], '09CLABQ1'],
    ['25CLABQ1V12.zip', [], '25CLABQ1'],
    ['release.zip', ['CLFS2025Q3.csv'], '25CLABQ3'],
    ['release.zip', ['CLFS -2025_ Q4V1.csv'], '25CLABQ4'],
  ])('%s with %j is %s', (name, members, code) => {
    expect(clfsFamily.identify({ name, members }).code).toBe(code);
  });

  it.each(['125CLABQ1.zip', '25CLABQ1X.zip', 'X25CLABQ1.zip', 'CLFS 2025 Q5.csv'])('%s names no quarter', (name) => {
    expect(refusal(() => clfsFamily.identify({ name, members: ['readme.pdf', 'notes.txt'] }))).toEqual({
      file: name, value: 'readme.pdf, notes.txt', problem: 'cannot tell which CLFS quarter this is', expected: 'a name like 25CLABQ1.zip or CLFS 2025 Q1V1.csv, or --code 25CLABQ1',
    });
  });

  it('a zip and members of two quarters are refused, naming every name', () => {
    expect(refusal(() => clfsFamily.identify({ name: '25CLABQ1.zip', members: ['CLFS 2025 Q1V1.csv', 'CLFS 2025 Q2V1.txt'] }))).toEqual({
      file: '25CLABQ1.zip', value: '25CLABQ1.zip, CLFS 2025 Q1V1.csv, CLFS 2025 Q2V1.txt', problem: 'the names belong to two quarters (25CLABQ1 and 25CLABQ2)',
      expected: 'one CLFS quarter, or --code 25CLABQ1',
    });
  });

  it('the members it reads start CLFS <year> Q<n>', () => {
    const { stem } = clfsFamily.datasets[0]!.members;
    const names = ['CLFS 2025 Q1V1', 'clfs_2024_q4', 'CLFS-2023-Q2', 'CLFS2025Q3', 'CLFS _2025- Q4'];
    expect(names.filter((name) => stem.test(name))).toEqual(names);
    expect(['Copy of CLFS 2025 Q1V1', 'CLFS 2025 Q5', 'CLFS 25 Q1'].filter((name) => stem.test(name))).toEqual([]);
  });

  it('N is the national limit (paid), L is priced locally (not paid), anything else not known', () => {
    expect(Object.keys(CLFS_INDICATORS)).toEqual(['N', 'L']);
    const describe = (status: string | null) => clfsSchedule.describe({ status, amount: '10.56', unavailable: false });
    expect(describe('N')).toEqual({ meaning: 'national limitation amount', paid: true });
    expect(describe('L')).toEqual({ meaning: 'priced locally by the Medicare contractor: no national rate', paid: false });
    expect(describe('X')).toEqual({ meaning: 'indicator not known', paid: false });
    expect(describe(null)).toEqual({ meaning: 'indicator not known', paid: false });
  });
});

describe('diff --dataset names', () => {
  it.each([
    [oppsFamily, ['addendum_b', 'opps_addendum_b', 'opps', 'addendum-b', ' Addendum-B ']],
    [aspFamily, ['asp', 'asp_payment_limit', 'payment-limits']],
    [clfsFamily, ['clfs', 'clfs_rate', 'lab', 'rates']],
  ])('each name of the one dataset of $name', (family, names) => {
    for (const name of names) expect(chooseDataset(family, name)).toBe(family.datasets[0]);
  });

  it('an unknown name lists the names and aliases', () => {
    expect(() => chooseDataset(oppsFamily, 'addendum-a')).toThrow('--dataset addendum-a: opps datasets are addendum_b or opps or addendum-b');
    expect(() => chooseDataset(aspFamily, 'x')).toThrow('--dataset x: asp datasets are asp or asp or payment-limits');
    expect(() => chooseDataset(clfsFamily, 'x')).toThrow('--dataset x: clfs datasets are clfs or lab or rates');
  });
});
