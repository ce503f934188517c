/**
 * Every column of the HCPCS code and modifier tables, checked against the file: the 2020 annual
 * ANWEB txt (fixed width, read by position; loaded from the real 2020 zip) and the October 2025
 * ANWEB workbook (read by header; loaded alone). The expected rows are copied by hand from the
 * records quoted above them (txt: `HCPC|SEQNUM|RECID|…` fields split at the record layout's
 * positions). `hiddenSwaps` checks that the chosen rows tell every two columns apart.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importRelease } from '../../src/index.js';
import { hiddenSwaps, loadedRows, pick } from '../support/columns.js';
import { backends, openTestDatabase, type TestDatabase } from '../support/db.js';
import { fixture } from '../support/fixtures.js';

const CODE_BLANKS = {
  pricing_ind: null, mult_pricing_ind: null, cim: null, mcm: null, statute: null, lab_cert: null, xref: null, coverage: null,
  asc_group: null, asc_date: null, opps: null, opps_pi: null, opps_date: null, proc_note: null, betos: null, tos: null,
  anes_base_units: null, add_date: null, action_effective_date: null, termination_date: null,
};
const MODIFIER_BLANKS = {
  cim: null, mcm: null, statute: null, xref: null, coverage: null, proc_note: null, add_date: null, action_effective_date: null, termination_date: null,
};

describe.each(backends)('every HCPCS column against the file, on %s', (backend) => {
  let test: TestDatabase;
  const releases: Record<'txt2020' | 'xlsx2025', number | string> = { txt2020: 0, xlsx2025: 0 };
  beforeAll(async () => {
    test = await openTestDatabase(backend);
    releases.txt2020 = (await importRelease(test.database, fixture('hcpcs', '2020-Alpha-Numeric-HCPCS-File.zip'))).releaseId;
    releases.xlsx2025 = (await importRelease(test.database, fixture('hcpcs', '2025-oct', 'HCPC2025_OCT_ANWEB.xlsx'))).releaseId;
  });
  afterAll(() => test?.close());

  it('codes from the 2020 txt (HCPC2020_ANWEB_w_disclaimer.txt)', async () => {
    const expected = [
      // A9590|00100|3|Iodine i-131, iobenguane, 1 millicurie|Iodine i-131 iobenguane 1mci|51|||| A |…| COV C | ASC_GRP YY | ASC_DT 20200101 |…| BETOS I1E | TOS1 4 | ANEST_BU   0 | 20200101 | 20200101 | | A
      {
        ...CODE_BLANKS, hcpcs: 'A9590', long_description: 'Iodine i-131, iobenguane, 1 millicurie', short_description: 'Iodine i-131 iobenguane 1mci',
        pricing_ind: ['51'], mult_pricing_ind: 'A', coverage: 'C', asc_group: 'YY', asc_date: '2020-01-01', betos: 'I1E', tos: ['4'],
        anes_base_units: '0', add_date: '2020-01-01', action_effective_date: '2020-01-01', action_code: 'A',
      },
      // C9035|00100|3|Injection, aripiprazole lauroxil (aristada initio), 1 mg|Injection, aristada initio|53|||| A | STATUTE 1833(t) | COV D | BETOS O1E | TOS 9 F | 0 | 20190101 | 20191001 | 20190930 | D
      {
        ...CODE_BLANKS, hcpcs: 'C9035', long_description: 'Injection, aripiprazole lauroxil (aristada initio), 1 mg', short_description: 'Injection, aristada initio',
        pricing_ind: ['53'], mult_pricing_ind: 'A', statute: '1833(t)', coverage: 'D', betos: 'O1E', tos: ['9', 'F'], anes_base_units: '0',
        add_date: '2019-01-01', action_effective_date: '2019-10-01', termination_date: '2019-09-30', action_code: 'D',
      },
      // E0210|00100|3|Electric heat pad, standard|Electric heat pad standard|32|||| A | CIM1 60-9 | COV D | BETOS D1E | TOS A L P R | 0 | 19860101 | 20030101 | | N
      {
        ...CODE_BLANKS, hcpcs: 'E0210', long_description: 'Electric heat pad, standard', short_description: 'Electric heat pad standard',
        pricing_ind: ['32'], mult_pricing_ind: 'A', cim: ['60-9'], coverage: 'D', betos: 'D1E', tos: ['A', 'L', 'P', 'R'], anes_base_units: '0',
        add_date: '1986-01-01', action_effective_date: '2003-01-01', action_code: 'N',
      },
      // A6531|00100|3|Gradient compression stocking, below knee, 30-40 mmhg, each|Compression stocking bk30-40|35|||| A | MCM1 2079 | COV D | PROCNOTE 0072 | BETOS D1A | TOS P S | 0 | 20060101 | 20060101 | | N
      {
        ...CODE_BLANKS, hcpcs: 'A6531', long_description: 'Gradient compression stocking, below knee, 30-40 mmhg, each', short_description: 'Compression stocking bk30-40',
        pricing_ind: ['35'], mult_pricing_ind: 'A', mcm: ['2079'], coverage: 'D', proc_note: '0072', betos: 'D1A', tos: ['P', 'S'], anes_base_units: '0',
        add_date: '2006-01-01', action_effective_date: '2006-01-01', action_code: 'N',
      },
      // A0021|00100|3|Ambulance service, outside state per mile, transport (medicaid only)|Outside state ambulance serv|00|||| 9 | XREF1 A0030 | COV I | BETOS O1A | TOS D | 0 | 19850101 | 19960910 | | N
      {
        ...CODE_BLANKS, hcpcs: 'A0021', long_description: 'Ambulance service, outside state per mile, transport (medicaid only)', short_description: 'Outside state ambulance serv',
        pricing_ind: ['00'], mult_pricing_ind: '9', xref: ['A0030'], coverage: 'I', betos: 'O1A', tos: ['D'], anes_base_units: '0',
        add_date: '1985-01-01', action_effective_date: '1996-09-10', action_code: 'N',
      },
      // G0124|00100|3|Screening cytopathology, … collected| + 00200|4|in preservative fluid, … requiring| + 00300|4|interpretation by physician|
      //   Screen c/v thin layer by md|11|21||| C | CIM1 50-20 | LABCERT1 630 | COV D | PROCNOTE 0045 | BETOS T1H | TOS 5 | 0 | 19980401 | 19980401 | | N
      {
        ...CODE_BLANKS, hcpcs: 'G0124',
        long_description: 'Screening cytopathology, cervical or vaginal (any reporting system), collected in preservative fluid, automated thin layer preparation, requiring interpretation by physician',
        short_description: 'Screen c/v thin layer by md', pricing_ind: ['11', '21'], mult_pricing_ind: 'C', cim: ['50-20'], lab_cert: ['630'], coverage: 'D',
        proc_note: '0045', betos: 'T1H', tos: ['5'], anes_base_units: '0', add_date: '1998-04-01', action_effective_date: '1998-04-01', action_code: 'N',
      },
    ];
    expect(hiddenSwaps(expected)).toEqual([]);
    const rows = await loadedRows(test.database, 'hcpcs_code', releases.txt2020, ['hcpcs']);
    expect(pick(rows, 'A9590', 'C9035', 'E0210', 'A6531', 'A0021', 'G0124')).toEqual(expected);
  });

  it('modifiers from the 2020 txt', async () => {
    const expected = [
      // "   QS"|00100|7|Monitored anesthesia care service|Monitored anesthesia care| CIM1 15018I | COV D | 19900101 | 19960701 | | N
      { ...MODIFIER_BLANKS, modifier: 'QS', long_description: 'Monitored anesthesia care service', short_description: 'Monitored anesthesia care', cim: ['15018I'], coverage: 'D', add_date: '1990-01-01', action_effective_date: '1996-07-01', action_code: 'N' },
      // "   AA"|00100|7|Anesthesia services performed personally by anesthesiologist|Anesthesia perf by anesgst| MCM1 3350.5 | COV D | 19840101 | 20010101 | | N
      { ...MODIFIER_BLANKS, modifier: 'AA', long_description: 'Anesthesia services performed personally by anesthesiologist', short_description: 'Anesthesia perf by anesgst', mcm: ['3350.5'], coverage: 'D', add_date: '1984-01-01', action_effective_date: '2001-01-01', action_code: 'N' },
      // "   GD"|00100|7|Units of service exceeds medically unlikely edit value and represents| + 00200|8|reasonable and necessary services|
      //   Unit of service > mue value| COV C | 20080101 | 20200101 | 20191231 | D
      {
        ...MODIFIER_BLANKS, modifier: 'GD', long_description: 'Units of service exceeds medically unlikely edit value and represents reasonable and necessary services',
        short_description: 'Unit of service > mue value', coverage: 'C', add_date: '2008-01-01', action_effective_date: '2020-01-01', termination_date: '2019-12-31', action_code: 'D',
      },
    ];
    expect(hiddenSwaps(expected)).toEqual([]);
    const rows = await loadedRows(test.database, 'hcpcs_modifier', releases.txt2020, ['modifier']);
    expect(pick(rows, 'QS', 'AA', 'GD')).toEqual(expected);
  });

  it('codes and modifiers from the October 2025 workbook (HCPC2025_OCT_ANWEB.xlsx, read by header)', async () => {
    const codes = [
      // C1742 | 0010 | 3 | Pressure monitoring system, … software application | Pressure sens syst, cont im | 53 | … | A | STATUTE 1833(t) | COV D | ASC_GRP YY | ASC_DT 20251001 | BETOS D1A | TOS1 2 (a number cell) | "  0" | 20251001 | 20251001 | | A
      {
        ...CODE_BLANKS, hcpcs: 'C1742',
        long_description: 'Pressure monitoring system, compartmental intramuscular (implantable), continuous, including all components (e.g., introducer, sensor), excludes mobile (wireless) software application',
        short_description: 'Pressure sens syst, cont im', pricing_ind: ['53'], mult_pricing_ind: 'A', statute: '1833(t)', coverage: 'D', asc_group: 'YY', asc_date: '2025-10-01',
        betos: 'D1A', tos: ['2'], anes_base_units: '0', add_date: '2025-10-01', action_effective_date: '2025-10-01', action_code: 'A',
      },
      // C9088 | … | Instillation, bupivacaine and meloxicam, 1 mg/0.03 mg | Instill, bupivac and meloxic | 53 | A | 1833(t) | D | O1E | 9 F | "  0" | 20220101 | 20251001 | 20250930 (a number cell) | D
      {
        ...CODE_BLANKS, hcpcs: 'C9088', long_description: 'Instillation, bupivacaine and meloxicam, 1 mg/0.03 mg', short_description: 'Instill, bupivac and meloxic',
        pricing_ind: ['53'], mult_pricing_ind: 'A', statute: '1833(t)', coverage: 'D', betos: 'O1E', tos: ['9', 'F'], anes_base_units: '0',
        add_date: '2022-01-01', action_effective_date: '2025-10-01', termination_date: '2025-09-30', action_code: 'D',
      },
      // G0124 | … | 11 | 21 | | | C | 50-20 | … | 630 | … | D | | | | | | 0045 | T1H | 5 | "  0" | 19980401 | 19980401 | | N
      {
        ...CODE_BLANKS, hcpcs: 'G0124',
        long_description: 'Screening cytopathology, cervical or vaginal (any reporting system), collected in preservative fluid, automated thin layer preparation, requiring interpretation by physician',
        short_description: 'Screen c/v thin layer by md', pricing_ind: ['11', '21'], mult_pricing_ind: 'C', cim: ['50-20'], lab_cert: ['630'], coverage: 'D',
        proc_note: '0045', betos: 'T1H', tos: ['5'], anes_base_units: '0', add_date: '1998-04-01', action_effective_date: '1998-04-01', action_code: 'N',
      },
      // A0021 | … | 00 | 9 | XREF1 A0030 | I | O1A | D | "  0" | 19850101 | 19960910 | | N
      {
        ...CODE_BLANKS, hcpcs: 'A0021', long_description: 'Ambulance service, outside state per mile, transport (medicaid only)', short_description: 'Outside state ambulance serv',
        pricing_ind: ['00'], mult_pricing_ind: '9', xref: ['A0030'], coverage: 'I', betos: 'O1A', tos: ['D'], anes_base_units: '0',
        add_date: '1985-01-01', action_effective_date: '1996-09-10', action_code: 'N',
      },
      // J7518 is in both excerpts: MCM1-3 2050.5 4471 5249 | D | O1E | 1 G | 20050101 | 20050101 | | N
    ];
    const modifiers = [
      // "   QS" | 0010 | 7 | Monitored anesthesia care service | Monitored anesthesia care | CIM1 15018I | D | 19900101 | 19960701 | | N
      { ...MODIFIER_BLANKS, modifier: 'QS', long_description: 'Monitored anesthesia care service', short_description: 'Monitored anesthesia care', cim: ['15018I'], coverage: 'D', add_date: '1990-01-01', action_effective_date: '1996-07-01', action_code: 'N' },
      // "   AA" | 0010 | 7 | … | MCM1 3350.5 | D | 19840101 | 20010101 | | N
      { ...MODIFIER_BLANKS, modifier: 'AA', long_description: 'Anesthesia services performed personally by anesthesiologist', short_description: 'Anesthesia perf by anesgst', mcm: ['3350.5'], coverage: 'D', add_date: '1984-01-01', action_effective_date: '2001-01-01', action_code: 'N' },
      // "   CP" | 0010 | 7 | Adjunctive service … on a different claim | C-apc adjunctive service | C | 20160101 | 20180101 | 20171231 | N
      {
        ...MODIFIER_BLANKS, modifier: 'CP',
        long_description: 'Adjunctive service related to a procedure assigned to a comprehensive ambulatory payment classification (c-apc) procedure, but reported on a different claim',
        short_description: 'C-apc adjunctive service', coverage: 'C', add_date: '2016-01-01', action_effective_date: '2018-01-01', termination_date: '2017-12-31', action_code: 'N',
      },
    ];
    expect(hiddenSwaps(codes)).toEqual([]);
    expect(hiddenSwaps(modifiers)).toEqual([]);
    expect(pick(await loadedRows(test.database, 'hcpcs_code', releases.xlsx2025, ['hcpcs']), 'C1742', 'C9088', 'G0124', 'A0021')).toEqual(codes);
    expect(pick(await loadedRows(test.database, 'hcpcs_modifier', releases.xlsx2025, ['modifier']), 'QS', 'AA', 'CP')).toEqual(modifiers);
  });
});
