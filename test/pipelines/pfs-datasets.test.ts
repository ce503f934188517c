/**
 * The PFS readers (pipelines/pfs/*.ts) on small csv files written as CMS writes them: the real
 * preamble and header lines of the fixtures, with data rows edited one rule at a time. Each rule
 * is broken on its own and the error names the one problem, column and value; the values that
 * load are checked column by column. No database.
 */
import { describe, expect, it } from 'vitest';
import { anes } from '../../pipelines/pfs/anes.js';
import { gpci } from '../../pipelines/pfs/gpci.js';
import { locco } from '../../pipelines/pfs/locco.js';
import { oppscap } from '../../pipelines/pfs/oppscap.js';
import { pprrvu } from '../../pipelines/pfs/pprrvu.js';
import type { Dataset, ParseContext, ReleaseFacts } from '../../src/pipeline.js';
import { memberFromBytes } from '../hcpcs/support.js';
import { inputErrorOf } from './pfs-support.js';

interface Read {
  rows: Record<string, unknown>[];
  lines: number[];
  warnings: { message: string; line: number | undefined }[];
  facts: ReleaseFacts;
}

/** Read `text` (latin1) as the member `name` through a dataset, as the importer would. */
async function read(dataset: Dataset, name: string, text: string, role = 'main'): Promise<Read> {
  const file = memberFromBytes(name, Buffer.from(text, 'latin1'));
  const result: Read = { rows: [], lines: [], warnings: [], facts: {} };
  const ctx: ParseContext = {
    file,
    role,
    warn: (message, where) => void result.warnings.push({ message, line: where?.line }),
    fact: (fact, value) => {
      result.facts[fact] = value;
    },
  };
  for await (const row of dataset.read(file, ctx)) {
    result.rows.push(row.values);
    result.lines.push(row.line);
  }
  return result;
}

const fail = (dataset: Dataset, name: string, text: string, role?: string) => inputErrorOf(read(dataset, name, text, role));

// ---------------------------------------------------------------------------------------------
// PPRRVU: the 2024 preamble and stacked header (PPRRVU24_APR.csv lines 1-10), 31 columns.

const PPRRVU_2024_TOP = [
  ',,2024 National Physician Fee Schedule Relative Value File April Release,,,,,,,,,,,,,,,,,,,,,,,,,,,,',
  ',,CPT codes and descriptions only are copyright 2023 American Medical Association.  All Rights Reserved.  Applicable FARS/DFARS Apply. ,,,,,,,,,,,,,,,,,,,,,,,,,,,,',
  ',,Dental codes (D codes) are copyright 2024/25 American Dental Association.  All Rights Reserved.,,,,,,,,,,,,,,,,,,,,,,,,,,,,',
  ',, ,,,,,,,,,,,,,,,,,,,,,,,,,,,,',
  ',,RELEASED 03/15/2024,,,,,,,,,,,,,,,,,,,,,,,,,,,,',
  ',, , ,,,,,,,,,,,,,,,,,,,,,,,,,NON-FACILITY,FACILITY,',
  ',,,,NOT USED,,,,,,,,,,,,,,,,,,,,,PHYSICIAN,,DIAGNOSTIC,PE USED,PE USED,MP USED',
  ',,,,FOR,,,NON-FAC,,FACILITY ,,,,,,,,,,,,,,,,SUPERVISION OF,,IMAGING,FOR OPPS,FOR OPPS,FOR OPPS',
  ',,,STATUS,MEDICARE ,WORK,NON-FAC,NA,FACILITY,NA,MP,NON-FACILITY,FACILITY,PCTC,GLOB,PRE,INTRA,POST,MULT,BILAT,ASST,CO-,TEAM,ENDO,CONV,DIAGNOSTIC,CALCULATION,FAMILY,PAYMENT,PAYMENT,PAYMENT',
  'HCPCS,MOD,DESCRIPTION,CODE,PAYMENT,RVU,PE RVU,INDICATOR,PE RVU,INDICATOR,RVU,TOTAL,TOTAL,IND,DAYS,OP,OP,OP,PROC,SURG,SURG,SURG,SURG,BASE,FACTOR,PROCEDURES,FLAG,INDICATOR,AMOUNT,AMOUNT,AMOUNT',
];

const RVU_FIELDS = [
  'hcpcs', 'modifier', 'description', 'status_code', 'not_used_for_medicare', 'work_rvu', 'nonfac_pe_rvu', 'nonfac_na', 'fac_pe_rvu', 'fac_na',
  'mp_rvu', 'nonfac_total', 'fac_total', 'pctc_ind', 'global_days', 'pre_op', 'intra_op', 'post_op', 'mult_proc', 'bilat_surg', 'asst_surg',
  'co_surg', 'team_surg', 'endo_base', 'conv_factor', 'phys_supervision', 'calc_flag', 'diag_imaging_family', 'nonfac_pe_opps', 'fac_pe_opps', 'mp_opps',
] as const;
type RvuField = (typeof RVU_FIELDS)[number];

// 27447 in PPRRVU24_APR.csv, with the OPPS PE columns told apart:
// 27447,,CPT descriptor withheld 27447,A,,19.60,14.96,NA,14.96,,4.01,38.57,38.57,0,090,0.10,0.69,0.21,2,1,2,1,0,,33.2875,09,0,99,0.00,0.00,0.00
const BASE: Record<RvuField, string> = {
  hcpcs: '27447', modifier: '', description: 'CPT descriptor withheld 27447', status_code: 'A', not_used_for_medicare: '',
  work_rvu: '19.60', nonfac_pe_rvu: '14.96', nonfac_na: 'NA', fac_pe_rvu: '14.95', fac_na: '', mp_rvu: '4.01',
  nonfac_total: '38.57', fac_total: '38.56', pctc_ind: '0', global_days: '090', pre_op: '0.10', intra_op: '0.69', post_op: '0.21',
  mult_proc: '2', bilat_surg: '1', asst_surg: '2', co_surg: '1', team_surg: '0', endo_base: '', conv_factor: '33.2875',
  phys_supervision: '09', calc_flag: '0', diag_imaging_family: '99', nonfac_pe_opps: '1.10', fac_pe_opps: '2.20', mp_opps: '3.30',
};

const rvuLine = (changes: Partial<Record<RvuField, string>> = {}) => RVU_FIELDS.map((field) => changes[field] ?? BASE[field]).join(',');
const pprrvuCsv = (...rows: Partial<Record<RvuField, string>>[]) => [...PPRRVU_2024_TOP, ...rows.map(rvuLine)].join('\r\n') + '\r\n';

describe('PPRRVU rows', () => {
  it('every column of a row, as written (facility and non-facility told apart)', async () => {
    const { rows, lines, facts, warnings } = await read(pprrvu, 'PPRRVU24_APR.csv', pprrvuCsv({}, { hcpcs: 'G0105', modifier: '53', not_used_for_medicare: '+', nonfac_na: '', fac_na: 'NA', endo_base: '45378' }));
    expect(lines).toEqual([11, 12]);
    expect(facts).toEqual({ published_on: '2024-03-15' });
    expect(warnings).toEqual([]);
    expect(rows[0]).toEqual({
      hcpcs: '27447', modifier: '', description: 'CPT descriptor withheld 27447', status_code: 'A', not_used_for_medicare: false,
      work_rvu: '19.60', nonfac_pe_rvu: '14.96', fac_pe_rvu: '14.95', mp_rvu: '4.01', nonfac_total: '38.57', fac_total: '38.56',
      nonfac_na: true, fac_na: false, pctc_ind: '0', global_days: '090', pre_op: '0.10', intra_op: '0.69', post_op: '0.21',
      mult_proc: '2', bilat_surg: '1', asst_surg: '2', co_surg: '1', team_surg: '0', pricing_ind: null, endo_base: null,
      conv_factor: '33.2875', conv_factor_qpp: null, phys_supervision: '09', calc_flag: '0', diag_imaging_family: '99',
      nonfac_pe_opps: '1.10', fac_pe_opps: '2.20', mp_opps: '3.30',
    });
    expect(rows[1]).toMatchObject({ hcpcs: 'G0105', modifier: '53', not_used_for_medicare: true, nonfac_na: false, fac_na: true, endo_base: '45378' });
  });

  it('the QPP file carries its factor as conv_factor_qpp', async () => {
    const { rows } = await read(pprrvu, 'PPRRVU24_APR.csv', pprrvuCsv({}), 'qpp');
    expect(rows[0]).toMatchObject({ conv_factor: null, conv_factor_qpp: '33.2875' });
  });

  it.each([
    ['nonfac_total', '38.58', 'NON-FACILITY TOTAL', '38.57 (work + PE + MP)'],
    ['fac_total', '38.57', 'FACILITY TOTAL', '38.56 (work + PE + MP)'],
  ] as const)('a %s that is not work + PE + MP fails, naming the total', async (field, value, column, expected) => {
    const error = await fail(pprrvu, 'PPRRVU24_APR.csv', pprrvuCsv({}, { [field]: value }));
    expect([error.problem, error.line, error.column, error.value, error.expected]).toEqual(['total is not the sum of its parts', 12, column, value, expected]);
  });

  it('a total is checked only when it and all its parts are given', async () => {
    const { rows } = await read(
      pprrvu,
      'PPRRVU24_APR.csv',
      pprrvuCsv(
        { hcpcs: '00001', work_rvu: '', nonfac_total: '1.00', fac_total: '2.00' },
        { hcpcs: '00002', mp_rvu: '', nonfac_total: '1.00', fac_total: '2.00' },
        { hcpcs: '00003', nonfac_pe_rvu: '', nonfac_total: '1.00' },
        { hcpcs: '00004', fac_pe_rvu: '', fac_total: '2.00' },
        { hcpcs: '00005', nonfac_total: '', fac_total: '' },
      ),
    );
    expect(rows.map((row) => [row.hcpcs, row.work_rvu, row.nonfac_pe_rvu, row.fac_pe_rvu, row.mp_rvu, row.nonfac_total, row.fac_total])).toEqual([
      ['00001', null, '14.96', '14.95', '4.01', '1.00', '2.00'],
      ['00002', '19.60', '14.96', '14.95', null, '1.00', '2.00'],
      ['00003', '19.60', null, '14.95', '4.01', '1.00', '38.56'],
      ['00004', '19.60', '14.96', null, '4.01', '38.57', '2.00'],
      ['00005', '19.60', '14.96', '14.95', '4.01', null, null],
    ]);
    // …and a blank facility PE leaves the non-facility total checked
    const error = await fail(pprrvu, 'PPRRVU24_APR.csv', pprrvuCsv({ fac_pe_rvu: '', nonfac_total: '1.00' }));
    expect([error.problem, error.column]).toEqual(['total is not the sum of its parts', 'NON-FACILITY TOTAL']);
  });

  it('blank RVUs, op shares and OPPS values are NULL', async () => {
    const blanks = { pre_op: '', intra_op: '', post_op: '', nonfac_pe_opps: '', fac_pe_opps: '', mp_opps: '', work_rvu: '', nonfac_pe_rvu: '', fac_pe_rvu: '', mp_rvu: '', nonfac_total: '', fac_total: '' };
    const { rows } = await read(pprrvu, 'PPRRVU24_APR.csv', pprrvuCsv(blanks));
    for (const field of Object.keys(blanks)) expect(rows[0]![field]).toBeNull();
  });

  it.each([
    ['pricing is not in the 2024 layout: the conversion factor must be one value per file', { conv_factor: '33.2876' }, 'CONV FACTOR', 'a second value in one file', '33.2875, as on line 11: one value per file'],
    ['a conversion factor blank after the first row is missing, not a second value', { conv_factor: '' }, 'CONV FACTOR', 'missing value', '33.2875, as on line 11: one value per file'],
    ['calculation flag of two digits', { calc_flag: '10' }, 'CALCULATION FLAG', 'unexpected value', 'one digit'],
    ['calculation flag blank', { calc_flag: '' }, 'CALCULATION FLAG', 'missing value', 'one digit'],
    ['endoscopic base of 4 characters', { endo_base: '4537' }, 'ENDO BASE', 'unexpected value', 'a 5-character code or blank'],
    ['endoscopic base of 6 characters', { endo_base: '453780' }, 'ENDO BASE', 'unexpected value', 'a 5-character code or blank'],
    ['endoscopic base in lower case', { endo_base: 'g0105' }, 'ENDO BASE', 'unexpected value', 'a 5-character code or blank'],
    ['NOT USED flag other than +', { not_used_for_medicare: 'X' }, 'NOT USED FOR MEDICARE PAYMENT', 'unexpected flag', '"+" or blank'],
    ['NA flag other than NA', { fac_na: 'N' }, 'FACILITY NA INDICATOR', 'unexpected flag', '"NA" or blank'],
    ['unknown status', { status_code: 'K' }, 'STATUS CODE', 'unknown code', 'one of A, B, C, D, E, F, G, H, I, J, M, N, P, R, T, X'],
    ['blank status', { status_code: '' }, 'STATUS CODE', 'missing value', 'one of A, B, C, D, E, F, G, H, I, J, M, N, P, R, T, X'],
    ['description blank is allowed', { description: '' }, null, null, null],
    ['a work RVU that is not a number', { work_rvu: '1.2.3' }, 'WORK RVU', 'not a number', 'a decimal number'],
  ] as const)('%s', async (_, change, column, problem, expected) => {
    const text = pprrvuCsv({}, change);
    if (column === null) {
      const { rows } = await read(pprrvu, 'PPRRVU24_APR.csv', text);
      expect(rows[1]!.description).toBeNull();
      return;
    }
    const error = await fail(pprrvu, 'PPRRVU24_APR.csv', text);
    expect([error.problem, error.line, error.column, error.expected]).toEqual([problem, 12, column, expected]);
  });

  it('every documented code of each indicator loads as written (RVU25D.pdf)', async () => {
    const tables: Partial<Record<RvuField, string[]>> = {
      status_code: ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I', 'J', 'M', 'N', 'P', 'R', 'T', 'X'],
      pctc_ind: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
      global_days: ['000', '010', '090', 'MMM', 'XXX', 'YYY', 'ZZZ'],
      mult_proc: ['0', '1', '2', '3', '4', '5', '6', '7', '9'],
      bilat_surg: ['0', '1', '2', '3', '9'],
      asst_surg: ['0', '1', '2', '9'],
      co_surg: ['9', '2', '1', '0'],
      team_surg: ['2', '9', '0', '1'],
      phys_supervision: ['01', '02', '03', '04', '05', '06', '09', '21', '22', '66', '6A', '77', '7A'],
      diag_imaging_family: ['01', '02', '03', '04', '05', '06', '07', '08', '09', '10', '11', '88', '99'],
    };
    const rows = Array.from({ length: 16 }, (_, i) => ({
      hcpcs: `G${String(1000 + i)}`,
      ...Object.fromEntries(Object.entries(tables).map(([field, codes]) => [field, codes[i % codes.length]!])),
    }));
    const loaded = await read(pprrvu, 'PPRRVU24_APR.csv', pprrvuCsv(...rows));
    for (const [field, codes] of Object.entries(tables)) {
      expect(new Set(loaded.rows.map((row) => row[field]))).toEqual(new Set(codes));
    }
    for (const [field, wrong] of [['pctc_ind', 'A'], ['global_days', '020'], ['mult_proc', '8'], ['bilat_surg', '4'], ['asst_surg', '3'], ['co_surg', '3'], ['team_surg', '3'], ['phys_supervision', '6B'], ['diag_imaging_family', '12']] as const) {
      const error = await fail(pprrvu, 'PPRRVU24_APR.csv', pprrvuCsv({ [field]: wrong }));
      expect([error.problem, error.value]).toEqual(['unknown code', wrong]);
    }
  });

  it('an unreadable RELEASED date is a warning on its line, and no publication date', async () => {
    const text = pprrvuCsv({}).replace('RELEASED 03/15/2024', 'RELEASED 15/03/2024');
    const { facts, warnings } = await read(pprrvu, 'PPRRVU24_APR.csv', text);
    expect(facts).toEqual({});
    expect(warnings).toEqual([{ message: 'unreadable release date "RELEASED 15/03/2024"', line: 5 }]);
  });

  it('reads "released" in any case, with any spacing', async () => {
    const { facts } = await read(pprrvu, 'PPRRVU24_APR.csv', pprrvuCsv({}).replace('RELEASED 03/15/2024', 'Released   03/15/2024'));
    expect(facts).toEqual({ published_on: '2024-03-15' });
  });

  it('codes and modifiers: lost leading zeros, lower case and wrong lengths are named as such', async () => {
    const cases = [
      [{ hcpcs: '100' }, 'HCPCS', 'code lost its leading zeros (a spreadsheet stored it as a number)', 'a 5-character code such as 00100 or 0001F'],
      [{ hcpcs: '1' }, 'HCPCS', 'code lost its leading zeros (a spreadsheet stored it as a number)', 'a 5-character code such as 00100 or 0001F'],
      [{ hcpcs: '9921' }, 'HCPCS', 'code lost its leading zeros (a spreadsheet stored it as a number)', 'a 5-character code such as 00100 or 0001F'],
      [{ hcpcs: '992130' }, 'HCPCS', 'unexpected value', 'a 5-character HCPCS code'],
      [{ hcpcs: 'g0105' }, 'HCPCS', 'unexpected value', 'a 5-character HCPCS code'],
      [{ hcpcs: '' }, 'HCPCS', 'missing value', 'a 5-character HCPCS code'],
      [{ modifier: 'tc' }, 'MOD', '`tc`: modifiers are upper case', '`TC`'],
      [{ modifier: 'Tc' }, 'MOD', '`Tc`: modifiers are upper case', '`TC`'],
      [{ modifier: 'T' }, 'MOD', 'unexpected value', 'a 2-character modifier or blank'],
      [{ modifier: 'TCC' }, 'MOD', 'unexpected value', 'a 2-character modifier or blank'],
      [{ modifier: 'tcc' }, 'MOD', 'unexpected value', 'a 2-character modifier or blank'],
      [{ modifier: 't-' }, 'MOD', 'unexpected value', 'a 2-character modifier or blank'],
    ] as const;
    for (const [change, column, problem, expected] of cases) {
      const error = await fail(pprrvu, 'PPRRVU24_APR.csv', pprrvuCsv(change));
      expect([error.column, error.problem, error.expected]).toEqual([column, problem, expected]);
    }
    const { rows } = await read(pprrvu, 'PPRRVU24_APR.csv', pprrvuCsv({ hcpcs: '0001F', modifier: '26' }, { hcpcs: 'A0021', modifier: 'QW' }));
    expect(rows.map((row) => [row.hcpcs, row.modifier])).toEqual([['0001F', '26'], ['A0021', 'QW']]);
  });

  it('the member rule: PPRRVU files, the QPP one in its own role', () => {
    const { stem, role, formats } = pprrvu.members;
    expect(['PPRRVU24_APR', 'pprrvu2025_oct', 'PPRRVU2026_Jul_QPP'].every((name) => stem.test(name))).toBe(true);
    expect(['RVU24B_PPRRVU', 'GPCI2024'].some((name) => stem.test(name))).toBe(false);
    expect(['PPRRVU2026_Jul_QPP', 'pprrvu2026_jul_qpp', 'PPRRVU2026_Jul_nonQPP', 'PPRRVU2026_Jul_QPP_v2', 'PPRRVU24_APR'].map((name) => role!(name))).toEqual([
      'qpp', 'qpp', 'main', 'main', 'main',
    ]);
    expect(formats).toContain('xlsx');
    // the QPP file is read as the companion of the main one: the role its member rule gives it
    expect(pprrvu.companion?.role).toBe(role!('PPRRVU2026_Jul_QPP'));
  });
});

// ---------------------------------------------------------------------------------------------
// GPCI (GPCI2024.csv and the 2026 Q1 header of rvu26a/GPCI2026.csv)

const GPCI_2024 = [
  'ADDENDUM E. FINAL CY 2024 GEOGRAPHIC PRACTICE COST INDICES (GPCIs) BY STATE AND MEDICARE LOCALITY,,,,,,',
  ',,,,,,',
  'Medicare Administrative Contractor (MAC),State,Locality Number,Locality Name,2024 PW GPCI (with 1.0 Floor),2024 PE GPCI,2024 MP GPCI',
];
const gpciCsv = (...lines: string[]) => [...GPCI_2024, ...lines].join('\r\n') + '\r\n';

describe('GPCI rows', () => {
  it('every column, with MAC and locality re-padded and footnote marks dropped; blank rows skipped, notes end the table', async () => {
    const { rows, lines } = await read(gpci, 'GPCI2024.csv', gpciCsv('10112,AL,00,ALABAMA,1.000,0.869,0.575', ',,,,,,', '2102,AK,1,ALASKA*,1.500,1.081,0.592', ' 1112 ,CA, 5 ,SAN FRANCISCO**,1.077,1.360,0.584', '"Note: The 1.0 Work GPCI floor",,,,,,', ',,,,,,'));
    expect(lines).toEqual([4, 6, 7]);
    expect(rows).toEqual([
      { mac: '10112', state: 'AL', locality: '00', locality_name: 'ALABAMA', pw_gpci: '1.000', pw_gpci_no_floor: null, pe_gpci: '0.869', mp_gpci: '0.575' },
      { mac: '02102', state: 'AK', locality: '01', locality_name: 'ALASKA', pw_gpci: '1.500', pw_gpci_no_floor: null, pe_gpci: '1.081', mp_gpci: '0.592' },
      { mac: '01112', state: 'CA', locality: '05', locality_name: 'SAN FRANCISCO', pw_gpci: '1.077', pw_gpci_no_floor: null, pe_gpci: '1.360', mp_gpci: '0.584' },
    ]);
  });

  it('a data row after the notes fails', async () => {
    const error = await fail(gpci, 'GPCI2024.csv', gpciCsv('10112,AL,00,ALABAMA,1.000,0.869,0.575', 'Note: x,,,,,,', '2102,AK,1,ALASKA*,1.500,1.081,0.592'));
    expect([error.problem, error.line]).toEqual(['a data row after the end of the table (the notes start on line 5)', 6]);
  });

  it('the 2026 Q1 layout: the work GPCI with and without the floor, told apart', async () => {
    const text = [
      'ADDENDUM E. FINAL CY 2026 GEOGRAPHIC PRACTICE COST INDICES (GPCIs) BY STATE AND MEDICARE LOCALITY,,,,,,,',
      ',,,,,,,',
      'Medicare Administrative Contractor (MAC),State,Locality Number,Locality Name,2026 PW GPCI (without 1.0 Floor),2026 PW GPCI (with 1.0 Floor),2026 PE GPCI,2026 MP GPCI',
      '10112,AL,00,ALABAMA,0.962,1.000,0.869,0.575',
    ].join('\r\n');
    const { rows } = await read(gpci, 'GPCI2026.csv', text);
    expect(rows).toEqual([{ mac: '10112', state: 'AL', locality: '00', locality_name: 'ALABAMA', pw_gpci: '1.000', pw_gpci_no_floor: '0.962', pe_gpci: '0.869', mp_gpci: '0.575' }]);
  });

  it('headers without the year, the floor note or "(MAC)", and CMS\'s "Adminstrative"', async () => {
    const text = ['Medicare Adminstrative Contractor,State,Locality Number,Locality Name,PW GPCI,PE GPCI,MP GPCI', '10112,AL,00,ALABAMA,1.000,0.869,0.575'].join('\r\n');
    expect((await read(gpci, 'GPCI2024.csv', text)).rows[0]).toMatchObject({ mac: '10112', pw_gpci: '1.000', pe_gpci: '0.869', mp_gpci: '0.575' });
  });

  it.each([
    ['a state of three letters', '10112,ALA,00,ALABAMA,1.000,0.869,0.575', 'STATE', 'unexpected value', 'a 2-letter state code'],
    ['a state in lower case', '10112,al,00,ALABAMA,1.000,0.869,0.575', 'STATE', 'unexpected value', 'a 2-letter state code'],
    ['a MAC of six digits', '101120,AL,00,ALABAMA,1.000,0.869,0.575', 'MEDICARE ADMINISTRATIVE CONTRACTOR (MAC)', 'not a contractor number', '5 digits, such as 01112'],
    ['a locality of three digits', '10112,AL,100,ALABAMA,1.000,0.869,0.575', 'LOCALITY NUMBER', 'not a locality number', '2 digits, such as 01'],
    ['a name that is only footnote marks', '10112,AL,00,**,1.000,0.869,0.575', 'LOCALITY NAME', 'missing name', 'a name'],
    ['a PE GPCI that is not a number', '10112,AL,00,ALABAMA,1.000,n/a,0.575', '2024 PE GPCI', 'not a number', 'a decimal number'],
    ['a blank MP GPCI', '10112,AL,00,ALABAMA,1.000,0.869,', '2024 MP GPCI', 'missing number', 'a decimal number'],
    ['a blank PW GPCI', '10112,AL,00,ALABAMA,,0.869,0.575', '2024 PW GPCI (WITH 1.0 FLOOR)', 'missing number', 'a decimal number'],
  ])('%s fails', async (_, line, column, problem, expected) => {
    const error = await fail(gpci, 'GPCI2024.csv', gpciCsv(line));
    expect([error.line, error.column, error.problem, error.expected]).toEqual([4, column, problem, expected]);
  });

  it('member rule and key', () => {
    expect(['GPCI2024', 'gpci2026'].every((name) => gpci.members.stem.test(name))).toBe(true);
    expect(['GPCI', 'XGPCI2024', 'GPCI24'].some((name) => gpci.members.stem.test(name))).toBe(false);
    expect(gpci.key).toEqual(['state', 'locality']);
  });
});

// ---------------------------------------------------------------------------------------------
// LOCCO (25LOCCO.csv)

const LOCCO_TOP = [
  'COUNTIES INCLUDED IN 2025 LOCALITIES. (ALPHABETICALLY BY STATE AND LOCALITY NAME WITHIN STATE),,,,',
  ',,,,',
  'Medicare Adminstrative Contractor,Locality Number,State ,Fee Schedule Area ,Counties',
  ',,,,',
];
const loccoCsv = (...lines: string[]) => [...LOCCO_TOP, ...lines].join('\r\n') + '\r\n';

describe('LOCCO rows', () => {
  it('forward-fills the state, re-pads numbers, keeps the counties; the footnote ends the table', async () => {
    const { rows } = await read(
      locco,
      '25LOCCO.csv',
      loccoCsv(
        '1112,5,CALIFORNIA ,SAN FRANCISCO ,SAN FRANCISCO ',
        '1112,54,,BAKERSFIELD* ,KERN ',
        ',,,,',
        '2102,1,ALASKA ,STATEWIDE ,ALL COUNTIES ',
        ',,,,',
        '*  Payment locality is serviced by two carriers.,,,,',
      ),
    );
    expect(rows).toEqual([
      { mac: '01112', locality: '05', state: 'CALIFORNIA', fee_schedule_area: 'SAN FRANCISCO', counties: 'SAN FRANCISCO' },
      { mac: '01112', locality: '54', state: 'CALIFORNIA', fee_schedule_area: 'BAKERSFIELD', counties: 'KERN' },
      { mac: '02102', locality: '01', state: 'ALASKA', fee_schedule_area: 'STATEWIDE', counties: 'ALL COUNTIES' },
    ]);
  });

  it('a first row without a state fails, in every file (the state of another file is not carried over)', async () => {
    await read(locco, '25LOCCO.csv', loccoCsv('10112,0,ALABAMA ,STATEWIDE ,ALL COUNTIES '));
    const error = await fail(locco, '25LOCCO.csv', loccoCsv('10112,0,,STATEWIDE ,ALL COUNTIES '));
    expect([error.line, error.column, error.problem, error.expected]).toEqual([5, 'STATE', 'no state on this row or above it', 'a state name']);
  });

  it('blank counties fail', async () => {
    const error = await fail(locco, '25LOCCO.csv', loccoCsv('10112,0,ALABAMA ,STATEWIDE , '));
    expect([error.column, error.problem, error.expected]).toEqual(['COUNTIES', 'missing value', 'the counties of the locality']);
  });

  it('the header needs both the locality number and the counties', async () => {
    const error = await fail(locco, '25LOCCO.csv', ['Medicare Adminstrative Contractor,Locality Number,State ,Fee Schedule Area ,Areas', '10112,0,ALABAMA ,STATEWIDE ,ALL'].join('\r\n'));
    expect(error.problem).toBe('header row not found in the first 40 rows');
    const other = await fail(locco, '25LOCCO.csv', ['Medicare Adminstrative Contractor,Locality,State ,Fee Schedule Area ,Counties', '10112,0,ALABAMA ,STATEWIDE ,ALL'].join('\r\n'));
    expect(other.problem).toBe('header row not found in the first 40 rows');
  });

  it('member rule, key, identical rows collapse', () => {
    expect(['25LOCCO', '26locco'].every((name) => locco.members.stem.test(name))).toBe(true);
    expect(['LOCCO', 'X25LOCCO', '2025LOCCO'].some((name) => locco.members.stem.test(name))).toBe(false);
    expect(locco.key).toEqual(['state', 'locality']);
    expect(locco.onDuplicate).toBe('collapse-identical');
  });
});

// ---------------------------------------------------------------------------------------------
// ANES (ANES2025.csv, ANES2024.csv)

describe('ANES rows', () => {
  it('the national factor from the 2025 header, on every row; cells unpadded', async () => {
    const text = ['Contractor,Locality,Locality Name,National Anes CF of 20.3178', '10112 ,00 ,ALABAMA,19.31 ', '2102 ,1 ,ALASKA*,27.86 ', ' , , , ', 'Note,,,'].join('\r\n');
    const { rows } = await read(anes, 'ANES2025.csv', text);
    expect(rows).toEqual([
      { mac: '10112', locality: '00', locality_name: 'ALABAMA', anes_cf: '19.31', national_anes_cf: '20.3178' },
      { mac: '02102', locality: '01', locality_name: 'ALASKA', anes_cf: '27.86', national_anes_cf: '20.3178' },
    ]);
  });

  it.each([
    ['2024 Anesthesia Conversion Factor', null],
    ['Anesthesia Conversion Factor of 20', '20'],
    ['2026 National Anesthesia CF of 20.5', '20.5'],
    ['ANES CF OF 019.10', '19.10'],
  ])('header %s: national factor %s', async (header, national) => {
    const { rows } = await read(anes, 'ANES.csv', [`Contractor,Locality,Locality Name,${header}`, '10112,00,ALABAMA,19.77'].join('\r\n'));
    expect(rows[0]).toMatchObject({ anes_cf: '19.77', national_anes_cf: national });
  });

  it('a factor that is not a number fails, naming the header as found (normalized)', async () => {
    const error = await fail(anes, 'ANES2024.csv', ['Contractor,Locality,Locality Name,2024 Anesthesia Conversion Factor', '10112,00,ALABAMA,n/a'].join('\r\n'));
    expect([error.line, error.column, error.problem]).toEqual([2, '2024 ANESTHESIA CONVERSION FACTOR', 'not a number']);
  });

  it('the header is the row starting with Contractor', async () => {
    const error = await fail(anes, 'ANES2024.csv', ['Carrier,Locality,Locality Name,2024 Anesthesia Conversion Factor', '10112,00,ALABAMA,19.77'].join('\r\n'));
    expect(error.problem).toBe('header row not found in the first 40 rows');
    expect((await read(anes, 'ANES2024.csv', [' contractor ,Locality,Locality Name,2024 Anesthesia Conversion Factor', '10112,00,ALABAMA,19.77'].join('\r\n'))).rows).toHaveLength(1);
  });

  it('member rule and key', () => {
    expect(['ANES2025', 'anes2024'].every((name) => anes.members.stem.test(name))).toBe(true);
    expect(['ANES', 'XANES2025', 'ANES25'].some((name) => anes.members.stem.test(name))).toBe(false);
    expect(anes.key).toEqual(['mac', 'locality']);
  });
});

// ---------------------------------------------------------------------------------------------
// OPPSCAP (OPPSCAP_Oct.csv)

const OPPSCAP_HEADER = 'HCPCS,MOD,PROCSTAT,CARRIER,LOCALITY,FACILITY PRICE,NON-FACILTY PRICE';

describe('OPPSCAP rows', () => {
  it('every column, facility and non-facility told apart; the trailing blank row skipped', async () => {
    const { rows } = await read(oppscap, 'OPPSCAP_Oct.csv', [OPPSCAP_HEADER, '0633T,TC,C,01112,05,150.69,151.70', '70496,,A,1112,5,301.17,345.26', ',,,,,,'].join('\r\n'));
    expect(rows).toEqual([
      { hcpcs: '0633T', modifier: 'TC', proc_status: 'C', mac: '01112', locality: '05', fac_price: '150.69', nonfac_price: '151.70' },
      { hcpcs: '70496', modifier: '', proc_status: 'A', mac: '01112', locality: '05', fac_price: '301.17', nonfac_price: '345.26' },
    ]);
  });

  it('the correctly spelt header too', async () => {
    const { rows } = await read(oppscap, 'OPPSCAP.csv', [OPPSCAP_HEADER.replace('FACILTY', 'FACILITY'), '70496,,A,01112,05,301.17,345.26'].join('\r\n'));
    expect(rows[0]).toMatchObject({ fac_price: '301.17', nonfac_price: '345.26' });
  });

  it.each([
    ['a procedure status other than A or C', '70496,,B,01112,05,1.00,2.00', 'PROCSTAT', 'unknown code', 'one of A, C'],
    ['a blank facility price', '70496,,A,01112,05,,2.00', 'FACILITY PRICE', 'missing number', 'a decimal number'],
    ['a blank non-facility price', '70496,,A,01112,05,1.00,', 'NON-FACILTY PRICE', 'missing number', 'a decimal number'],
    ['a carrier that is not a number', '70496,,A,ABCDE,05,1.00,2.00', 'CARRIER', 'not a contractor number', '5 digits, such as 01112'],
    ['a locality that is not a number', '70496,,A,01112,X5,1.00,2.00', 'LOCALITY', 'not a locality number', '2 digits, such as 01'],
  ])('%s fails', async (_, line, column, problem, expected) => {
    const error = await fail(oppscap, 'OPPSCAP_Oct.csv', [OPPSCAP_HEADER, line].join('\r\n'));
    expect([error.line, error.column, error.problem, error.expected]).toEqual([2, column, problem, expected]);
  });

  it('the header starts with HCPCS and has PROCSTAT', async () => {
    const noProcstat = await fail(oppscap, 'OPPSCAP.csv', ['HCPCS,MOD,STATUS,CARRIER,LOCALITY,FACILITY PRICE,NON-FACILTY PRICE', '70496,,A,01112,05,1.00,2.00'].join('\r\n'));
    expect(noProcstat.problem).toBe('header row not found in the first 40 rows');
    const notFirst = await fail(oppscap, 'OPPSCAP.csv', ['MOD,HCPCS,PROCSTAT,CARRIER,LOCALITY,FACILITY PRICE,NON-FACILTY PRICE', ',70496,A,01112,05,1.00,2.00'].join('\r\n'));
    expect(notFirst.problem).toBe('header row not found in the first 40 rows');
  });

  it('member rule and key', () => {
    expect(['OPPSCAP_Oct', 'oppscap_apr'].every((name) => oppscap.members.stem.test(name))).toBe(true);
    expect(oppscap.members.stem.test('X_OPPSCAP')).toBe(false);
    expect(oppscap.key).toEqual(['hcpcs', 'modifier', 'mac', 'locality']);
  });
});

// ---------------------------------------------------------------------------------------------
// A header of no known layout: the error names what is missing and every layout CMS has used,
// each column labelled as CMS writes it (copied from the files' headers).

describe('headers of no known layout', () => {
  const RVU_LABELS_2024 = [
    'HCPCS', 'MOD', 'DESCRIPTION', 'STATUS CODE', 'NOT USED FOR MEDICARE PAYMENT', 'WORK RVU', 'NON-FAC PE RVU', 'NON-FAC NA INDICATOR',
    'FACILITY PE RVU', 'FACILITY NA INDICATOR', 'MP RVU', 'NON-FACILITY TOTAL', 'FACILITY TOTAL', 'PCTC IND', 'GLOB DAYS', 'PRE OP', 'INTRA OP',
    'POST OP', 'MULT PROC', 'BILAT SURG', 'ASST SURG', 'CO- SURG', 'TEAM SURG', 'ENDO BASE', 'CONV FACTOR',
    'PHYSICIAN SUPERVISION OF DIAGNOSTIC PROCEDURES', 'CALCULATION FLAG', 'DIAGNOSTIC IMAGING FAMILY INDICATOR',
    'NON-FACILITY PE USED FOR OPPS PAYMENT AMOUNT', 'FACILITY PE USED FOR OPPS PAYMENT AMOUNT', 'MP USED FOR OPPS PAYMENT AMOUNT',
  ];
  const RVU_LABELS_2026 = [...RVU_LABELS_2024.slice(0, 23), 'PRIC IND', ...RVU_LABELS_2024.slice(23)];

  it('PPRRVU without its last column', async () => {
    const top = PPRRVU_2024_TOP.map((line, index) => (index >= 5 ? line.slice(0, line.lastIndexOf(',')) : line));
    const error = await fail(pprrvu, 'PPRRVU24_APR.csv', [...top, rvuLine()].join('\r\n'));
    expect([error.line, error.problem]).toEqual([10, 'the columns match no known layout (closest: 2008-2025 (31 columns); missing MP USED FOR OPPS PAYMENT AMOUNT)']);
    expect(error.expected).toBe(`2008-2025 (31 columns): ${RVU_LABELS_2024.join(' | ')} — or — 2026 (32 columns, PRIC IND): ${RVU_LABELS_2026.join(' | ')}`);
  });

  it('GPCI without the MP GPCI', async () => {
    const error = await fail(gpci, 'GPCI2024.csv', [GPCI_2024[2]!.replace(',2024 MP GPCI', ''), '10112,AL,00,ALABAMA,1.000,0.869'].join('\r\n'));
    expect(error.problem).toBe('the columns match no known layout (closest: work GPCI with floor; missing MP GPCI)');
    const floor = ['Medicare Administrative Contractor (MAC)', 'State', 'Locality Number', 'Locality Name', 'PW GPCI (with 1.0 Floor)', 'PE GPCI', 'MP GPCI'];
    const both = [...floor.slice(0, 4), 'PW GPCI (without 1.0 Floor)', ...floor.slice(4)];
    expect(error.expected).toBe(`work GPCI with floor: ${floor.join(' | ')} — or — work GPCI with and without floor (2026 Q1): ${both.join(' | ')}`);
  });

  it('LOCCO without the counties header is not a LOCCO header; with an extra column it names the layout', async () => {
    const error = await fail(locco, '25LOCCO.csv', ['Medicare Adminstrative Contractor,Locality Number,State ,Fee Schedule Area ,Counties,Population', '10112,0,ALABAMA ,STATEWIDE ,ALL,1'].join('\r\n'));
    expect(error.problem).toBe('unknown column "POPULATION" (column 6)');
    expect(error.expected).toBe('locality to county: Medicare Adminstrative Contractor | Locality Number | State | Fee Schedule Area | Counties');
  });

  it('ANES with an extra column', async () => {
    const error = await fail(anes, 'ANES2024.csv', ['Contractor,Locality,Locality Name,2024 Anesthesia Conversion Factor,State', '10112,00,ALABAMA,19.77,AL'].join('\r\n'));
    expect(error.problem).toBe('unknown column "STATE" (column 5)');
    expect(error.expected).toBe('anesthesia CF: Contractor | Locality | Locality Name | Anesthesia Conversion Factor');
  });

  it('OPPSCAP without the non-facility price', async () => {
    const error = await fail(oppscap, 'OPPSCAP.csv', ['HCPCS,MOD,PROCSTAT,CARRIER,LOCALITY,FACILITY PRICE', '70496,,A,01112,05,1.00'].join('\r\n'));
    expect(error.problem).toBe('the columns match no known layout (closest: OPPS caps; missing NON-FACILTY PRICE)');
    expect(error.expected).toBe('OPPS caps: HCPCS | MOD | PROCSTAT | CARRIER | LOCALITY | FACILITY PRICE | NON-FACILTY PRICE');
  });
});
