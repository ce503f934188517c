/** The key check of a file's rows (src/releases/keys.ts): in CMS's sorted order and out of it. */
import { describe, expect, it } from 'vitest';
import { KeyIndex } from '../../src/releases/keys.js';

const index = () => new KeyIndex({ key: ['hcpcs', 'modifier'] });
const row = (hcpcs: string, modifier = '') => ({ hcpcs, modifier, work_rvu: '1.00' });

describe('KeyIndex', () => {
  it('takes keys in ascending order, and names the line of an immediate repeat', () => {
    const keys = index();
    expect(keys.add(row('0001F'), 10)).toBeUndefined();
    expect(keys.add(row('99213'), 11)).toBeUndefined();
    expect(keys.add(row('99213', '26'), 12)).toBeUndefined();
    expect(keys.add(row('99213', '26'), 13)).toBe(12);
  });

  it('takes unique keys out of order: a file CMS did not sort is not refused for it', () => {
    const keys = index();
    const codes = ['99213', '0001F', '99214', '00100', 'G0008', '99213'];
    const firsts = codes.map((code, at) => keys.add(row(code, at === 5 ? 'TC' : ''), at + 1));
    expect(firsts).toEqual([undefined, undefined, undefined, undefined, undefined, undefined]);
  });

  it('finds a repeat of any earlier key once the order breaks, with the line that had it first', () => {
    const keys = index();
    for (const [at, code] of ['00100', '0001F', '99213', '99214', 'G0008'].entries()) keys.add(row(code), at + 1);
    // 00100 came while the keys still ascended, 0001F broke the order: both are still found
    expect(keys.add(row('00100'), 6)).toBe(1);
    expect(keys.add(row('0001F'), 7)).toBe(2);
    expect(keys.add(row('G0008'), 8)).toBe(5);
    expect(keys.add(row('G0009'), 9)).toBeUndefined();
  });

  it('compares the key column by column, not as joined text', () => {
    const keys = new KeyIndex({ key: ['state', 'locality'] });
    expect(keys.add({ state: 'CA', locality: '18' }, 1)).toBeUndefined();
    // "CA" + "2" joined would sort after "CA" + "18"; column by column it is a new key either way
    expect(keys.add({ state: 'CA', locality: '2' }, 2)).toBeUndefined();
    expect(keys.add({ state: 'C', locality: 'A18' }, 3)).toBeUndefined();
    expect(keys.add({ state: 'CA', locality: '18' }, 4)).toBe(1);
  });

  it('keeps identical repeats recognisable where a dataset collapses them', () => {
    const keys = new KeyIndex({ key: ['state', 'locality'], onDuplicate: 'collapse-identical' });
    const first = { state: 'CA', locality: '18', name: 'ORANGE' };
    expect(keys.add(first, 1)).toBeUndefined();
    expect(keys.add({ state: 'AL', locality: '00', name: 'ALABAMA' }, 2)).toBeUndefined();
    expect(keys.add({ ...first }, 3)).toBe(1);
    expect(keys.sameAs({ ...first })).toBe(true);
    expect(keys.add({ ...first, name: 'ORAGNGE' }, 4)).toBe(1);
    expect(keys.sameAs({ ...first, name: 'ORAGNGE' })).toBe(false);
  });
});
