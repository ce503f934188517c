/**
 * Every column of the fee-schedule tables (OPPS Addendum B, ASP payment limits, CLFS rates), in
 * every layout era, checked against the file: a few rows per release are loaded from the fixtures
 * and compared, column by column, with values copied by hand from the lines quoted above each
 * block (not produced by the project's reader). `hiddenSwaps` checks that the chosen rows tell
 * every two columns apart. Where no real row does, the scratch copy has one row edited (the two
 * EDITs below, and fixtures/fee-schedules.md).
 */
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importRelease } from '../../src/index.js';
import { hiddenSwaps, loadedRows, pick } from '../support/columns.js';
import { backends, openTestDatabase, type TestDatabase } from '../support/db.js';
import { replaceOnce, scratchDir, writeFixtureFile } from '../support/fixtures.js';
import { editedWorkbookBytes } from '../pipelines/support.js';
import { ASP_JAN_2025, ASP_JUL_2024, CLFS_2025_Q1, OPPS_JAN_2025, OPPS_JUL_2022, OPPS_JUL_2025_REPOST } from '../fee-schedules/support.js';

/**
 * One row edited: in the July 2025 re-post no row has a national copayment that differs from
 * both the minimum and the adjusted copayment while its IRA percentage is set, so C9088's national
 * copayment `$0.00` reads `$0.05` (a national copayment read from the minimum or adjusted column
 * would show).
 */
const OPPS_JUL_2025_EDIT: [from: string, to: string] = ['$0.807,$0.00,$0.16,19.840%', '$0.807,$0.05,$0.16,19.840%'];

/**
 * The other: no row of the July 2022 workbook (the excerpt, nor CMS's whole file) has a mark in
 * "Drug Pass-Through Expiration during Calendar Year", so the scratch copy marks C9067 (sheet row
 * 17, SI G) with the `*` of its change column: a pass-through flag read from no column, or from a
 * neighbouring one, would show.
 */
const OPPS_JUL_2022_EDIT: [from: string, to: string] = [
  '<c r="K17" s="19" t="s"><v>5</v></c>',
  '<c r="J17" s="19" t="s"><v>5</v></c><c r="K17" s="19" t="s"><v>5</v></c>',
];

const OPPS_BLANKS = {
  relative_weight: null, payment_rate: null, national_copay: null, national_copay_na: false, minimum_copay: null, ira_coinsurance_pct: null,
  adjusted_copay: null, copay_capped: null, inpatient_deductible: null, pass_through_expires: false, note: null, changed: false,
};
const ASP_BLANKS = {
  vaccine_awp_pct: null, vaccine_limit: null, blood_awp_pct: null, blood_limit: null, clotting_factor: false, notes: null, payment_limit_na: false,
};

describe.each(backends)('every fee-schedule column against the file, on %s', (backend) => {
  let test: TestDatabase;
  const releases: Record<string, number | string> = {};
  beforeAll(async () => {
    test = await openTestDatabase(backend);
    const scratch = await scratchDir();
    const repost = (await readFile(OPPS_JUL_2025_REPOST)).toString('latin1');
    const editedRepost = await writeFixtureFile(
      path.join(scratch, 'opps-jul-2025'),
      path.basename(OPPS_JUL_2025_REPOST),
      Buffer.from(replaceOnce(repost, ...OPPS_JUL_2025_EDIT), 'latin1'),
    );
    const edited2022 = await writeFixtureFile(
      path.join(scratch, 'opps-jul-2022'),
      path.basename(OPPS_JUL_2022),
      await editedWorkbookBytes(OPPS_JUL_2022, 'xl/worksheets/sheet1.xml', (xml) => replaceOnce(xml, ...OPPS_JUL_2022_EDIT)),
    );
    const sources = { oppsJan2025: OPPS_JAN_2025, oppsJul2025: editedRepost, oppsJul2022: edited2022, aspJan2025: ASP_JAN_2025, aspJul2024: ASP_JUL_2024, clfs2025: CLFS_2025_Q1 };
    for (const [name, source] of Object.entries(sources)) {
      const result = await importRelease(test.database, source);
      expect(result.status).toBe('loaded');
      releases[name] = result.releaseId;
    }
  });
  afterAll(() => test?.close());
  const rows = (release: string, table: string, key: string[]) => loadedRows(test.database, table, releases[release]!, key);

  describe('OPPS Addendum B', () => {
    it('2025 csv, 13 columns (Section 508 version of January 2025 Web Addendum B.12.31.24.csv)', async () => {
      const loaded = await rows('oppsJan2025', 'opps_addendum_b', ['hcpcs']);
      const expected = [
        // C9482,Sotalol hydrochloride iv,K,9482,,$22.78,.,$4.56,18.559%,$4.23,,Inflation-adjusted coinsurance,*
        {
          ...OPPS_BLANKS, hcpcs: 'C9482', short_description: 'Sotalol hydrochloride iv', status_indicator: 'K', apc: '9482', payment_rate: '22.78',
          national_copay_na: true, minimum_copay: '4.56', ira_coinsurance_pct: '18.559', adjusted_copay: '4.23', note: 'Inflation-adjusted coinsurance', changed: true,
        },
        // 0234T,CPT descriptor withheld 0234T,J1,5193,127.1806,"$11,340.57",.,"$2,268.12",,"$1,676.00",,"Copayments capped at inpatient deductible of $1,676.00.",
        {
          ...OPPS_BLANKS, hcpcs: '0234T', short_description: 'CPT descriptor withheld 0234T', status_indicator: 'J1', apc: '5193', relative_weight: '127.1806',
          payment_rate: '11340.57', national_copay_na: true, minimum_copay: '2268.12', adjusted_copay: '1676.00',
          note: 'Copayments capped at inpatient deductible of $1,676.00.',
        },
        // C9088,"Instill, bupivac and meloxic",G,9440,,$0.77,$0.00,$0.16,,$0.16,*,,*
        {
          ...OPPS_BLANKS, hcpcs: 'C9088', short_description: 'Instill, bupivac and meloxic', status_indicator: 'G', apc: '9440', payment_rate: '0.77',
          national_copay: '0.00', minimum_copay: '0.16', adjusted_copay: '0.16', pass_through_expires: true, changed: true,
        },
        // G0008,Admin influenza virus vac,S,5691,0.5174,$46.14,$0.00,$0.00,,,,,
        {
          ...OPPS_BLANKS, hcpcs: 'G0008', short_description: 'Admin influenza virus vac', status_indicator: 'S', apc: '5691', relative_weight: '0.5174',
          payment_rate: '46.14', national_copay: '0.00', minimum_copay: '0.00',
        },
        // 0001F,CPT descriptor withheld 0001F,E1,,, ,,,,,,,   (the rate is a single space: no rate)
        { ...OPPS_BLANKS, hcpcs: '0001F', short_description: 'CPT descriptor withheld 0001F', status_indicator: 'E1', apc: null },
      ];
      expect(pick(loaded, 'C9482', '0234T', 'C9088', 'G0008', '0001F')).toEqual(expected);
      expect(hiddenSwaps(expected)).toEqual([]);
    });

    it('2025 csv, three-decimal rates and "IRA Coinsurance percentage " (Section 508 of July 2025 Web Addendum B.07.25.25.csv, one row edited)', async () => {
      const loaded = await rows('oppsJul2025', 'opps_addendum_b', ['hcpcs']);
      const expected = [
        // C9088,"Instill, bupivac and meloxic",K1,9440,,$0.807,$0.00,$0.16,19.840%,$0.17,*,Inflation-adjusted coinsurance,*   (edited: $0.05)
        {
          ...OPPS_BLANKS, hcpcs: 'C9088', short_description: 'Instill, bupivac and meloxic', status_indicator: 'K1', apc: '9440', payment_rate: '0.807',
          national_copay: '0.05', minimum_copay: '0.16', ira_coinsurance_pct: '19.840', adjusted_copay: '0.17', pass_through_expires: true,
          note: 'Inflation-adjusted coinsurance', changed: true,
        },
        // J1411,"Inj, hemgenix, per tx dose",G,9138,,"$3,685,266.667",.,"$737,053.34",,"$1,676.00",,"Copayments capped at inpatient deductible of $1,676.00.",*
        {
          ...OPPS_BLANKS, hcpcs: 'J1411', short_description: 'Inj, hemgenix, per tx dose', status_indicator: 'G', apc: '9138', payment_rate: '3685266.667',
          national_copay_na: true, minimum_copay: '737053.34', adjusted_copay: '1676.00', note: 'Copayments capped at inpatient deductible of $1,676.00.', changed: true,
        },
        // Q5146,"Inj, hercessi, 10 mg",K,0865,,$76.181,,$15.24,,$15.24,,,*
        {
          ...OPPS_BLANKS, hcpcs: 'Q5146', short_description: 'Inj, hercessi, 10 mg', status_indicator: 'K', apc: '0865', payment_rate: '76.181',
          minimum_copay: '15.24', adjusted_copay: '15.24', changed: true,
        },
        // 0101T,CPT descriptor withheld 0101T,T,5111,2.6902,$239.88,.,$47.98,,,,,
        {
          ...OPPS_BLANKS, hcpcs: '0101T', short_description: 'CPT descriptor withheld 0101T', status_indicator: 'T', apc: '5111', relative_weight: '2.6902',
          payment_rate: '239.88', national_copay_na: true, minimum_copay: '47.98',
        },
      ];
      expect(pick(loaded, 'C9088', 'J1411', 'Q5146', '0101T')).toEqual(expected);
      expect(hiddenSwaps(expected)).toEqual([]);
    });

    it('2022 workbook, 11 columns (July_2022_Web_Addendum_B.062222.xlsx, one row edited)', async () => {
      const loaded = await rows('oppsJul2022', 'opps_addendum_b', ['hcpcs']);
      // Header: HCPCS Code,Short Descriptor, SI,APC ,Relative Weight ,Payment Rate,National Unadjusted Copayment ,Minimum Unadjusted Copayment ,
      //   "Note: Actual copayments would be lower due to the cap on copayments at the Inpatient Deductible of $1,556.00",Drug Pass-Through Expiration during Calendar Year,* Indicates a Change
      // (cells as the workbook shows them; no row has a pass-through mark but C9067's, edited in)
      const era2022 = { ...OPPS_BLANKS, copay_capped: false, inpatient_deductible: '1556.00' };
      const expected = [
        // 0234T,CPT descriptor withheld 0234T,J1,5193,121.8681,"$10,258.49",.,"$2,051.70",*,,
        {
          ...era2022, hcpcs: '0234T', short_description: 'CPT descriptor withheld 0234T', status_indicator: 'J1', apc: '5193', relative_weight: '121.8681',
          payment_rate: '10258.49', national_copay_na: true, minimum_copay: '2051.70', copay_capped: true,
        },
        // J9035,Bevacizumab injection,K,9214,,$69.225,.,$13.85,,,*   (stored 69.224999999999994, shown $69.225)
        {
          ...era2022, hcpcs: 'J9035', short_description: 'Bevacizumab injection', status_indicator: 'K', apc: '9214', payment_rate: '69.225',
          national_copay_na: true, minimum_copay: '13.85', changed: true,
        },
        // C9067,Gallium ga-68 dotatoc,G,9323,,$8.640,$0.00,$0.00,,,*   (edited: * in the pass-through column)
        {
          ...era2022, hcpcs: 'C9067', short_description: 'Gallium ga-68 dotatoc', status_indicator: 'G', apc: '9323', payment_rate: '8.640',
          national_copay: '0.00', minimum_copay: '0.00', pass_through_expires: true, changed: true,
        },
        // "0736T ",CPT descriptor withheld 0736T,"Q1 ",5733,0.6754,$56.85,.,$11.37,,,*
        {
          ...era2022, hcpcs: '0736T', short_description: 'CPT descriptor withheld 0736T', status_indicator: 'Q1', apc: '5733', relative_weight: '0.6754',
          payment_rate: '56.85', national_copay_na: true, minimum_copay: '11.37', changed: true,
        },
        // G0008,Admin influenza virus vac,S,5691,0.4855,$40.87,$0.00,$0.00,,,
        {
          ...era2022, hcpcs: 'G0008', short_description: 'Admin influenza virus vac', status_indicator: 'S', apc: '5691', relative_weight: '0.4855',
          payment_rate: '40.87', national_copay: '0.00', minimum_copay: '0.00',
        },
        // 50600,CPT descriptor withheld 50600,C,,,,,,,,
        { ...era2022, hcpcs: '50600', short_description: 'CPT descriptor withheld 50600', status_indicator: 'C', apc: null },
      ];
      expect(pick(loaded, '0234T', 'J9035', 'C9067', '0736T', 'G0008', '50600')).toEqual(expected);
      expect(hiddenSwaps(expected)).toEqual([]);
    });
  });

  describe('ASP payment limits', () => {
    // The January 2025 zip: the 508 csv is loaded, the .xls beside it cross-checked.
    it('2025, 12 header cells (section 508 version of Jan 2025 ASP Pricing File updated 030725.csv)', async () => {
      const loaded = await rows('aspJan2025', 'asp_payment_limit', ['hcpcs']);
      const expected = [
        // 90653,CPT descriptor withheld 90653,0.5 ML,83.490,0.000,95,83.490,,,,see the Seasonal Influenza Vaccines Pricing webpage for current payment limits and effective dates,
        {
          ...ASP_BLANKS, hcpcs: '90653', short_description: 'CPT descriptor withheld 90653', dosage: '0.5 ML', payment_limit: '83.490', coinsurance_pct: '0.000',
          vaccine_awp_pct: '95', vaccine_limit: '83.490', notes: 'see the Seasonal Influenza Vaccines Pricing webpage for current payment limits and effective dates',
        },
        // P9041,"Albumin (human),5%, 50ml",50 ML,10.615,20.000,,,95,10.615,,,
        {
          ...ASP_BLANKS, hcpcs: 'P9041', short_description: 'Albumin (human),5%, 50ml', dosage: '50 ML', payment_limit: '10.615', coinsurance_pct: '20.000',
          blood_awp_pct: '95', blood_limit: '10.615',
        },
        // A9606,Radium ra223 dichloride ther,1 microCurie,N/A,20.000,,,,,,"microCurie 100% AWP = $196.92<LF>microCurie 100% WAC = $164.10",
        {
          ...ASP_BLANKS, hcpcs: 'A9606', short_description: 'Radium ra223 dichloride ther', dosage: '1 microCurie', payment_limit: null, payment_limit_na: true,
          coinsurance_pct: '20.000', notes: 'microCurie 100% AWP = $196.92\nmicroCurie 100% WAC = $164.10',
        },
        // J7192,Factor viii recombinant nos,1 IU,1.542,20.000,,,,,1,,
        { ...ASP_BLANKS, hcpcs: 'J7192', short_description: 'Factor viii recombinant nos', dosage: '1 IU', payment_limit: '1.542', coinsurance_pct: '20.000', clotting_factor: true },
        // J9325,Inj talimogene laherparepvec,1 million<0xA0>PFU,70.367,19.315,,,,,,Inflation-adjusted coinsurance,
        {
          ...ASP_BLANKS, hcpcs: 'J9325', short_description: 'Inj talimogene laherparepvec', dosage: '1 million\u00a0PFU', payment_limit: '70.367', coinsurance_pct: '19.315',
          notes: 'Inflation-adjusted coinsurance',
        },
      ];
      expect(pick(loaded, '90653', 'P9041', 'A9606', 'J7192', 'J9325')).toEqual(expected);
      expect(hiddenSwaps(expected)).toEqual([]);
    });

    it('2024, 13 header cells, the last two empty (section 508 version of Jul 2024 ASP Pricing File 062024.csv)', async () => {
      const loaded = await rows('aspJul2024', 'asp_payment_limit', ['hcpcs']);
      const expected = [
        // 90686,CPT descriptor withheld 90686,0.5 ml,22.350,0.000,95,22.350,,,,see the Seasonal Influenza Vaccines Pricing webpage for current payment limits and effective dates,,
        {
          ...ASP_BLANKS, hcpcs: '90686', short_description: 'CPT descriptor withheld 90686', dosage: '0.5 ml', payment_limit: '22.350', coinsurance_pct: '0.000',
          vaccine_awp_pct: '95', vaccine_limit: '22.350', notes: 'see the Seasonal Influenza Vaccines Pricing webpage for current payment limits and effective dates',
        },
        // P9041,"Albumin (human),5%, 50ml",50 ML,10.615,20.000,,,95,10.615,,,,
        {
          ...ASP_BLANKS, hcpcs: 'P9041', short_description: 'Albumin (human),5%, 50ml', dosage: '50 ML', payment_limit: '10.615', coinsurance_pct: '20.000',
          blood_awp_pct: '95', blood_limit: '10.615',
        },
        // A9606,Radium ra223 dichloride ther,1 microCurie,N/A,20.000,,,,,,"microCurie 100% AWP = $191.18<LF>microCurie 100% WAC = $159.32",,
        {
          ...ASP_BLANKS, hcpcs: 'A9606', short_description: 'Radium ra223 dichloride ther', dosage: '1 microCurie', payment_limit: null, payment_limit_na: true,
          coinsurance_pct: '20.000', notes: 'microCurie 100% AWP = $191.18\nmicroCurie 100% WAC = $159.32',
        },
        // J7198,Anti-inhibitor,1 IU,2.359,20.000,,,,,1,,,
        { ...ASP_BLANKS, hcpcs: 'J7198', short_description: 'Anti-inhibitor', dosage: '1 IU', payment_limit: '2.359', coinsurance_pct: '20.000', clotting_factor: true },
        // J9325,Inj talimogene laherparepvec,1 million<0xA0>PFU,69.959,19.049,,,,,,Inflation-adjusted coinsurance,,
        {
          ...ASP_BLANKS, hcpcs: 'J9325', short_description: 'Inj talimogene laherparepvec', dosage: '1 million\u00a0PFU', payment_limit: '69.959', coinsurance_pct: '19.049',
          notes: 'Inflation-adjusted coinsurance',
        },
      ];
      expect(pick(loaded, '90686', 'P9041', 'A9606', 'J7198', 'J9325')).toEqual(expected);
      expect(hiddenSwaps(expected)).toEqual([]);
    });
  });

  describe('CLFS rates', () => {
    // The 2025 Q1 zip: the csv is loaded, the xlsx cross-checked, the txt not read.
    it('9 columns (CLFS 2025 Q1V1.csv)', async () => {
      const loaded = await rows('clfs2025', 'clfs_rate', ['hcpcs', 'modifier']);
      const expected = [
        // 2025,G0328,,20250101,N,18.05,Fecal blood scrn immunoassay,"Colorectal cancer screening; fecal occult blood test, immunoassay, 1-3","Colorectal cancer screening; fecal occult blood test, immunoassay, 1-3 simultaneous"
        {
          hcpcs: 'G0328', modifier: '', year: 2025, effective_date: '2025-01-01', indicator: 'N', rate: '18.05', short_description: 'Fecal blood scrn immunoassay',
          long_description: 'Colorectal cancer screening; fecal occult blood test, immunoassay, 1-3',
          extended_long_description: 'Colorectal cancer screening; fecal occult blood test, immunoassay, 1-3 simultaneous',
        },
        // 2025,80053,QW,20250101,N,00010.56,CPT descriptor withheld 80053,CPT descriptor withheld 80053,CPT descriptor withheld 80053
        {
          hcpcs: '80053', modifier: 'QW', year: 2025, effective_date: '2025-01-01', indicator: 'N', rate: '10.56', short_description: 'CPT descriptor withheld 80053',
          long_description: 'CPT descriptor withheld 80053', extended_long_description: 'CPT descriptor withheld 80053',
        },
        // 2025,G0327,,20250101,L,0,Colon ca scrn;bld-bsd biomrk,Colorectal cancer screening; blood-based biomarker,Colorectal cancer screening; blood-based biomarker
        {
          hcpcs: 'G0327', modifier: '', year: 2025, effective_date: '2025-01-01', indicator: 'L', rate: '0', short_description: 'Colon ca scrn;bld-bsd biomrk',
          long_description: 'Colorectal cancer screening; blood-based biomarker', extended_long_description: 'Colorectal cancer screening; blood-based biomarker',
        },
        // 2025,0020M,,20250101,L,00000.00,CPT descriptor withheld 0020M,CPT descriptor withheld 0020M,CPT descriptor withheld 0020M
        {
          hcpcs: '0020M', modifier: '', year: 2025, effective_date: '2025-01-01', indicator: 'L', rate: '0.00', short_description: 'CPT descriptor withheld 0020M',
          long_description: 'CPT descriptor withheld 0020M', extended_long_description: 'CPT descriptor withheld 0020M',
        },
        // 2025,87502,QW,20250101,N,95.8,CPT descriptor withheld 87502,CPT descriptor withheld 87502,CPT descriptor withheld 87502
        {
          hcpcs: '87502', modifier: 'QW', year: 2025, effective_date: '2025-01-01', indicator: 'N', rate: '95.8', short_description: 'CPT descriptor withheld 87502',
          long_description: 'CPT descriptor withheld 87502', extended_long_description: 'CPT descriptor withheld 87502',
        },
      ];
      expect(pick(loaded, 'G0328|', '80053|QW', 'G0327|', '0020M|', '87502|QW')).toEqual(expected);
      expect(hiddenSwaps(expected)).toEqual([]);
    });
  });
});
