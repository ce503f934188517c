/**
 * OPPS Addendum B read without a database (the dataset's reader over the fixtures, as the engine
 * opens them): every column of chosen rows with the line it came from, the facts, which rows are
 * skipped and which refused, and each refusal's file, line, column, value and expectation.
 * Values are copied by hand from the fixture lines quoted beside them.
 */
import { describe, expect, it } from 'vitest';
import { addendumB } from '../../pipelines/opps/addendum-b.js';
import { OPPS_JAN_2025, OPPS_JUL_2022 } from '../fee-schedules/support.js';
import { editedMember, editedWorkbook, fields, fixtureMember, readMember, refusal, replacing, textMember } from './support.js';

const JAN_2025 = 'Section 508 version of January 2025 Web Addendum B.12.31.24.csv';
const BLANK = {
  relative_weight: null, payment_rate: null, national_copay: null, national_copay_na: false, minimum_copay: null, ira_coinsurance_pct: null,
  adjusted_copay: null, copay_capped: null, inpatient_deductible: null, pass_through_expires: false, note: null, changed: false,
};
const jan = (...pairs: [string, string][]) => editedMember(OPPS_JAN_2025, replacing(...pairs));

/** The 2022 layout as the July 2022 workbook shows it (header row 4, its cells as displayed), as a csv. */
const HEADER_2022 = [
  'HCPCS Code', 'Short Descriptor', ' SI', 'APC ', 'Relative Weight ', 'Payment Rate', 'National Unadjusted Copayment ', 'Minimum Unadjusted Copayment ',
  '"Note: Actual copayments would be lower due to the cap on copayments at the Inpatient Deductible of $1,556.00"',
  'Drug Pass-Through Expiration during Calendar Year', '* Indicates a Change ',
];
const ROW_0234T_2022 = '0234T,CPT descriptor withheld 0234T,J1,5193,121.8681,"$10,258.49",.,"$2,051.70",*,,';
const csv2022 = (header = HEADER_2022, ...rows: string[]) =>
  textMember('July_2022_Web_Addendum_B.062222.csv', [header.join(','), ...(rows.length > 0 ? rows : [ROW_0234T_2022])].join('\r\n') + '\r\n');

describe('Addendum B 2025 csv (13 columns)', () => {
  it('every column of chosen rows, with its line; the posting date from the name; nothing warned', async () => {
    const read = await readMember(addendumB, await fixtureMember(OPPS_JAN_2025));
    expect(read.facts).toEqual({ published_on: '2024-12-31' });
    expect(read.warnings).toEqual([]);
    expect(read.order).toHaveLength(31);
    expect(read.order.slice(0, 3)).toEqual(['0001F', '0101T', '0184T']);
    const pick = (...codes: string[]) => codes.map((code) => read.rows.get(code));
    expect(pick('C9482', '0234T', 'C9088', 'G0008', '0001F', 'A4341', 'C9101', '50600')).toEqual([
      // line 24: C9482,Sotalol hydrochloride iv,K,9482,,$22.78,.,$4.56,18.559%,$4.23,,Inflation-adjusted coinsurance,*
      {
        ...BLANK, line: 24, hcpcs: 'C9482', short_description: 'Sotalol hydrochloride iv', status_indicator: 'K', apc: '9482', payment_rate: '22.78',
        national_copay_na: true, minimum_copay: '4.56', ira_coinsurance_pct: '18.559', adjusted_copay: '4.23', note: 'Inflation-adjusted coinsurance', changed: true,
      },
      // line 9: 0234T,…,J1,5193,127.1806,"$11,340.57",.,"$2,268.12",,"$1,676.00",,"Copayments capped at inpatient deductible of $1,676.00.",
      {
        ...BLANK, line: 9, hcpcs: '0234T', short_description: 'CPT descriptor withheld 0234T', status_indicator: 'J1', apc: '5193', relative_weight: '127.1806',
        payment_rate: '11340.57', national_copay_na: true, minimum_copay: '2268.12', adjusted_copay: '1676.00', note: 'Copayments capped at inpatient deductible of $1,676.00.',
      },
      // line 21: C9088,"Instill, bupivac and meloxic",G,9440,,$0.77,$0.00,$0.16,,$0.16,*,,*
      {
        ...BLANK, line: 21, hcpcs: 'C9088', short_description: 'Instill, bupivac and meloxic', status_indicator: 'G', apc: '9440', payment_rate: '0.77',
        national_copay: '0.00', minimum_copay: '0.16', adjusted_copay: '0.16', pass_through_expires: true, changed: true,
      },
      // line 27: G0008,Admin influenza virus vac,S,5691,0.5174,$46.14,$0.00,$0.00,,,,,
      {
        ...BLANK, line: 27, hcpcs: 'G0008', short_description: 'Admin influenza virus vac', status_indicator: 'S', apc: '5691', relative_weight: '0.5174',
        payment_rate: '46.14', national_copay: '0.00', minimum_copay: '0.00',
      },
      // line 6: 0001F,CPT descriptor withheld 0001F,E1,,, ,,,,,,,   (a rate of one space: no rate)
      { ...BLANK, line: 6, hcpcs: '0001F', short_description: 'CPT descriptor withheld 0001F', status_indicator: 'E1', apc: null },
      // line 15: A4341<0xFF>,Iduc valve pat inst repl,N,,, ,,,,,,,   (0xFF is a non-breaking space, trimmed)
      { ...BLANK, line: 15, hcpcs: 'A4341', short_description: 'Iduc valve pat inst repl', status_indicator: 'N', apc: null },
      // line 23: C9101,"Inj, oliceridine 0.1 mg",G,9049,,$1.32,,$0.00,,$0.00,*,,*   (a blank national copayment is not ".")
      {
        ...BLANK, line: 23, hcpcs: 'C9101', short_description: 'Inj, oliceridine 0.1 mg', status_indicator: 'G', apc: '9049', payment_rate: '1.32',
        minimum_copay: '0.00', adjusted_copay: '0.00', pass_through_expires: true, changed: true,
      },
      // line 11: 50600,…,C,,116.7583,"$10,411.22",.,2082.24,,,,,   (a minimum copayment without $)
      {
        ...BLANK, line: 11, hcpcs: '50600', short_description: 'CPT descriptor withheld 50600', status_indicator: 'C', apc: null, relative_weight: '116.7583',
        payment_rate: '10411.22', national_copay_na: true, minimum_copay: '2082.24',
      },
    ]);
  });

  it('skips a preamble repeated after the header, blank rows and a repeated header; reads every data row', async () => {
    const text = await editedMember(OPPS_JAN_2025, (original) => {
      const lines = original.split('\r\n');
      return [...lines.slice(0, 5), ...lines.slice(0, 4), ',,,,,,,,,,,,', '', lines[4]!, ...lines.slice(5)].join('\r\n');
    });
    const read = await readMember(addendumB, text);
    expect(read.order).toHaveLength(31);
    expect(read.rows.get('0001F')!.line).toBe(13);
  });

  it('a repeated preamble row is recognised whatever spaces surround its cells, in the first copy or the repeat', async () => {
    const title = 'Addendum B.-- OPPS Payment by HCPCS Code for CY 2025';
    const file = await editedMember(OPPS_JAN_2025, (original) => {
      const lines = original.split('\r\n');
      lines[0] = lines[0]!.replace(title, `${title}  `);
      return [...lines.slice(0, 5), lines[0]!.replace(`${title}  `, ` ${title}`), ...lines.slice(5)].join('\r\n');
    });
    const read = await readMember(addendumB, file);
    expect(read.order).toHaveLength(31);
    expect(read.rows.get('0001F')!.line).toBe(7);
  });

  it('"HCPCS Code" with spaces around it still starts the header; a name without a posting date records none', async () => {
    const file = await editedMember(OPPS_JAN_2025, replacing(['\r\nHCPCS Code,', '\r\n HCPCS Code ,']), 'January 2025 Web Addendum B.csv');
    const read = await readMember(addendumB, file);
    expect(read.order).toHaveLength(31);
    expect(Object.keys(read.facts)).toEqual([]);
  });

  it('a second column naming the code in more words is unknown, not the code column', async () => {
    for (const [extra, shown] of [['Old HCPCS Code', 'OLD HCPCS CODE'], ['HCPCS Code 2024', 'HCPCS CODE 2024']]) {
      const file = await jan(['* Indicates a Change\r\n', `* Indicates a Change,${extra}\r\n`]);
      expect(fields(await refusal(addendumB, file))).toMatchObject({ line: 5, problem: `unknown column "${shown}" (column 14)` });
    }
  });

  it('a preamble row moved by one cell is no copy of the preamble: a row without a code, refused', async () => {
    const moved = ',,Addendum B.-- OPPS Payment by HCPCS Code for CY 2025,,,,,,,,,,';
    const file = await jan(['\r\n0001F,', `\r\n${moved}\r\n0001F,`]);
    expect(fields(await refusal(addendumB, file))).toEqual({
      file: JAN_2025, line: 6, column: 'HCPCS CODE', value: '', problem: 'missing value', expected: 'a 5-character HCPCS code',
    });
  });

  it('a row with words but no code is refused, not skipped', async () => {
    const file = await jan(['\r\nJ9035,', '\r\n,']);
    expect(fields(await refusal(addendumB, file))).toEqual({
      file: JAN_2025, line: 34, column: 'HCPCS CODE', value: '', problem: 'missing value', expected: 'a 5-character HCPCS code',
    });
  });

  it.each([
    ['a code stored as a number', ['\r\n0101T,', '\r\n101,'], 7, 'HCPCS CODE', '101', 'code lost its leading zeros (a spreadsheet stored it as a number)', 'a 5-character code such as 0001F'],
    ['a code of four digits', ['\r\n0101T,', '\r\n1010,'], 7, 'HCPCS CODE', '1010', 'code lost its leading zeros (a spreadsheet stored it as a number)', 'a 5-character code such as 0001F'],
    ['a code of six characters', ['\r\n0101T,', '\r\n0101TX,'], 7, 'HCPCS CODE', '0101TX', 'unexpected value', 'a 5-character HCPCS code'],
    ['a code in lower case', ['\r\n0101T,', '\r\n0101t,'], 7, 'HCPCS CODE', '0101t', 'unexpected value', 'a 5-character HCPCS code'],
    ['a code with a dash', ['\r\n0101T,', '\r\n0101-,'], 7, 'HCPCS CODE', '0101-', 'unexpected value', 'a 5-character HCPCS code'],
    ['an APC stored as a number', [',K1,0762,', ',K1,762,'], 22, 'APC', '762', 'APC lost its leading zeros (a spreadsheet stored it as a number)', '4 digits such as 0762'],
    ['an APC of one digit', [',K1,0762,', ',K1,7,'], 22, 'APC', '7', 'APC lost its leading zeros (a spreadsheet stored it as a number)', '4 digits such as 0762'],
    ['an APC of five digits', [',K1,0762,', ',K1,07620,'], 22, 'APC', '07620', 'unexpected value', '4 digits such as 0762, or blank'],
    ['an APC with a letter', [',K1,0762,', ',K1,076A,'], 22, 'APC', '076A', 'unexpected value', '4 digits such as 0762, or blank'],
    ['an unknown status indicator', ['Bevacizumab injection,K,', 'Bevacizumab injection,K9,'], 34, 'SI', 'K9', 'unknown code', undefined],
    ['a relative weight with a letter', [',5111,2.6902,', ',5111,2.69O2,'], 7, 'RELATIVE WEIGHT', '2.69O2', 'not an amount', 'a decimal number'],
    ['a relative weight in dollars', [',5111,2.6902,', ',5111,$2.6902,'], 7, 'RELATIVE WEIGHT', '$2.6902', 'not an amount', 'a decimal number'],
    ['a payment rate with a misplaced separator', ['"$1,137.96"', '"$11,37.96"'], 19, 'PAYMENT RATE', '$11,37.96', 'not an amount', 'an amount such as $73.19 or $1,137.991'],
    ['a national copayment of the wrong shape', [',$46.14,$0.00,$0.00,', ',$46.14,$0.0.0,$0.00,'], 27, 'NATIONAL UNADJUSTED COPAYMENT', '$0.0.0', 'not an amount', 'an amount such as $73.19 or $1,137.991'],
    ['a minimum copayment in percent', [',$47.98,', ',$47.98%,'], 7, 'MINIMUM UNADJUSTED COPAYMENT', '$47.98%', 'not an amount', 'an amount such as $73.19 or $1,137.991'],
    ['an IRA percentage in dollars', [',18.559%,', ',$18.559,'], 24, 'IRA COINSURANCE PERCENTAGE', '$18.559', 'not an amount', 'a percentage such as 20.000 or 19.315%'],
    ['an adjusted copayment in percent', [',18.559%,$4.23,', ',18.559%,4.23%,'], 24, 'ADJUSTED BENEFICIARY COPAYMENT', '4.23%', 'not an amount', 'an amount such as $73.19 or $1,137.991'],
    ['a change mark other than *', ['$14.64,,$14.64,,,*', '$14.64,,$14.64,,,x'], 34, 'INDICATES A CHANGE', 'x', 'unexpected flag', '"*" or blank'],
    ['a pass-through mark other than *', [',$207.49,,$207.49,*,,*', ',$207.49,,$207.49,Y,,*'], 17, 'DRUG AND DEVICE PASS-THROUGH EXPIRATION DURING CALENDAR YEAR', 'Y', 'unexpected flag', '"*" or blank'],
  ] as const)('%s is refused, naming line, column and value', async (_case, [from, to], line, column, value, problem, expected) => {
    const error = await refusal(addendumB, await jan([from, to]));
    expect(fields(error)).toEqual({ file: JAN_2025, line, column, value, problem, expected: expected ?? error.expected });
    if (expected === undefined) expect(error.expected).toMatch(/^one of A, B, C, D, E1, E2, F, G, H, H1, J1, /);
  });

  it('a header without "HCPCS Code" in its first cell is not found', async () => {
    const error = await refusal(addendumB, await jan(['HCPCS Code,Short', 'Code,Short']));
    expect(fields(error)).toEqual({
      file: JAN_2025, line: undefined, column: undefined, value: undefined,
      problem: 'header row not found in the first 40 rows', expected: 'a header row starting "HCPCS Code, Short Descriptor, SI, APC"',
    });
  });
});

describe('Addendum B headers are matched whole', () => {
  const header2025 = [
    ['Short Descriptor', 'Short Descriptor'], ['SI', 'SI'], ['APC', 'APC'], ['Relative Weight', 'Relative Weight'], ['Payment Rate', 'Payment Rate'],
    ['National Unadjusted Copayment', 'National Unadjusted Copayment'], ['Minimum Unadjusted Copayment', 'Minimum Unadjusted Copayment'],
    ['IRA Coinsurance percentage', 'IRA Coinsurance percentage'], ['Adjusted Beneficiary Copayment', 'Adjusted Beneficiary Copayment'],
    ['Drug and Device Pass-Through Expiration during Calendar Year', 'Drug and Device Pass-Through Expiration during Calendar Year'],
    ['Note', 'Note'], ['* Indicates a Change', '* Indicates a Change'],
  ] as const;

  it.each(header2025.map(([cell, label], index) => [cell, label, index + 2] as const))('2025: "%s" with a word before or after it is unknown', async (cell, label, position) => {
    for (const changed of [`X ${cell}`, `${cell} X`]) {
      const file = await editedMember(OPPS_JAN_2025, (text) => {
        const lines = text.split('\r\n');
        const cells = lines[4]!.split(',');
        cells[position - 1] = changed;
        lines[4] = cells.join(',');
        return lines.join('\r\n');
      });
      const shown = changed.replace(/\*/g, ' ').replace(/\s+/g, ' ').trim().toUpperCase();
      expect(fields(await refusal(addendumB, file))).toMatchObject({ file: JAN_2025, line: 5, problem: `unknown column "${shown}" (column ${position}); missing ${label}` });
    }
  });

  it('2022: the deductible note and the pass-through column with a word before or after them are unknown', async () => {
    for (const [position, label] of [[9, 'Note: … Inpatient Deductible of $…'], [10, 'Drug and Device Pass-Through Expiration during Calendar Year']] as const) {
      const before = (cell: string) => (cell.startsWith('"') ? `"X ${cell.slice(1)}` : `X ${cell}`);
      const after = (cell: string) => (cell.endsWith('"') ? `${cell.slice(0, -1)} X"` : `${cell} X`);
      for (const wrap of [before, after]) {
        const header = [...HEADER_2022];
        header[position - 1] = wrap(header[position - 1]!);
        const error = await refusal(addendumB, csv2022(header));
        expect(error.problem).toMatch(new RegExp(`^unknown column ".*" \\(column ${position}\\); missing ${label.replace(/[$.*]/g, '\\$&')}$`));
      }
    }
  });

  it('a header of no known layout names each layout with its columns', async () => {
    const error = await refusal(addendumB, await jan([',Payment Rate,', ',Payment Amount,']));
    expect(fields(error)).toEqual({
      file: JAN_2025,
      line: 5,
      column: undefined,
      value:
        'HCPCS CODE | SHORT DESCRIPTOR | SI | APC | RELATIVE WEIGHT | PAYMENT AMOUNT | NATIONAL UNADJUSTED COPAYMENT | MINIMUM UNADJUSTED COPAYMENT | ' +
        'IRA COINSURANCE PERCENTAGE | ADJUSTED BENEFICIARY COPAYMENT | DRUG AND DEVICE PASS-THROUGH EXPIRATION DURING CALENDAR YEAR | NOTE | INDICATES A CHANGE',
      problem: 'unknown column "PAYMENT AMOUNT" (column 6); missing Payment Rate',
      expected:
        '2022 (11 columns, copayment cap at the inpatient deductible): HCPCS Code | Short Descriptor | SI | APC | Relative Weight | Payment Rate | ' +
        'National Unadjusted Copayment | Minimum Unadjusted Copayment | Note: … Inpatient Deductible of $… | ' +
        'Drug and Device Pass-Through Expiration during Calendar Year | * Indicates a Change — or — ' +
        '2025 (13 columns, IRA coinsurance): HCPCS Code | Short Descriptor | SI | APC | Relative Weight | Payment Rate | National Unadjusted Copayment | ' +
        'Minimum Unadjusted Copayment | IRA Coinsurance percentage | Adjusted Beneficiary Copayment | ' +
        'Drug and Device Pass-Through Expiration during Calendar Year | Note | * Indicates a Change',
    });
  });
});

describe('Addendum B 2022 (11 columns, the deductible in a header)', () => {
  const era2022 = { ...BLANK, copay_capped: false, inpatient_deductible: '1556.00' };

  it('the workbook: every column of chosen rows, each from its sheet row; the formatted text over the stored float', async () => {
    const read = await readMember(addendumB, await fixtureMember(OPPS_JUL_2022));
    expect(read.facts).toEqual({ published_on: '2022-06-22' });
    expect(read.warnings).toEqual([]);
    expect(read.order).toHaveLength(23);
    const pick = (...codes: string[]) => codes.map((code) => read.rows.get(code));
    expect(pick('0234T', 'J9035', 'C9067', '0736T', 'G0008', '50600', 'G0465')).toEqual([
      // row 9: 0234T,…,J1,5193,121.8681,"$10,258.49",.,"$2,051.70",*,,
      {
        ...era2022, line: 9, hcpcs: '0234T', short_description: 'CPT descriptor withheld 0234T', status_indicator: 'J1', apc: '5193', relative_weight: '121.8681',
        payment_rate: '10258.49', national_copay_na: true, minimum_copay: '2051.70', copay_capped: true,
      },
      // row 26: J9035,Bevacizumab injection,K,9214,,$69.225,.,$13.85,,,*   (stored 69.224999999999994)
      {
        ...era2022, line: 26, hcpcs: 'J9035', short_description: 'Bevacizumab injection', status_indicator: 'K', apc: '9214', payment_rate: '69.225',
        national_copay_na: true, minimum_copay: '13.85', changed: true,
      },
      // row 17: C9067,Gallium ga-68 dotatoc,G,9323,,$8.640,$0.00,$0.00,,,*   (stored 8.6401)
      { ...era2022, line: 17, hcpcs: 'C9067', short_description: 'Gallium ga-68 dotatoc', status_indicator: 'G', apc: '9323', payment_rate: '8.640', national_copay: '0.00', minimum_copay: '0.00', changed: true },
      // row 10: "0736T ",…,"Q1 ",5733,0.6754,$56.85,.,$11.37,,,*
      {
        ...era2022, line: 10, hcpcs: '0736T', short_description: 'CPT descriptor withheld 0736T', status_indicator: 'Q1', apc: '5733', relative_weight: '0.6754',
        payment_rate: '56.85', national_copay_na: true, minimum_copay: '11.37', changed: true,
      },
      // row 22: G0008,Admin influenza virus vac,S,5691,0.4855,$40.87,$0.00,$0.00,,,
      { ...era2022, line: 22, hcpcs: 'G0008', short_description: 'Admin influenza virus vac', status_indicator: 'S', apc: '5691', relative_weight: '0.4855', payment_rate: '40.87', national_copay: '0.00', minimum_copay: '0.00' },
      // row 11: 50600,…,C,,,,,,,,
      { ...era2022, line: 11, hcpcs: '50600', short_description: 'CPT descriptor withheld 50600', status_indicator: 'C', apc: null },
      // row 23: G0465<NBSP>,Autolog prp diab wound ulcer,T,5054,20.7807,"$1,749.26",.,$349.86,,,
      {
        ...era2022, line: 23, hcpcs: 'G0465', short_description: 'Autolog prp diab wound ulcer', status_indicator: 'T', apc: '5054', relative_weight: '20.7807',
        payment_rate: '1749.26', national_copay_na: true, minimum_copay: '349.86',
      },
    ]);
  });

  it('a pass-through mark in the workbook (none in the real excerpt: a scratch copy with C9067 marked) is read from its own column', async () => {
    const marked = await editedWorkbook(OPPS_JUL_2022, 'xl/worksheets/sheet1.xml', replacing(['<c r="K17" s="19" t="s"><v>5</v></c>', '<c r="J17" s="19" t="s"><v>5</v></c><c r="K17" s="19" t="s"><v>5</v></c>']));
    const read = await readMember(addendumB, marked);
    expect(read.rows.get('C9067')).toMatchObject({ pass_through_expires: true, changed: true, copay_capped: false });
    expect([...read.rows.values()].filter((row) => row.pass_through_expires).map((row) => row.hcpcs)).toEqual(['C9067']);
  });

  it('one cell holding "" (as CMS\'s whole July 2022 file has, at D10536: 96170) does not make its rows short', async () => {
    // The real workbook leaves blank cells out, except one APC cell that holds an empty string;
    // read as "this sheet keeps its blank cells", every row ending before column K was refused.
    const stray = await editedWorkbook(
      OPPS_JUL_2022,
      'xl/worksheets/sheet1.xml',
      replacing(['<c r="C11" s="27" t="s"><v>3</v></c>', '<c r="C11" s="27" t="s"><v>3</v></c><c r="D11" s="6" t="inlineStr"><is><t></t></is></c>']),
    );
    const read = await readMember(addendumB, stray);
    expect(read.warnings).toEqual([]);
    expect(read.order).toHaveLength(23);
    expect(read.rows.get('50600')).toEqual({ ...era2022, line: 11, hcpcs: '50600', short_description: 'CPT descriptor withheld 50600', status_indicator: 'C', apc: null });
  });

  it('the same layout as csv: the deductible with or without cents, kept on every row', async () => {
    const read = await readMember(addendumB, csv2022());
    expect(read.rows.get('0234T')).toEqual({
      ...era2022, line: 2, hcpcs: '0234T', short_description: 'CPT descriptor withheld 0234T', status_indicator: 'J1', apc: '5193', relative_weight: '121.8681',
      payment_rate: '10258.49', national_copay_na: true, minimum_copay: '2051.70', copay_capped: true,
    });
    const header = [...HEADER_2022];
    header[8] = 'Note: Actual copayments would be lower due to the cap on copayments at the Inpatient Deductible of $1600';
    const noCents = await readMember(addendumB, csv2022(header, ROW_0234T_2022, 'G0008,Admin influenza virus vac,S,5691,0.4855,$40.87,$0.00,$0.00,,,'));
    expect([...noCents.rows.values()].map((row) => [row.hcpcs, row.inpatient_deductible, row.copay_capped])).toEqual([['0234T', '1600', true], ['G0008', '1600', false]]);
  });

  it('a deductible in the header that is no amount is refused, naming the column', async () => {
    const header = [...HEADER_2022];
    header[8] = '"Note: Actual copayments would be lower due to the cap on copayments at the Inpatient Deductible of $1,55,6.00"';
    const error = await refusal(addendumB, csv2022(header));
    expect(fields(error)).toEqual({
      file: 'July_2022_Web_Addendum_B.062222.csv', line: 2,
      column: 'NOTE: ACTUAL COPAYMENTS WOULD BE LOWER DUE TO THE CAP ON COPAYMENTS AT THE INPATIENT DEDUCTIBLE OF $1,55,6.00', value: '*',
      problem: 'unreadable inpatient deductible in the header', expected: 'a header ending "Inpatient Deductible of $1,556.00"',
    });
  });

  it('a copayment-cap mark other than * is refused', async () => {
    const error = await refusal(addendumB, csv2022(HEADER_2022, ROW_0234T_2022.replace(',*,,', ',x,,')));
    expect(fields(error)).toMatchObject({ line: 2, value: 'x', problem: 'unexpected flag', expected: '"*" or blank' });
  });
});
