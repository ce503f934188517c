/**
 * Addendum B: the OPPS payment of every HCPCS code for one quarter (table `opps_addendum_b`).
 *
 * - Preamble rows (title, AMA notice, coverage disclaimer) have column A empty; the header is the
 *   row whose first cell is `HCPCS Code`, wherever it is (line 5 in 2025, 4 in the 2022 workbook).
 *   A preamble repeated after the header (as a re-post once did) is skipped, row for row; any other
 *   row without a code is an error.
 * - Header names carry stray spaces (`" SI"`, `"APC "`, `"IRA Coinsurance percentage "`); 2022
 *   has a column whose header is a note holding the year's inpatient deductible (`… Inpatient
 *   Deductible of $1,556.00`): its cells mark (`*`) copayments capped at that deductible, and the
 *   deductible itself is kept on every row.
 * - Amounts: `$73.19`, `$73.049`, `$1,137.991`; a rate of a single space is no rate (NULL);
 *   a national copayment of `.` is "no national copayment" (NULL, `national_copay_na`).
 * - The 508 csv is cp1252 with byte 0xFF standing for a non-breaking space (`A4341ÿ`).
 * - Workbooks store amounts as binary floats (69.224999999999994): the cell's formatted text
 *   (`$69.225`) is what is read, as for every workbook (src/parse/xlsx.ts). See the README.
 */
import type { Dataset, ParseContext } from '../../src/pipeline.js';
import { readTabular, type ColumnSpec, type RowReader, type TableContract } from '../../src/parse/tabular.js';
import { isBlankRow } from '../../src/parse/rows.js';
import { dollars, number, parseAmount, percent } from '../amounts.js';
import { withNbspByte } from '../nbsp-byte.js';
import { postingDateIn } from '../release-names.js';
import { STATUS_INDICATOR_CODES } from './codes.js';
import { addendumBDiff } from './diff.js';

const column = (field: string, label: string, header: RegExp): ColumnSpec => ({ field, label, header });

const DEDUCTIBLE_NOTE = /^NOTE: ACTUAL COPAYMENTS WOULD BE LOWER DUE TO THE CAP ON COPAYMENTS AT THE INPATIENT DEDUCTIBLE OF (\$[\d,]+(?:\.\d+)?)$/;

const COLUMNS: readonly ColumnSpec[] = [
  column('hcpcs', 'HCPCS Code', /^HCPCS CODE$/),
  column('short_description', 'Short Descriptor', /^SHORT DESCRIPTOR$/),
  column('status_indicator', 'SI', /^SI$/),
  column('apc', 'APC', /^APC$/),
  column('relative_weight', 'Relative Weight', /^RELATIVE WEIGHT$/),
  column('payment_rate', 'Payment Rate', /^PAYMENT RATE$/),
  column('national_copay', 'National Unadjusted Copayment', /^NATIONAL UNADJUSTED COPAYMENT$/),
  column('minimum_copay', 'Minimum Unadjusted Copayment', /^MINIMUM UNADJUSTED COPAYMENT$/),
  column('copay_capped', 'Note: … Inpatient Deductible of $…', DEDUCTIBLE_NOTE),
  column('ira_coinsurance_pct', 'IRA Coinsurance percentage', /^IRA COINSURANCE PERCENTAGE$/),
  column('adjusted_copay', 'Adjusted Beneficiary Copayment', /^ADJUSTED BENEFICIARY COPAYMENT$/),
  column(
    'pass_through_expires',
    'Drug and Device Pass-Through Expiration during Calendar Year',
    /^DRUG (AND DEVICE )?PASS-THROUGH EXPIRATION DURING CALENDAR YEAR$/,
  ),
  column('note', 'Note', /^NOTE$/),
  // normalizeHeader drops `*`: "* Indicates a Change" reads "INDICATES A CHANGE".
  column('changed', '* Indicates a Change', /^INDICATES A CHANGE$/),
];

const COMMON = ['hcpcs', 'short_description', 'status_indicator', 'apc', 'relative_weight', 'payment_rate', 'national_copay', 'minimum_copay'];

export const ADDENDUM_B_COLUMNS = [
  'hcpcs', 'short_description', 'status_indicator', 'apc', 'relative_weight', 'payment_rate',
  'national_copay', 'national_copay_na', 'minimum_copay', 'ira_coinsurance_pct', 'adjusted_copay',
  'copay_capped', 'inpatient_deductible', 'pass_through_expires', 'note', 'changed',
] as const;

function contract(): TableContract {
  // The preamble rows as read, so that a copy of them after the header is recognised (and only that).
  const preambleRows = new Set<string>();
  return {
    isHeaderRow: (cells) => cells[0]?.trim().toUpperCase() === 'HCPCS CODE',
    headerHint: '"HCPCS Code, Short Descriptor, SI, APC"',
    columns: COLUMNS,
    eras: [
      { name: '2022 (11 columns, copayment cap at the inpatient deductible)', fields: [...COMMON, 'copay_capped', 'pass_through_expires', 'changed'] },
      {
        name: '2025 (13 columns, IRA coinsurance)',
        fields: [...COMMON, 'ira_coinsurance_pct', 'adjusted_copay', 'pass_through_expires', 'note', 'changed'],
      },
    ],
    preamble(rows, ctx) {
      for (const row of rows) preambleRows.add(row.cells.map((cell) => cell.trim()).join('\u0000'));
      const posted = postingDateIn(ctx.file.stem);
      if (posted) ctx.fact('published_on', posted);
    },
    classify(row) {
      const code = row.raw('hcpcs');
      if (code !== '') return code.toUpperCase() === 'HCPCS CODE' ? 'skip' : 'data';
      // Only a row without a code can be blank or a repeated preamble row.
      if (isBlankRow(row.cells)) return 'skip';
      return preambleRows.has(row.cells.map((cell) => cell.trim()).join('\u0000')) ? 'skip' : 'data';
    },
    normalize: normalizeRow,
  };
}

function normalizeRow(row: RowReader) {
  const nationalCopay = row.raw('national_copay');
  return {
    hcpcs: code(row),
    short_description: row.text('short_description'),
    status_indicator: row.oneOf('status_indicator', STATUS_INDICATOR_CODES)!,
    apc: apc(row),
    relative_weight: number(row, 'relative_weight'),
    payment_rate: dollars(row, 'payment_rate'),
    national_copay: nationalCopay === '.' ? null : dollars(row, 'national_copay'),
    national_copay_na: nationalCopay === '.',
    minimum_copay: dollars(row, 'minimum_copay'),
    ira_coinsurance_pct: row.has('ira_coinsurance_pct') ? percent(row, 'ira_coinsurance_pct') : null,
    adjusted_copay: row.has('adjusted_copay') ? dollars(row, 'adjusted_copay') : null,
    copay_capped: row.has('copay_capped') ? row.flag('copay_capped', '*') : null,
    inpatient_deductible: row.has('copay_capped') ? deductible(row) : null,
    pass_through_expires: row.flag('pass_through_expires', '*'),
    note: row.has('note') ? row.text('note') : null,
    changed: row.flag('changed', '*'),
  };
}

function code(row: RowReader): string {
  const value = row.raw('hcpcs');
  if (/^\d{1,4}$/.test(value)) {
    row.fail('hcpcs', 'code lost its leading zeros (a spreadsheet stored it as a number)', 'a 5-character code such as 0001F');
  }
  return row.match('hcpcs', /^[A-Z0-9]{5}$/, 'a 5-character HCPCS code')!;
}

/** APCs are 4 digits (`0762`); fewer mean a workbook stored one as a number. */
function apc(row: RowReader): string | null {
  const value = row.raw('apc');
  if (/^\d{1,3}$/.test(value)) row.fail('apc', 'APC lost its leading zeros (a spreadsheet stored it as a number)', '4 digits such as 0762');
  return row.match('apc', /^\d{4}$/, '4 digits such as 0762, or blank', true);
}

function deductible(row: RowReader): string {
  const match = DEDUCTIBLE_NOTE.exec(row.header('copay_capped'));
  const value = match ? parseAmount(match[1]!) : null;
  if (value === null) row.fail('copay_capped', 'unreadable inpatient deductible in the header', 'a header ending "Inpatient Deductible of $1,556.00"');
  return value;
}

export const addendumB: Dataset = {
  name: 'addendum_b',
  table: 'opps_addendum_b',
  columns: ADDENDUM_B_COLUMNS,
  key: ['hcpcs'],
  members: { names: '*Addendum B*.csv / .xlsx', stem: /ADDENDUM[\s_-]*B(?![A-Z])/i, formats: ['csv', 'xlsx'] },
  // A zip with the 508 csv and the workbook: the csv is loaded, the workbook compared with it.
  crossCheck: { formats: ['xlsx'] },
  diff: addendumBDiff,
  // The short descriptor is the AMA's on CPT rows.
  licensedText: ['short_description'],
  read: (file, ctx: ParseContext) => readTabular(contract(), withNbspByte(file, 0xff), ctx),
};
