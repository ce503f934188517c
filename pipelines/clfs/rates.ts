/**
 * The Clinical Laboratory Fee Schedule: per code and modifier, the quarter's national limit rate
 * (table `clfs_rate`).
 *
 * - 4 preamble rows (3 in 2018-2022), the header `YEAR,HCPCS,MOD,EFF_DATE,INDICATOR,RATE,…`.
 * - Rates are zero-padded in most rows (`00010.56`) and not in others (`51.31`, the same file):
 *   both are exact decimals. Indicator `L` rows (locally priced) carry a rate of 0, kept as
 *   written; catalog and price speak of them in words.
 * - YEAR holds one value per file; EFF_DATE is `yyyymmdd`.
 * - SHORTDESC, LONGDESC and EXTENDED LONGDESC are AMA CPT text for CPT codes.
 * - The zip also ships the table as a `~`-delimited txt (`HDR~` lines, no long descriptors, see
 *   txt.ts) and an xlsx: the csv is loaded and the workbook compared with it; the txt is loaded
 *   only where there is no csv (its long descriptors are then NULL).
 */
import type { Dataset, ParseContext } from '../../src/pipeline.js';
import { readTabular, type ColumnSpec, type TableContract } from '../../src/parse/tabular.js';
import { CLFS_INDICATOR_CODES } from './codes.js';
import { TXT_FIELDS, clfsTxtRows } from './txt.js';
import { clfsDiff } from './diff.js';

const column = (field: string, label: string, header: RegExp): ColumnSpec => ({ field, label, header });

const COLUMNS: readonly ColumnSpec[] = [
  column('year', 'YEAR', /^YEAR$/),
  column('hcpcs', 'HCPCS', /^HCPCS$/),
  column('modifier', 'MOD', /^MOD$/),
  column('effective_date', 'EFF_DATE', /^EFF_DATE$/),
  column('indicator', 'INDICATOR', /^INDICATOR$/),
  column('rate', 'RATE', /^RATE$/),
  column('short_description', 'SHORTDESC', /^SHORTDESC$/),
  column('long_description', 'LONGDESC', /^LONGDESC$/),
  column('extended_long_description', 'EXTENDED LONGDESC', /^EXTENDED LONGDESC$/),
];

export const CLFS_COLUMNS = [
  'hcpcs', 'modifier', 'year', 'effective_date', 'indicator', 'rate',
  'short_description', 'long_description', 'extended_long_description',
] as const;

const contract: TableContract = {
  isHeaderRow: (cells) => cells[0]?.trim().toUpperCase() === 'YEAR' && cells[1]?.trim().toUpperCase() === 'HCPCS',
  headerHint: '"YEAR, HCPCS, MOD, EFF_DATE, INDICATOR, RATE"',
  columns: COLUMNS,
  eras: [{ name: 'CLFS (9 columns)', fields: COLUMNS.map((spec) => spec.field) }],
  sameInEveryRow: ['year'],
  normalize: (row) => {
    const date = row.compactDate('effective_date', 'yyyymmdd, such as 20250101');
    return {
      hcpcs: row.match('hcpcs', /^[A-Z0-9]{5}$/, 'a 5-character HCPCS code')!,
      modifier: row.match('modifier', /^[A-Z0-9]{2}$/, 'a 2-character modifier or blank', true) ?? '',
      year: row.match('year', /^20\d{2}$/, 'a 4-digit year')!,
      effective_date: date,
      indicator: row.oneOf('indicator', CLFS_INDICATOR_CODES)!,
      rate: row.decimal('rate')!,
      short_description: row.text('short_description'),
      long_description: row.text('long_description'),
      extended_long_description: row.text('extended_long_description'),
    };
  },
};

/** The txt: the same rows and checks, seven of the nine columns, its rows split on `~`. */
const txtContract: TableContract = {
  ...contract,
  headerHint: `"HDR~" lines, then records ${TXT_FIELDS.join('~')}`,
  eras: [{ name: 'CLFS txt (7 columns, no long descriptors)', fields: COLUMNS.filter((spec) => TXT_FIELDS.includes(spec.label as (typeof TXT_FIELDS)[number])).map((spec) => spec.field) }],
  rows: clfsTxtRows,
};

export const clfsRates: Dataset = {
  name: 'clfs',
  table: 'clfs_rate',
  columns: CLFS_COLUMNS,
  key: ['hcpcs', 'modifier'],
  // the csv first (the xlsx beside it is compared: crossCheck), then the xlsx, the txt (no long descriptors) last
  members: { names: 'CLFS<year>Q<n>*.csv / .txt / .xlsx', stem: /^CLFS[\s_-]*\d{4}[\s_-]*Q[1-4]/i, formats: ['csv', 'xlsx', 'txt'] },
  crossCheck: { formats: ['xlsx'] },
  diff: clfsDiff,
  // All three descriptors are the AMA's on CPT rows.
  licensedText: ['short_description', 'long_description', 'extended_long_description'],
  read: (file, ctx: ParseContext) => readTabular(file.format === 'txt' ? txtContract : contract, file, ctx),
};
