/**
 * The ASP pricing file read without a database: every column of chosen rows with its line, in
 * both header eras (12 cells in 2025, 13 in 2024), the posting date, N/A limits, what is refused
 * and how. Values are copied by hand from the fixture lines quoted beside them.
 */
import { describe, expect, it } from 'vitest';
import { aspPaymentLimits } from '../../pipelines/asp/payment-limits.js';
import { ASP_JAN_2025, ASP_JAN_2025_CSV, ASP_JAN_2025_XLS, ASP_JUL_2024 } from '../fee-schedules/support.js';
import { fixture } from '../support/fixtures.js';
import { editedMember, fields, fixtureMember, readMember, refusal, replacing } from './support.js';

const JUL_2024 = 'section 508 version of Jul 2024 ASP Pricing File 062024.csv';
const JAN_2025_DIR = fixture('asp', 'january-2025-asp-pricing-file-12_19_24-final-file', ASP_JAN_2025_CSV);
const BLANK = { vaccine_awp_pct: null, vaccine_limit: null, blood_awp_pct: null, blood_limit: null, clotting_factor: false, notes: null, payment_limit_na: false };
const jul = (...pairs: [string, string][]) => editedMember(ASP_JUL_2024, replacing(...pairs));

describe('ASP pricing file', () => {
  it('2025 (12 header cells): every column of chosen rows with its line; the correction date from the name', async () => {
    const read = await readMember(aspPaymentLimits, await fixtureMember(ASP_JAN_2025, ASP_JAN_2025_CSV));
    expect(read.facts).toEqual({ published_on: '2025-03-07' });
    expect(read.warnings).toEqual([]);
    expect(read.order).toEqual(['90371', '90375', '90632', '90653', 'A9606', 'J0129', 'J1561', 'J7192', 'J7198', 'J9035', 'J9325', 'P9041', 'Q9991', 'Q9992']);
    const pick = (...codes: string[]) => codes.map((code) => read.rows.get(code));
    expect(pick('90653', 'A9606', 'J0129', 'J7192', 'J9325', 'P9041', 'Q9991')).toEqual([
      // line 13: 90653,CPT descriptor withheld 90653,0.5 ML,83.490,0.000,95,83.490,,,,see the Seasonal Influenza Vaccines Pricing webpage …,
      {
        ...BLANK, line: 13, hcpcs: '90653', short_description: 'CPT descriptor withheld 90653', dosage: '0.5 ML', payment_limit: '83.490', coinsurance_pct: '0.000',
        vaccine_awp_pct: '95', vaccine_limit: '83.490', notes: 'see the Seasonal Influenza Vaccines Pricing webpage for current payment limits and effective dates',
      },
      // line 14-15: A9606,Radium ra223 dichloride ther,1 microCurie,N/A,20.000,,,,,,"microCurie 100% AWP = $196.92<LF>microCurie 100% WAC = $164.10",
      {
        ...BLANK, line: 14, hcpcs: 'A9606', short_description: 'Radium ra223 dichloride ther', dosage: '1 microCurie', payment_limit: null, payment_limit_na: true,
        coinsurance_pct: '20.000', notes: 'microCurie 100% AWP = $196.92\nmicroCurie 100% WAC = $164.10',
      },
      // line 16: J0129,Abatacept injection,10 MG,43.797,20.000,,,,,,"""lesser of"" methodology applied",
      { ...BLANK, line: 16, hcpcs: 'J0129', short_description: 'Abatacept injection', dosage: '10 MG', payment_limit: '43.797', coinsurance_pct: '20.000', notes: '"lesser of" methodology applied' },
      // line 18: J7192,Factor viii recombinant nos,1 IU,1.542,20.000,,,,,1,,
      { ...BLANK, line: 18, hcpcs: 'J7192', short_description: 'Factor viii recombinant nos', dosage: '1 IU', payment_limit: '1.542', coinsurance_pct: '20.000', clotting_factor: true },
      // line 21: J9325,Inj talimogene laherparepvec,1 million<0xA0>PFU,70.367,19.315,,,,,,Inflation-adjusted coinsurance,
      {
        ...BLANK, line: 21, hcpcs: 'J9325', short_description: 'Inj talimogene laherparepvec', dosage: '1 million\u00a0PFU', payment_limit: '70.367', coinsurance_pct: '19.315',
        notes: 'Inflation-adjusted coinsurance',
      },
      // line 22: P9041,"Albumin (human),5%, 50ml",50 ML,10.615,20.000,,,95,10.615,,,
      { ...BLANK, line: 22, hcpcs: 'P9041', short_description: 'Albumin (human),5%, 50ml', dosage: '50 ML', payment_limit: '10.615', coinsurance_pct: '20.000', blood_awp_pct: '95', blood_limit: '10.615' },
      // line 23: Q9991,Buprenorph xr 100 mg or less,Less than or equal to 100 MG,1931.812,20.000,,,,,,,
      { ...BLANK, line: 23, hcpcs: 'Q9991', short_description: 'Buprenorph xr 100 mg or less', dosage: 'Less than or equal to 100 MG', payment_limit: '1931.812', coinsurance_pct: '20.000' },
    ]);
  });

  it('the .xls beside the csv gives the same rows', async () => {
    const csv = await readMember(aspPaymentLimits, await fixtureMember(ASP_JAN_2025, ASP_JAN_2025_CSV));
    const xls = await readMember(aspPaymentLimits, await fixtureMember(ASP_JAN_2025, ASP_JAN_2025_XLS));
    const values = (read: typeof csv) => read.order.map((key) => ({ ...read.rows.get(key), line: undefined }));
    expect(values(xls)).toEqual(values(csv));
  });

  it('2024 (13 header cells, the last two empty): every column of chosen rows; the posting date from the name', async () => {
    const read = await readMember(aspPaymentLimits, await fixtureMember(ASP_JUL_2024));
    expect(read.facts).toEqual({ published_on: '2024-06-20' });
    expect(read.order).toHaveLength(14);
    expect([read.rows.get('90686'), read.rows.get('J7198'), read.rows.get('J9035')]).toEqual([
      // line 13: 90686,CPT descriptor withheld 90686,0.5 ml,22.350,0.000,95,22.350,,,,see the Seasonal …,,
      {
        ...BLANK, line: 13, hcpcs: '90686', short_description: 'CPT descriptor withheld 90686', dosage: '0.5 ml', payment_limit: '22.350', coinsurance_pct: '0.000',
        vaccine_awp_pct: '95', vaccine_limit: '22.350', notes: 'see the Seasonal Influenza Vaccines Pricing webpage for current payment limits and effective dates',
      },
      // line 19: J7198,Anti-inhibitor,1 IU,2.359,20.000,,,,,1,,,
      { ...BLANK, line: 19, hcpcs: 'J7198', short_description: 'Anti-inhibitor', dosage: '1 IU', payment_limit: '2.359', coinsurance_pct: '20.000', clotting_factor: true },
      // line 20: J9035,Bevacizumab injection,10 MG,72.462,20.000,,,,,,,,
      { ...BLANK, line: 20, hcpcs: 'J9035', short_description: 'Bevacizumab injection', dosage: '10 MG', payment_limit: '72.462', coinsurance_pct: '20.000' },
    ]);
  });

  it('n/a in lower case is N/A too; a file with no posting date in its name records none', async () => {
    const file = await editedMember(ASP_JUL_2024, replacing(['1 microCurie,N/A,', '1 microCurie,n/a,']), 'section 508 version of Jul 2024 ASP Pricing File.csv');
    const read = await readMember(aspPaymentLimits, file);
    expect(read.rows.get('A9606')).toMatchObject({ payment_limit: null, payment_limit_na: true });
    expect(Object.keys(read.facts)).toEqual([]);
  });

  it.each([
    ['a code of four characters', ['\r\nJ9035,', '\r\nJ903,'], 20, 'HCPCS CODE', 'J903', 'unexpected value', 'a 5-character HCPCS code'],
    ['a code in lower case', ['\r\nJ9035,', '\r\nj9035,'], 20, 'HCPCS CODE', 'j9035', 'unexpected value', 'a 5-character HCPCS code'],
    ['a code with a trailing letter', ['\r\nJ9035,', '\r\nJ9035X,'], 20, 'HCPCS CODE', 'J9035X', 'unexpected value', 'a 5-character HCPCS code'],
    ['a blank description', ['J9035,Bevacizumab injection,', 'J9035,,'], 20, 'SHORT DESCRIPTION', '', 'missing value', 'a description'],
    ['a blank payment limit', ['10 MG,72.462,', '10 MG,,'], 20, 'PAYMENT LIMIT', '', 'missing amount', 'an amount such as $73.19 or $1,137.991'],
    ['a payment limit in words', ['10 MG,72.462,', '10 MG,see note,'], 20, 'PAYMENT LIMIT', 'see note', 'not an amount', 'an amount such as $73.19 or $1,137.991'],
    ['a coinsurance in dollars', ['10 MG,72.462,20.000,', '10 MG,72.462,$20.000,'], 20, 'CO-INSURANCE PERCENTAGE', '$20.000', 'not an amount', 'a percentage such as 20.000 or 19.315%'],
    ['a vaccine AWP% in dollars', ['0.000,95,22.350,', '0.000,$95,22.350,'], 13, 'VACCINE AWP%', '$95', 'not an amount', 'a percentage such as 20.000 or 19.315%'],
    ['a vaccine limit in percent', ['0.000,95,22.350,', '0.000,95,22.350%,'], 13, 'VACCINE LIMIT', '22.350%', 'not an amount', 'an amount such as $73.19 or $1,137.991'],
    ['a blood AWP% in dollars', [',,,95,10.615,', ',,,$95,10.615,'], 22, 'BLOOD AWP%', '$95', 'not an amount', 'a percentage such as 20.000 or 19.315%'],
    ['a blood limit in percent', [',,,95,10.615,', ',,,95,10.615%,'], 22, 'BLOOD LIMIT', '10.615%', 'not an amount', 'an amount such as $73.19 or $1,137.991'],
    ['a clotting factor other than 1', ['2.359,20.000,,,,,1,', '2.359,20.000,,,,,Y,'], 19, 'CLOTTING FACTOR', 'Y', 'unexpected flag', '"1" or blank'],
  ] as const)('%s is refused, naming line, column and value', async (_case, [from, to], line, column, value, problem, expected) => {
    expect(fields(await refusal(aspPaymentLimits, await jul([from, to])))).toEqual({ file: JUL_2024, line, column, value, problem, expected });
  });

  it('"HCPCS Code" with spaces around it still starts the header', async () => {
    const read = await readMember(aspPaymentLimits, await jul(['\r\nHCPCS Code,Short Description', '\r\n HCPCS Code ,Short Description']));
    expect(read.order).toHaveLength(14);
    expect(read.rows.get('J9035')!.line).toBe(20);
  });

  it('a second column naming the code in more words is unknown, not the code column', async () => {
    for (const [extra, shown] of [['Old HCPCS Code', 'OLD HCPCS CODE'], ['HCPCS Code 2024', 'HCPCS CODE 2024']]) {
      const error = await refusal(aspPaymentLimits, await jul([',Notes,,', `,Notes,${extra},`]));
      expect(fields(error)).toMatchObject({ line: 9, problem: `unknown column "${shown}" (column 12)` });
    }
  });

  it('a header without "HCPCS Code" first is not found', async () => {
    const error = await refusal(aspPaymentLimits, await jul(['HCPCS Code,Short Description', 'Code,Short Description']));
    expect(fields(error)).toEqual({
      file: JUL_2024, line: undefined, column: undefined, value: undefined,
      problem: 'header row not found in the first 40 rows', expected: 'a header row starting "HCPCS Code, Short Description, HCPCS Code Dosage, Payment Limit"',
    });
  });

  it('headers are matched whole: a word before or after one makes it unknown', async () => {
    const labels = ['Short Description', 'HCPCS Code Dosage', 'Payment Limit', 'Co-insurance Percentage', 'Vaccine AWP%', 'Vaccine Limit', 'Blood AWP%', 'Blood limit', 'Clotting Factor', 'Notes'];
    for (const [offset, label] of labels.entries()) {
      const position = offset + 2;
      for (const wrap of [(cell: string) => `X ${cell}`, (cell: string) => `${cell} X`]) {
        const file = await editedMember(ASP_JUL_2024, (text) => {
          const lines = text.split('\r\n');
          const cells = lines[8]!.split(',');
          cells[position - 1] = wrap(cells[position - 1]!);
          lines[8] = cells.join(',');
          return lines.join('\r\n');
        });
        const error = await refusal(aspPaymentLimits, file);
        expect(error.problem).toBe(`unknown column "${wrap(label).toUpperCase()}" (column ${position}); missing ${label}`);
      }
    }
  });

  it('"Coinsurance Percentage" and "Vaccine AWP %" are the same columns as CMS writes them elsewhere', async () => {
    const file = await jul(['Co-insurance Percentage,Vaccine AWP%,', 'Coinsurance Percentage,Vaccine AWP %,']);
    const read = await readMember(aspPaymentLimits, file);
    expect(read.rows.get('90686')).toMatchObject({ coinsurance_pct: '0.000', vaccine_awp_pct: '95' });
  });

  it('a header of no known layout names the layout and its columns', async () => {
    const error = await refusal(aspPaymentLimits, await jul([',Notes,,', ',,,']));
    expect(fields(error)).toEqual({
      file: JUL_2024, line: 9, column: undefined,
      value: 'HCPCS CODE | SHORT DESCRIPTION | HCPCS CODE DOSAGE | PAYMENT LIMIT | CO-INSURANCE PERCENTAGE | VACCINE AWP% | VACCINE LIMIT | BLOOD AWP% | BLOOD LIMIT | CLOTTING FACTOR',
      problem: 'the columns match no known layout (closest: ASP pricing file (2024-2025); missing Notes)',
      expected:
        'ASP pricing file (2024-2025): HCPCS Code | Short Description | HCPCS Code Dosage | Payment Limit | Co-insurance Percentage | Vaccine AWP% | ' +
        'Vaccine Limit | Blood AWP% | Blood limit | Clotting Factor | Notes',
    });
  });

  it('the 2025 folder reads like its zip', async () => {
    const folder = await readMember(aspPaymentLimits, await fixtureMember(JAN_2025_DIR));
    const zip = await readMember(aspPaymentLimits, await fixtureMember(ASP_JAN_2025, ASP_JAN_2025_CSV));
    expect([...folder.rows.values()]).toEqual([...zip.rows.values()]);
  });
});
