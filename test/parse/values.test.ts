import { describe, expect, it } from 'vitest';
import { compactDateToIso, decimalsEqual, normalizeDecimal, padDigits, sumDecimals, usDateToIso } from '../../src/parse/values.js';

describe('exact decimals', () => {
  it('normalizes the forms CMS writes and rejects everything else', () => {
    expect(normalizeDecimal('0.10')).toBe('0.10');
    expect(normalizeDecimal('.10')).toBe('0.10');
    expect(normalizeDecimal(' 19.31 ')).toBe('19.31');
    expect(normalizeDecimal('007')).toBe('7');
    expect(normalizeDecimal('-.5')).toBe('-0.5');
    expect(normalizeDecimal('-0.00')).toBe('0.00');
    for (const bad of ['', '.', 'abc', '1.2.3', '1e5', '1,000', 'NA']) expect(normalizeDecimal(bad)).toBeNull();
  });

  it('adds without floating point error', () => {
    expect(sumDecimals(['0.1', '0.2'])).toBe('0.3');
    expect(sumDecimals(['19.60', '15.30', '3.98'])).toBe('38.88');
    expect(sumDecimals(['1.5', '-2.25'])).toBe('-0.75');
    expect(decimalsEqual('1.50', '1.5')).toBe(true);
    expect(decimalsEqual('38.88', '38.89')).toBe(false);
  });
});

describe('dates and padding', () => {
  it('reads US and compact dates, refusing impossible ones', () => {
    expect(usDateToIso('03/15/2024')).toBe('2024-03-15');
    expect(usDateToIso('02/30/2024')).toBeNull();
    expect(compactDateToIso('20200101')).toBe('2020-01-01');
    expect(compactDateToIso('20201301')).toBeNull();
  });

  it('re-pads numbers a spreadsheet shortened, and leaves the rest alone', () => {
    expect(padDigits('2102', 5)).toBe('02102');
    expect(padDigits('1', 2)).toBe('01');
    expect(padDigits('10112', 5)).toBe('10112');
    expect(padDigits('A1', 5)).toBe('A1');
  });
});
