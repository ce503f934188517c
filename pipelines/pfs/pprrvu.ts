/**
 * PPRRVU: the relative value units and payment indicators of every code (table `pfs_rvu`).
 *
 * The csv opens with title, copyright and `RELEASED mm/dd/yyyy` rows, then a header stacked
 * over five rows (`NOT USED / FOR / MEDICARE / PAYMENT`). 2026 inserted PRIC IND after TEAM
 * SURG and split the file into nonQPP and QPP versions that differ only in PRIC IND and the
 * conversion factor: they load as one row carrying both factors.
 */
import type { Dataset, OutputRow, ParseContext } from '../../src/pipeline.js';
import { readTabular, type ColumnSpec, type RowReader, type TableContract } from '../../src/parse/tabular.js';
import { sumDecimals, sumsTo, usDateToIso } from '../../src/parse/values.js';
import {
  BILAT_SURG,
  GLOBAL_DAYS,
  IMAGING_FAMILY,
  MULT_PROC,
  PCTC_INDICATORS,
  PHYS_SUPERVISION,
  STATUS_CODES,
  SURGERY_INDICATORS,
} from './codes.js';
import { hcpcsCode, modifier } from './shapes.js';
import { pprrvuDiff } from './diff.js';

const column = (field: string, label: string, header: RegExp): ColumnSpec => ({ field, label, header });

const COLUMNS: readonly ColumnSpec[] = [
  column('hcpcs', 'HCPCS', /^HCPCS$/),
  column('modifier', 'MOD', /^MOD$/),
  column('description', 'DESCRIPTION', /^DESCRIPTION$/),
  column('status_code', 'STATUS CODE', /^STATUS CODE$/),
  column('not_used_for_medicare', 'NOT USED FOR MEDICARE PAYMENT', /^NOT USED FOR MEDICARE PAYMENT$/),
  column('work_rvu', 'WORK RVU', /^WORK RVU$/),
  column('nonfac_pe_rvu', 'NON-FAC PE RVU', /^NON-FAC(ILITY)? PE RVU$/),
  column('nonfac_na', 'NON-FAC NA INDICATOR', /^NON-FAC(ILITY)? NA INDICATOR$/),
  column('fac_pe_rvu', 'FACILITY PE RVU', /^FACILITY PE RVU$/),
  column('fac_na', 'FACILITY NA INDICATOR', /^FACILITY NA INDICATOR$/),
  column('mp_rvu', 'MP RVU', /^MP RVU$/),
  column('nonfac_total', 'NON-FACILITY TOTAL', /^NON-FAC(ILITY)? TOTAL$/),
  column('fac_total', 'FACILITY TOTAL', /^FACILITY TOTAL$/),
  column('pctc_ind', 'PCTC IND', /^PCTC IND(ICATOR)?$/),
  column('global_days', 'GLOB DAYS', /^GLOB(AL)? DAYS$/),
  column('pre_op', 'PRE OP', /^PRE OP$/),
  column('intra_op', 'INTRA OP', /^INTRA OP$/),
  column('post_op', 'POST OP', /^POST OP$/),
  column('mult_proc', 'MULT PROC', /^MULT PROC$/),
  column('bilat_surg', 'BILAT SURG', /^BILAT SURG$/),
  column('asst_surg', 'ASST SURG', /^ASST SURG$/),
  column('co_surg', 'CO- SURG', /^CO-? ?SURG$/),
  column('team_surg', 'TEAM SURG', /^TEAM SURG$/),
  column('pricing_ind', 'PRIC IND', /^PRIC IND$/),
  column('endo_base', 'ENDO BASE', /^ENDO BASE$/),
  column('conv_factor', 'CONV FACTOR', /^CONV FACTOR$/),
  column('phys_supervision', 'PHYSICIAN SUPERVISION OF DIAGNOSTIC PROCEDURES', /^PHYSICIAN SUPERVISION OF DIAGNOSTIC PROCEDURES$/),
  column('calc_flag', 'CALCULATION FLAG', /^CALCULATION FLAG$/),
  column('diag_imaging_family', 'DIAGNOSTIC IMAGING FAMILY INDICATOR', /^DIAGNOSTIC IMAGING FAMILY INDICATOR$/),
  column('nonfac_pe_opps', 'NON-FACILITY PE USED FOR OPPS PAYMENT AMOUNT', /^NON-FACILITY PE USED FOR OPPS PAYMENT AMOUNT$/),
  column('fac_pe_opps', 'FACILITY PE USED FOR OPPS PAYMENT AMOUNT', /^FACILITY PE USED FOR OPPS PAYMENT AMOUNT$/),
  column('mp_opps', 'MP USED FOR OPPS PAYMENT AMOUNT', /^MP USED FOR OPPS PAYMENT AMOUNT$/),
];

const FIELDS_2007_2025 = COLUMNS.map((spec) => spec.field).filter((field) => field !== 'pricing_ind');

const TABLE_COLUMNS = [
  'hcpcs', 'modifier', 'description', 'status_code', 'not_used_for_medicare',
  'work_rvu', 'nonfac_pe_rvu', 'nonfac_na', 'fac_pe_rvu', 'fac_na', 'mp_rvu', 'nonfac_total', 'fac_total',
  'pctc_ind', 'global_days', 'pre_op', 'intra_op', 'post_op',
  'mult_proc', 'bilat_surg', 'asst_surg', 'co_surg', 'team_surg', 'pricing_ind', 'endo_base',
  'conv_factor', 'conv_factor_qpp', 'phys_supervision', 'calc_flag', 'diag_imaging_family',
  'nonfac_pe_opps', 'fac_pe_opps', 'mp_opps',
] as const;

/** The QPP file (2026 on): the conversion factor for qualifying APM participants. */
const QPP_ROLE = 'qpp';

const contract: TableContract = {
  isHeaderRow: (cells) => cells[0]?.trim().toUpperCase() === 'HCPCS',
  headerHint: '"HCPCS, MOD, DESCRIPTION"',
  stackedRows: 4,
  columns: COLUMNS,
  eras: [
    { name: '2008-2025 (31 columns)', fields: FIELDS_2007_2025 },
    { name: '2026 (32 columns, PRIC IND)', fields: COLUMNS.map((spec) => spec.field) },
  ],
  sameInEveryRow: ['conv_factor'],
  preamble(rows, ctx) {
    for (const row of rows) {
      for (const cell of row.cells) {
        const match = /^RELEASED\s+(\S+)/i.exec(cell.trim());
        if (!match) continue;
        const date = usDateToIso(match[1]!);
        if (!date) ctx.warn(`unreadable release date "${cell.trim()}"`, { line: row.line });
        else ctx.fact('published_on', date);
      }
    }
  },
  normalize(row, ctx) {
    const work = row.decimal('work_rvu', true);
    const nonfacPe = row.decimal('nonfac_pe_rvu', true);
    const facPe = row.decimal('fac_pe_rvu', true);
    const mp = row.decimal('mp_rvu', true);
    const nonfacTotal = row.decimal('nonfac_total', true);
    const facTotal = row.decimal('fac_total', true);
    checkTotal(row, 'nonfac_total', work, nonfacPe, mp, nonfacTotal);
    checkTotal(row, 'fac_total', work, facPe, mp, facTotal);
    const conversionFactor = row.decimal('conv_factor');
    const values: OutputRow = {
      hcpcs: hcpcsCode(row),
      modifier: modifier(row),
      description: row.text('description'),
      status_code: row.oneOf('status_code', STATUS_CODES)!,
      not_used_for_medicare: row.flag('not_used_for_medicare', '+'),
      work_rvu: work,
      nonfac_pe_rvu: nonfacPe,
      fac_pe_rvu: facPe,
      mp_rvu: mp,
      nonfac_total: nonfacTotal,
      fac_total: facTotal,
      nonfac_na: row.flag('nonfac_na', 'NA'),
      fac_na: row.flag('fac_na', 'NA'),
      pctc_ind: row.oneOf('pctc_ind', PCTC_INDICATORS),
      global_days: row.oneOf('global_days', GLOBAL_DAYS),
      pre_op: row.decimal('pre_op', true),
      intra_op: row.decimal('intra_op', true),
      post_op: row.decimal('post_op', true),
      mult_proc: row.oneOf('mult_proc', MULT_PROC),
      bilat_surg: row.oneOf('bilat_surg', BILAT_SURG),
      asst_surg: row.oneOf('asst_surg', SURGERY_INDICATORS),
      co_surg: row.oneOf('co_surg', SURGERY_INDICATORS),
      team_surg: row.oneOf('team_surg', SURGERY_INDICATORS),
      pricing_ind: row.has('pricing_ind') ? row.match('pricing_ind', /^\d$/, 'one digit') : null,
      endo_base: row.match('endo_base', /^[A-Z0-9]{5}$/, 'a 5-character code or blank', true),
      conv_factor: ctx.role === QPP_ROLE ? null : conversionFactor,
      conv_factor_qpp: ctx.role === QPP_ROLE ? conversionFactor : null,
      phys_supervision: row.oneOf('phys_supervision', PHYS_SUPERVISION),
      calc_flag: row.match('calc_flag', /^\d$/, 'one digit'),
      diag_imaging_family: row.oneOf('diag_imaging_family', IMAGING_FAMILY),
      nonfac_pe_opps: row.decimal('nonfac_pe_opps', true),
      fac_pe_opps: row.decimal('fac_pe_opps', true),
      mp_opps: row.decimal('mp_opps', true),
    };
    return values;
  },
};

/** Each setting's total must equal work + PE + MP exactly (it does on every row CMS ships). */
function checkTotal(row: RowReader, field: string, work: string | null, pe: string | null, mp: string | null, total: string | null): void {
  if (total === null || work === null || pe === null || mp === null) return;
  if (!sumsTo(total, work, pe, mp)) {
    row.fail(field, 'total is not the sum of its parts', `${sumDecimals([work, pe, mp])} (work + PE + MP)`);
  }
}

export const pprrvu: Dataset = {
  name: 'pprrvu',
  table: 'pfs_rvu',
  columns: TABLE_COLUMNS,
  key: ['hcpcs', 'modifier'],
  members: {
    stem: /^PPRRVU/i,
    names: 'PPRRVU*.csv / .xlsx',
    formats: ['csv', 'xlsx'],
    role: (stem) => (/_QPP$/i.test(stem) ? QPP_ROLE : 'main'),
  },
  diff: pprrvuDiff,
  // DESCRIPTION is the AMA's short descriptor on CPT rows
  licensedText: ['description'],
  companion: { role: QPP_ROLE, take: ['conv_factor_qpp'], ignore: ['conv_factor', 'conv_factor_qpp', 'pricing_ind'] },
  read: (file, ctx: ParseContext) => readTabular(contract, file, ctx),
};
