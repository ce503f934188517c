/** Release identity of the fee-schedule families from CMS's names, and the amount grammar. */
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { aspFamily } from '../../pipelines/asp/family.js';
import { clfsFamily } from '../../pipelines/clfs/family.js';
import { oppsFamily } from '../../pipelines/opps/family.js';
import { parseAmount } from '../../pipelines/amounts.js';
import { monthYearFamily, postingDateIn } from '../../pipelines/release-names.js';

describe('release names', () => {
  it.each([
    ['Section 508 version of January 2025 Web Addendum B.12.31.24.csv', 'OPPS2025_JAN'],
    ['Section 508 of July 2025 Web Addendum B.07.25.25.csv', 'OPPS2025_JUL'],
    ['July_2022_Web_Addendum_B.062222.xlsx', 'OPPS2022_JUL'],
    ['2025-october-addendum-b.zip', 'OPPS2025_OCT'],
    ['April 2024 Web Addendum B.csv', 'OPPS2024_APR'],
  ])('Addendum B %s → %s', (name, code) => {
    expect(oppsFamily.identify({ name, members: [] }).code).toBe(code);
  });

  it('Addendum B names of two quarters are refused', () => {
    expect(() => oppsFamily.identify({ name: 'january-2025-addendum-b.zip', members: ['July 2025 Web Addendum B.csv'] })).toThrow(InputError);
  });

  it.each([
    ['january-2025-asp-pricing-file-12_19_24-final-file.zip', 'ASP2025_JAN'],
    ['section 508 version of Jul 2024 ASP Pricing File 062024.csv', 'ASP2024_JUL'],
    ['april-2026-medicare-part-b-payment-limit-file.zip', 'ASP2026_APR'],
  ])('ASP %s → %s', (name, code) => {
    expect(aspFamily.identify({ name, members: [] }).code).toBe(code);
  });

  it.each([
    ['25CLABQ1.zip', '25CLABQ1', '2025-01-01'],
    ['25clabq3v2.zip', '25CLABQ3', '2025-07-01'],
    ['CLFS 2024 Q4V1.csv', '24CLABQ4', '2024-10-01'],
  ])('CLFS %s → %s', (name, code, effectiveFrom) => {
    expect(clfsFamily.identify({ name, members: [] })).toMatchObject({ code, effectiveFrom });
  });

  it('codes name one family each', () => {
    expect(oppsFamily.fromCode('OPPS2025_JUL')).toMatchObject({ year: 2025, quarter: 3 });
    expect(aspFamily.fromCode('OPPS2025_JUL')).toBeNull();
    expect(aspFamily.fromCode('asp2025_jan')).toMatchObject({ code: 'ASP2025_JAN', quarter: 1 });
    expect(clfsFamily.fromCode('25CLABQ2')).toMatchObject({ year: 2025, quarter: 2, effectiveFrom: '2025-04-01' });
    expect(clfsFamily.fromCode('RVU25B')).toBeNull();
  });

  it('a family named by month and year takes a prefix of capital letters only (it goes into the code pattern)', () => {
    const family = (prefix: string) => monthYearFamily({ name: 'test', title: 'test', prefix, datasets: [], names: { what: 'test files', expected: 'a name' } });
    expect(() => family('A.B')).toThrow('family test: prefix A.B is not capital letters');
    expect(family('XY').fromCode('XY2024_OCT')).toMatchObject({ code: 'XY2024_OCT', effectiveFrom: '2024-10-01' });
    expect(family('XY').fromCode('XYZ2024_OCT')).toBeNull();
  });

  it.each([
    ['Section 508 version of January 2025 Web Addendum B.12.31.24', '2024-12-31'],
    ['July_2022_Web_Addendum_B.062222', '2022-06-22'],
    ['section 508 version of Jan 2025 ASP Pricing File updated 030725', '2025-03-07'],
    ['section 508 version of Jul 2024 ASP Pricing File 062024', '2024-06-20'],
    ['january-2025-asp-pricing-file-12_19_24-final-file', '2024-12-19'],
    ['CLFS 2025 Q1V1', undefined],
    ['Web Addendum B.13.45.24', undefined],
  ])('posting date of %s', (stem, date) => {
    expect(postingDateIn(stem)).toBe(date);
  });
});

describe('amounts', () => {
  it.each([
    ['$73.19', '73.19'],
    ['$73.049', '73.049'],
    ['$1,137.991', '1137.991'],
    ['$3,710,000.00', '3710000.00'],
    ['2082.24', '2082.24'],
    ['$0.00', '0.00'],
  ])('%s is %s', (text, value) => {
    expect(parseAmount(text)).toBe(value);
  });

  it.each(['$11,37.96', '$1,1370.00', '1.2e3', '$', '.', 'N/A', '$-5.00', '73.19%', '$$1.00', '1,23'])('%s is refused', (text) => {
    expect(parseAmount(text)).toBeNull();
  });

  it('percentages only where allowed', () => {
    expect(parseAmount('18.559%', { dollar: false, percent: true })).toBe('18.559');
    expect(parseAmount('$18.559', { dollar: false, percent: true })).toBeNull();
  });
});
