/**
 * What kind of code a HCPCS code is, and the category a code page files it under: CPT (Level I,
 * numeric; the AMA's) by section, HCPCS Level II (a letter and four digits, CMS's) by letter.
 *
 * CPT Category I sections follow the CPT book's code ranges, widened to whole blocks so that every
 * five-digit code falls in exactly one (Evaluation and Management, 99202–99499 in the book, sits
 * inside Medicine's range and is listed first here). Category II codes end in F, Category III in
 * T, Proprietary Laboratory Analyses in U, Multianalyte Assays with Algorithmic Analyses in M.
 * Editorial category entries (`category: cpt:surgery`, `hcpcs:A`) name these ids.
 */

export type CodeKind = 'CPT' | 'HCPCS Level II';

export interface CodeCategory {
  /** what editors write in the `category` field, and what cms.code_catalog shows */
  readonly id: string;
  readonly kind: CodeKind;
  readonly label: string;
  /** the codes of the category: a shape (a POSIX/JS regular expression), optionally a code range within it */
  readonly ranges: readonly CodeRange[];
}

export interface CodeRange {
  readonly pattern: string;
  readonly from?: string;
  readonly to?: string;
}

const CPT_NUMERIC = '^[0-9]{5}$';

const cpt = (id: string, label: string, ranges: CodeRange[]): CodeCategory => ({ id: `cpt:${id}`, kind: 'CPT', label, ranges });
const numeric = (from: string, to: string): CodeRange => ({ pattern: CPT_NUMERIC, from, to });

/** HCPCS Level II sections by first letter (the headings of CMS's Level II code set). */
const LEVEL_II_LETTERS: readonly [string, string][] = [
  ['A', 'Transportation services, medical and surgical supplies, administrative, miscellaneous and investigational'],
  ['B', 'Enteral and parenteral therapy'],
  ['C', 'Outpatient prospective payment system (temporary hospital outpatient codes)'],
  ['D', 'Dental procedures'],
  ['E', 'Durable medical equipment'],
  ['G', 'Procedures and professional services (temporary)'],
  ['H', 'Alcohol and drug abuse treatment and behavioral health services'],
  ['J', 'Drugs administered other than oral method, and chemotherapy drugs'],
  ['K', 'Temporary codes for durable medical equipment'],
  ['L', 'Orthotic and prosthetic procedures and devices'],
  ['M', 'Medical services and quality measures'],
  ['P', 'Pathology and laboratory services'],
  ['Q', 'Temporary codes'],
  ['R', 'Diagnostic radiology services'],
  ['S', 'Temporary national codes (non-Medicare)'],
  ['T', 'National codes established for state Medicaid agencies'],
  ['U', 'Coronavirus laboratory tests'],
  ['V', 'Vision, hearing and speech-language pathology services'],
];

/** Every category, in the order they are tried (the first match wins). */
export const CODE_CATEGORIES: readonly CodeCategory[] = [
  cpt('anesthesia', 'CPT Category I: Anesthesia', [numeric('00000', '09999')]),
  cpt('surgery', 'CPT Category I: Surgery', [numeric('10000', '69999')]),
  cpt('radiology', 'CPT Category I: Radiology', [numeric('70000', '79999')]),
  cpt('pathology-laboratory', 'CPT Category I: Pathology and Laboratory', [numeric('80000', '89999')]),
  cpt('evaluation-management', 'CPT Category I: Evaluation and Management', [numeric('99200', '99499')]),
  cpt('medicine', 'CPT Category I: Medicine', [numeric('90000', '99199'), numeric('99500', '99999')]),
  cpt('maaa', 'CPT Category I: Multianalyte Assays with Algorithmic Analyses', [{ pattern: '^[0-9]{4}M$' }]),
  cpt('category-ii', 'CPT Category II: performance measurement', [{ pattern: '^[0-9]{4}F$' }]),
  cpt('category-iii', 'CPT Category III: emerging technology', [{ pattern: '^[0-9]{4}T$' }]),
  cpt('pla', 'CPT Proprietary Laboratory Analyses (PLA)', [{ pattern: '^[0-9]{4}U$' }]),
  ...LEVEL_II_LETTERS.map(([letter, section]): CodeCategory => ({
    id: `hcpcs:${letter}`,
    kind: 'HCPCS Level II',
    label: `${letter} codes: ${section}`,
    ranges: [{ pattern: `^${letter}[0-9]{4}$` }],
  })),
];

/** The shape of a code: CPT (four digits and a digit, F, M, T or U) or Level II (an upper-case letter and four digits). */
export const CODE_SHAPE = /^(?:[0-9]{4}[0-9FMTU]|[A-Z][0-9]{4})$/;
export const CODE_SHAPE_EXPECTED = 'a CPT code (five digits, or four digits and F, M, T or U) or a HCPCS Level II code (an upper-case letter and four digits)';

const BY_ID = new Map(CODE_CATEGORIES.map((category) => [category.id, category]));

export function categoryById(id: string): CodeCategory | undefined {
  return BY_ID.get(id);
}

/** The category a code belongs to; undefined for a code of no known shape or letter. */
export function categoryOf(code: string): CodeCategory | undefined {
  return CODE_CATEGORIES.find((category) =>
    category.ranges.some(
      (range) =>
        new RegExp(range.pattern).test(code) &&
        (range.from === undefined || code >= range.from) &&
        (range.to === undefined || code <= range.to),
    ),
  );
}
