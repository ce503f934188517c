/**
 * The ASP pricing file: per HCPCS code, the quarter's Medicare Part B drug payment limit
 * (table `asp_payment_limit`).
 *
 * - 8 preamble rows (title, "Effective January 1, 2025 through March 31, 2025", notes), the
 *   header on line 9. The header's cell count drifts (12 in 2025, 13 in 2024 with empty cells at
 *   the end): empty header cells carry nothing, and a value under one is an error.
 * - `N/A` payment limits (A9606) are NULL with `payment_limit_na`, never 0.
 * - A note may hold a line break inside its quotes; the text is kept as written, NBSP (0xA0)
 *   included (`1 million\u00a0PFU`), only trimmed at the ends.
 * - The zip holds the same table as an .xls beside the 508 csv: the csv is loaded and the
 *   workbook compared with it.
 */
import type { Dataset, ParseContext } from '../../src/pipeline.js';
import { readTabular, type ColumnSpec, type RowReader, type TableContract } from '../../src/parse/tabular.js';
import { dollars, percent } from '../amounts.js';
import { postingDateIn } from '../release-names.js';
import { aspDiff } from './diff.js';

const column = (field: string, label: string, header: RegExp): ColumnSpec => ({ field, label, header });

const COLUMNS: readonly ColumnSpec[] = [
  column('hcpcs', 'HCPCS Code', /^HCPCS CODE$/),
  column('short_description', 'Short Description', /^SHORT DESCRIPTION$/),
  column('dosage', 'HCPCS Code Dosage', /^HCPCS CODE DOSAGE$/),
  column('payment_limit', 'Payment Limit', /^PAYMENT LIMIT$/),
  column('coinsurance_pct', 'Co-insurance Percentage', /^CO-?INSURANCE PERCENTAGE$/),
  column('vaccine_awp_pct', 'Vaccine AWP%', /^VACCINE AWP ?%$/),
  column('vaccine_limit', 'Vaccine Limit', /^VACCINE LIMIT$/),
  column('blood_awp_pct', 'Blood AWP%', /^BLOOD AWP ?%$/),
  column('blood_limit', 'Blood limit', /^BLOOD LIMIT$/),
  column('clotting_factor', 'Clotting Factor', /^CLOTTING FACTOR$/),
  column('notes', 'Notes', /^NOTES$/),
];

export const ASP_COLUMNS = [
  'hcpcs', 'short_description', 'dosage', 'payment_limit', 'payment_limit_na', 'coinsurance_pct',
  'vaccine_awp_pct', 'vaccine_limit', 'blood_awp_pct', 'blood_limit', 'clotting_factor', 'notes',
] as const;

const contract: TableContract = {
  isHeaderRow: (cells) => cells[0]?.trim().toUpperCase() === 'HCPCS CODE',
  headerHint: '"HCPCS Code, Short Description, HCPCS Code Dosage, Payment Limit"',
  columns: COLUMNS,
  eras: [{ name: 'ASP pricing file (2024-2025)', fields: COLUMNS.map((spec) => spec.field) }],
  preamble(_rows, ctx) {
    const posted = postingDateIn(ctx.file.stem);
    if (posted) ctx.fact('published_on', posted);
  },
  normalize: (row: RowReader) => {
    const limit = row.raw('payment_limit');
    return {
      hcpcs: row.match('hcpcs', /^[A-Z0-9]{5}$/, 'a 5-character HCPCS code')!,
      short_description: row.required('short_description', 'a description'),
      dosage: row.text('dosage'),
      payment_limit: limit.toUpperCase() === 'N/A' ? null : dollars(row, 'payment_limit', false),
      payment_limit_na: limit.toUpperCase() === 'N/A',
      coinsurance_pct: percent(row, 'coinsurance_pct'),
      vaccine_awp_pct: percent(row, 'vaccine_awp_pct'),
      vaccine_limit: dollars(row, 'vaccine_limit'),
      blood_awp_pct: percent(row, 'blood_awp_pct'),
      blood_limit: dollars(row, 'blood_limit'),
      clotting_factor: row.flag('clotting_factor', '1'),
      notes: row.text('notes'),
    };
  },
};

export const aspPaymentLimits: Dataset = {
  name: 'asp',
  table: 'asp_payment_limit',
  columns: ASP_COLUMNS,
  key: ['hcpcs'],
  members: { names: '*ASP Pricing File*.csv / .xls / .xlsx', stem: /ASP[\s_-]*PRICING[\s_-]*FILE|PAYMENT[\s_-]*LIMIT[\s_-]*FILE/i, formats: ['csv', 'xls', 'xlsx'] },
  crossCheck: { formats: ['xls', 'xlsx'] },
  diff: aspDiff,
  // The short description is the AMA's on CPT rows (vaccines, immune globulins).
  licensedText: ['short_description'],
  read: (file, ctx: ParseContext) => readTabular(contract, file, ctx),
};
