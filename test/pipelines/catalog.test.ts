/**
 * The catalog's rules (pipelines/catalog/): what kind of code a code is, the category a code page
 * files it under (CPT by the CPT book's ranges, Level II by letter), and how a code page names the
 * releases its data came from. Codes are those of the fixtures (PPRRVU and ANWEB excerpts).
 */
import { describe, expect, it } from 'vitest';
import { CODE_CATEGORIES, CODE_SHAPE, CODE_SHAPE_EXPECTED, categoryById, categoryOf } from '../../pipelines/catalog/categories.js';
import { releaseTitle } from '../../pipelines/catalog/release-titles.js';

describe('categories of codes', () => {
  it.each([
    ['00100', 'cpt:anesthesia'],
    ['00000', 'cpt:anesthesia'],
    ['09999', 'cpt:anesthesia'],
    ['10000', 'cpt:surgery'],
    ['27447', 'cpt:surgery'],
    ['69999', 'cpt:surgery'],
    ['70000', 'cpt:radiology'],
    ['70496', 'cpt:radiology'],
    ['79999', 'cpt:radiology'],
    ['80000', 'cpt:pathology-laboratory'],
    ['80053', 'cpt:pathology-laboratory'],
    ['89999', 'cpt:pathology-laboratory'],
    ['90000', 'cpt:medicine'],
    ['93000', 'cpt:medicine'],
    ['99199', 'cpt:medicine'],
    ['99200', 'cpt:evaluation-management'],
    ['99213', 'cpt:evaluation-management'],
    ['99499', 'cpt:evaluation-management'],
    ['99500', 'cpt:medicine'],
    ['99999', 'cpt:medicine'],
    ['0002M', 'cpt:maaa'],
    ['0001F', 'cpt:category-ii'],
    ['0633T', 'cpt:category-iii'],
    ['0001U', 'cpt:pla'],
    ['A0021', 'hcpcs:A'],
    ['G0105', 'hcpcs:G'],
    ['J1961', 'hcpcs:J'],
    ['V5008', 'hcpcs:V'],
  ])('%s is %s', (code, id) => {
    expect(categoryOf(code)?.id).toBe(id);
  });

  it.each(['F1234', 'I1234', 'N1234', 'O1234', 'W1234', 'X1234', 'Y1234', 'Z1234', '1234', '123456', 'A002', 'A00211', 'a0021', '0001X', '001FF', '', ' 99213'])(
    '%j has no category',
    (code) => {
      expect(categoryOf(code)).toBeUndefined();
    },
  );

  it('each Level II letter has its category, labelled with the letter', () => {
    const letters = 'ABCDEGHJKLMPQRSTUV'.split('');
    for (const letter of letters) {
      const category = categoryOf(`${letter}1234`);
      expect(category).toMatchObject({ id: `hcpcs:${letter}`, kind: 'HCPCS Level II' });
      expect(category!.label).toMatch(new RegExp(`^${letter} codes: [A-Z][a-z]`));
    }
    expect(CODE_CATEGORIES.filter((category) => category.kind === 'HCPCS Level II')).toHaveLength(letters.length);
  });

  it('the CPT ids editors may write, each labelled CPT; every label its own; each found by its id', () => {
    const cpt = CODE_CATEGORIES.filter((category) => category.kind === 'CPT');
    expect(cpt.map((category) => category.id)).toEqual([
      'cpt:anesthesia', 'cpt:surgery', 'cpt:radiology', 'cpt:pathology-laboratory', 'cpt:evaluation-management', 'cpt:medicine',
      'cpt:maaa', 'cpt:category-ii', 'cpt:category-iii', 'cpt:pla',
    ]);
    for (const category of cpt) expect(category.label).toMatch(/^CPT (Category I{1,3}: |Proprietary )[A-Za-z]/);
    expect(new Set(CODE_CATEGORIES.map((category) => category.label)).size).toBe(CODE_CATEGORIES.length);
    for (const category of CODE_CATEGORIES) expect(categoryById(category.id)).toBe(category);
    expect(categoryById('cpt:dental')).toBeUndefined();
    expect(categoryById('hcpcs:F')).toBeUndefined();
  });

  it('the code shape: CPT (five digits, or four and F, M, T or U) and Level II (a capital and four digits)', () => {
    for (const code of ['99213', '0001F', '0002M', '0633T', '0001U', 'A0021', 'F1234']) expect(CODE_SHAPE.test(code)).toBe(true);
    for (const code of ['9921', '992130', '0001X', 'a0021', 'AA021', ' 99213', '99213 ']) expect(CODE_SHAPE.test(code)).toBe(false);
    expect(CODE_SHAPE_EXPECTED).toContain('five digits');
  });
});

describe('release titles', () => {
  it.each([
    ['pfs', 'RVU26A', 'CMS Physician Fee Schedule RVU26A'],
    ['hcpcs', 'HCPC2026_JAN', 'HCPCS 2026 January'],
    ['hcpcs', 'HCPC2025_APR', 'HCPCS 2025 April'],
    ['hcpcs', 'HCPC2025_JUL', 'HCPCS 2025 July'],
    ['hcpcs', 'HCPC2025_OCT', 'HCPCS 2025 October'],
    ['hcpcs', 'HCPC2025_MAY', 'HCPCS HCPC2025_MAY'],
    ['hcpcs', 'HCPC2025_OCT_v2', 'HCPCS HCPC2025_OCT_v2'],
    ['hcpcs', 'XHCPC2025_OCT', 'HCPCS XHCPC2025_OCT'],
    ['hcpcs', 'HCPC25_OCT', 'HCPCS HCPC25_OCT'],
    ['opps', 'OPPS2025_JUL', 'opps OPPS2025_JUL'],
  ])('%s %s is "%s"', (family, code, title) => {
    expect(releaseTitle(family, code)).toBe(title);
  });
});
