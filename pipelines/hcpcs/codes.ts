/**
 * HCPCS Level II code tables and value shapes (cms-formats.md §3). Every value outside a table
 * is an error that lists the allowed values: a new code from CMS should be added here
 * knowingly, not loaded blind.
 */

/** Record identifiers: first records and continuations of procedures and modifiers. */
export const RECID = {
  codeFirst: '3',
  codeContinuation: '4',
  modifierFirst: '7',
  modifierContinuation: '8',
} as const;

export const RECIDS: ReadonlySet<string> = new Set(Object.values(RECID));

export const ACTION_CODES: ReadonlyMap<string, string> = new Map([
  ['A', 'Add'],
  ['B', 'Administrative data and long description change'],
  ['C', 'Long description change'],
  ['D', 'Discontinue'],
  ['F', 'Administrative/coverage data change'],
  ['N', 'No maintenance'],
  ['P', 'Payment change'],
  ['R', 'Re-activate'],
  ['S', 'Short description change'],
  ['T', 'Miscellaneous (BETOS, TOS)'],
]);

export const COVERAGE_CODES: ReadonlyMap<string, string> = new Map([
  ['C', 'Carrier judgment'],
  ['D', 'Special coverage instructions'],
  ['I', 'Not payable by Medicare'],
  ['M', 'Non-covered'],
  ['S', 'Non-covered by statute'],
]);

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => String(from + i));

/** PRICE1-4. 12 and 40 were not in the 2020 file; 40 is in Oct 2025. */
export const PRICING_INDICATORS: ReadonlySet<string> = new Set([
  '00',
  '11',
  '12',
  '13',
  '21',
  '22',
  ...range(31, 40),
  '45',
  '46',
  ...range(51, 57),
  '99',
]);

/** MULT_PI: 9 and A in practice, C on two codes (2020, 2025); B-G are legacy values. */
export const MULT_PRICING_INDICATORS: ReadonlySet<string> = new Set(['9', 'A', 'B', 'C', 'D', 'E', 'F', 'G']);

/** ASC_GRP: `YY` marks an ASC-approved code; it is the only value in the 2020 and 2025 files. */
export const ASC_GROUPS: ReadonlySet<string> = new Set(['YY']);

export interface Shape {
  readonly pattern: RegExp;
  readonly expected: string;
}

export const SHAPES = {
  hcpcs: { pattern: /^[A-Z]\d{4}$/, expected: 'a letter and 4 digits (A0021)' },
  modifier: { pattern: /^[A-Z0-9]{2}$/, expected: '2 letters or digits (GA, 59)' },
  seqnum: { pattern: /^\d{4,5}$/, expected: 'a sequence number (00100 in txt, 0010 in xlsx)' },
  labCert: { pattern: /^\d{3}$/, expected: 'a 3-digit lab certification code' },
  xref: { pattern: /^[A-Z0-9]{2,5}$/, expected: 'a code or modifier (J0202, 99406, QM)' },
  procNote: { pattern: /^\d{4}$/, expected: 'a 4-digit procedure note number' },
  betos: { pattern: /^[A-Z]\d[A-Z]?$/, expected: 'a BETOS code (D1F, Z2)' },
  tos: { pattern: /^[0-9A-Z]$/, expected: 'a one-character type of service' },
  anesBaseUnits: { pattern: /^\d{1,3}$/, expected: 'a whole number of base units' },
} as const satisfies Record<string, Shape>;
