/**
 * The CLFS read without a database: every column of chosen rows with its line from the csv, the
 * xlsx and the `~` txt of 25CLABQ1; one year per file; what is refused and how. Values are copied
 * by hand from the fixture lines quoted beside them.
 */
import { describe, expect, it } from 'vitest';
import { clfsRates } from '../../pipelines/clfs/rates.js';
import { CLFS_2025_Q1, CLFS_2025_Q1_CSV } from '../fee-schedules/support.js';
import { fixture } from '../support/fixtures.js';
import { editedMember, fields, fixtureMember, readMember, refusal, replacing, textMember } from './support.js';

const CSV = fixture('clfs', '25CLABQ1', CLFS_2025_Q1_CSV);
const TXT = fixture('clfs', '25CLABQ1', 'CLFS 2025 Q1V1.txt');
const csv = (...pairs: [string, string][]) => editedMember(CSV, replacing(...pairs));
const txt = (...pairs: [string, string][]) => editedMember(TXT, replacing(...pairs));
const cpt = (code: string) => `CPT descriptor withheld ${code}`;

describe('CLFS csv (9 columns)', () => {
  it('every column of chosen rows, with its line; nothing warned, no facts', async () => {
    const read = await readMember(clfsRates, await fixtureMember(CLFS_2025_Q1, CLFS_2025_Q1_CSV));
    expect(read.warnings).toEqual([]);
    expect(read.facts).toEqual({});
    expect(read.order).toHaveLength(24);
    const pick = (...keys: string[]) => keys.map((key) => read.rows.get(key));
    expect(pick('G0328|', '80053|QW', 'G0327|', '0020M|', '87502|QW', '0001U|')).toEqual([
      // line 23: 2025,G0328,,20250101,N,18.05,Fecal blood scrn immunoassay,"Colorectal cancer screening; fecal occult blood test, immunoassay, 1-3","… 1-3 simultaneous"
      {
        line: 23, hcpcs: 'G0328', modifier: '', year: '2025', effective_date: '2025-01-01', indicator: 'N', rate: '18.05', short_description: 'Fecal blood scrn immunoassay',
        long_description: 'Colorectal cancer screening; fecal occult blood test, immunoassay, 1-3',
        extended_long_description: 'Colorectal cancer screening; fecal occult blood test, immunoassay, 1-3 simultaneous',
      },
      // line 12: 2025,80053,QW,20250101,N,00010.56,…
      { line: 12, hcpcs: '80053', modifier: 'QW', year: '2025', effective_date: '2025-01-01', indicator: 'N', rate: '10.56', short_description: cpt('80053'), long_description: cpt('80053'), extended_long_description: cpt('80053') },
      // line 22: 2025,G0327,,20250101,L,0,Colon ca scrn;bld-bsd biomrk,Colorectal cancer screening; blood-based biomarker,…
      {
        line: 22, hcpcs: 'G0327', modifier: '', year: '2025', effective_date: '2025-01-01', indicator: 'L', rate: '0', short_description: 'Colon ca scrn;bld-bsd biomrk',
        long_description: 'Colorectal cancer screening; blood-based biomarker', extended_long_description: 'Colorectal cancer screening; blood-based biomarker',
      },
      // line 8: 2025,0020M,,20250101,L,00000.00,…
      { line: 8, hcpcs: '0020M', modifier: '', year: '2025', effective_date: '2025-01-01', indicator: 'L', rate: '0.00', short_description: cpt('0020M'), long_description: cpt('0020M'), extended_long_description: cpt('0020M') },
      // line 18: 2025,87502,QW,20250101,N,95.8,…
      { line: 18, hcpcs: '87502', modifier: 'QW', year: '2025', effective_date: '2025-01-01', indicator: 'N', rate: '95.8', short_description: cpt('87502'), long_description: cpt('87502'), extended_long_description: cpt('87502') },
      // line 6: 2025,0001U,,20250101,N,00720.00,…
      { line: 6, hcpcs: '0001U', modifier: '', year: '2025', effective_date: '2025-01-01', indicator: 'N', rate: '720.00', short_description: cpt('0001U'), long_description: cpt('0001U'), extended_long_description: cpt('0001U') },
    ]);
  });

  it('the xlsx beside it gives the same rows', async () => {
    const values = (read: Awaited<ReturnType<typeof readMember>>) => read.order.map((key) => ({ ...read.rows.get(key), line: undefined }));
    const fromCsv = await readMember(clfsRates, await fixtureMember(CLFS_2025_Q1, CLFS_2025_Q1_CSV));
    const fromXlsx = await readMember(clfsRates, await fixtureMember(CLFS_2025_Q1, 'CLFS 2025 Q1V1.xlsx'));
    expect(values(fromXlsx)).toEqual(values(fromCsv));
  });

  it('another effective date on one row is that row\'s own (only YEAR is one per file)', async () => {
    const read = await readMember(clfsRates, await csv(['2025,85025,,20250101,', '2025,85025,,20250401,']));
    expect(read.rows.get('85025|')).toMatchObject({ effective_date: '2025-04-01' });
    expect(read.rows.get('85025|QW')).toMatchObject({ effective_date: '2025-01-01' });
  });

  it.each([
    ['a second year', ['2025,85025,,', '2024,85025,,'], 14, 'YEAR', '2024', 'a second value in one file', '2025, as on line 6: one value per file'],
    ['a year of another century', ['2025,85025,,', '1925,85025,,'], 14, 'YEAR', '1925', 'a second value in one file', '2025, as on line 6: one value per file'],
    ['a code of four characters', ['2025,85025,,', '2025,8502,,'], 14, 'HCPCS', '8502', 'unexpected value', 'a 5-character HCPCS code'],
    ['a code with a character before it', ['2025,85025,,', '2025,X85025,,'], 14, 'HCPCS', 'X85025', 'unexpected value', 'a 5-character HCPCS code'],
    ['a code with a character after it', ['2025,85025,,', '2025,85025X,,'], 14, 'HCPCS', '85025X', 'unexpected value', 'a 5-character HCPCS code'],
    ['a code in lower case', ['2025,G0327,,', '2025,g0327,,'], 22, 'HCPCS', 'g0327', 'unexpected value', 'a 5-character HCPCS code'],
    ['a modifier of three characters', ['2025,85025,QW,', '2025,85025,QWX,'], 15, 'MOD', 'QWX', 'unexpected value', 'a 2-character modifier or blank'],
    ['a modifier in lower case', ['2025,85025,QW,', '2025,85025,qw,'], 15, 'MOD', 'qw', 'unexpected value', 'a 2-character modifier or blank'],
    ['a date that is not yyyymmdd', ['2025,85025,,20250101,', '2025,85025,,01/01/2025,'], 14, 'EFF_DATE', '01/01/2025', 'not a date', 'yyyymmdd, such as 20250101'],
    ['an unknown indicator', ['2025,85025,,20250101,N,', '2025,85025,,20250101,X,'], 14, 'INDICATOR', 'X', 'unknown code', 'one of N, L'],
    ['a blank indicator', ['2025,85025,,20250101,N,', '2025,85025,,20250101,,'], 14, 'INDICATOR', '', 'missing value', 'one of N, L'],
    ['a rate in dollars', [',N,00007.77,', ',N,$7.77,'], 14, 'RATE', '$7.77', 'not a number', 'a decimal number'],
    ['a blank rate', [',N,00007.77,', ',N,,'], 14, 'RATE', '', 'missing number', 'a decimal number'],
  ] as const)('%s is refused, naming line, column and value', async (_case, [from, to], line, column, value, problem, expected) => {
    expect(fields(await refusal(clfsRates, await csv([from, to])))).toEqual({ file: CLFS_2025_Q1_CSV, line, column, value, problem, expected });
  });

  it('a year of another shape on the first row is refused as such', async () => {
    for (const year of ['25', '12025', '20251', '1999']) {
      const error = await refusal(clfsRates, await csv(['\r\n2025,0001U,', `\r\n${year},0001U,`]));
      expect(fields(error)).toEqual({ file: CLFS_2025_Q1_CSV, line: 6, column: 'YEAR', value: year, problem: 'unexpected value', expected: 'a 4-digit year' });
    }
  });

  it('"YEAR" and "HCPCS" with spaces around them still start the header; a row of "YEAR" alone does not', async () => {
    const spaced = await readMember(clfsRates, await csv(['\r\nYEAR,HCPCS,', '\r\n YEAR , HCPCS ,']));
    expect(spaced.order).toHaveLength(24);
    const alone = await readMember(clfsRates, await csv(['\r\n,,,,,,,,\r\nYEAR,HCPCS,', '\r\nYEAR\r\nYEAR,HCPCS,']));
    expect(alone.order).toHaveLength(24);
    expect(alone.rows.get('0001U|')!.line).toBe(6);
  });

  it('a second column naming the year or the code in more words is unknown', async () => {
    for (const extra of ['OLD YEAR', 'YEAR 2', 'OLD HCPCS', 'HCPCS 2']) {
      const error = await refusal(clfsRates, await csv([',EXTENDED LONGDESC\r\n', `,EXTENDED LONGDESC,${extra}\r\n`]));
      expect(fields(error)).toMatchObject({ line: 5, problem: `unknown column "${extra}" (column 10)` });
    }
  });

  it('the header is found only where YEAR is followed by HCPCS', async () => {
    for (const header of ['YEAR,CODE,MOD', 'ANNEE,HCPCS,MOD']) {
      const error = await refusal(clfsRates, await csv(['YEAR,HCPCS,MOD', header]));
      expect(fields(error)).toEqual({
        file: CLFS_2025_Q1_CSV, line: undefined, column: undefined, value: undefined,
        problem: 'header row not found in the first 40 rows', expected: 'a header row starting "YEAR, HCPCS, MOD, EFF_DATE, INDICATOR, RATE"',
      });
    }
  });

  it('headers are matched whole: a word before or after one makes it unknown', async () => {
    const labels = ['MOD', 'EFF_DATE', 'INDICATOR', 'RATE', 'SHORTDESC', 'LONGDESC', 'EXTENDED LONGDESC'];
    for (const [offset, label] of labels.entries()) {
      const position = offset + 3;
      for (const wrap of [(cell: string) => `X ${cell}`, (cell: string) => `${cell} X`]) {
        const cells = 'YEAR,HCPCS,MOD,EFF_DATE,INDICATOR,RATE,SHORTDESC,LONGDESC,EXTENDED LONGDESC'.split(',');
        cells[position - 1] = wrap(cells[position - 1]!);
        const error = await refusal(clfsRates, await csv(['YEAR,HCPCS,MOD,EFF_DATE,INDICATOR,RATE,SHORTDESC,LONGDESC,EXTENDED LONGDESC', cells.join(',')]));
        expect(error.problem).toBe(`unknown column "${wrap(label)}" (column ${position}); missing ${label}`);
      }
    }
  });

  it('a header of no known layout names the layout and its columns', async () => {
    const error = await refusal(clfsRates, await csv([',LONGDESC,EXTENDED LONGDESC\r\n', ',LONGDESC\r\n']));
    expect(fields(error)).toMatchObject({
      line: 5,
      problem: 'the columns match no known layout (closest: CLFS (9 columns); missing EXTENDED LONGDESC)',
      expected: 'CLFS (9 columns): YEAR | HCPCS | MOD | EFF_DATE | INDICATOR | RATE | SHORTDESC | LONGDESC | EXTENDED LONGDESC',
    });
  });
});

describe('CLFS txt (~-delimited, 7 fields, no header of its own)', () => {
  it('every field of chosen records with its line; no long descriptors', async () => {
    const read = await readMember(clfsRates, await fixtureMember(TXT));
    expect(read.order).toHaveLength(24);
    expect([read.rows.get('0001U|'), read.rows.get('80053|QW'), read.rows.get('82233|')]).toEqual([
      // line 3: 2025~0001U~  ~20250101~N~00720.00~CPT descriptor withheld 0001U<spaces>
      { line: 3, hcpcs: '0001U', modifier: '', year: '2025', effective_date: '2025-01-01', indicator: 'N', rate: '720.00', short_description: cpt('0001U'), long_description: null, extended_long_description: null },
      // line 9: 2025~80053~QW~20250101~N~00010.56~…
      { line: 9, hcpcs: '80053', modifier: 'QW', year: '2025', effective_date: '2025-01-01', indicator: 'N', rate: '10.56', short_description: cpt('80053'), long_description: null, extended_long_description: null },
      // line 10: 2025~82233~  ~20250101~L~00000.00~…
      { line: 10, hcpcs: '82233', modifier: '', year: '2025', effective_date: '2025-01-01', indicator: 'L', rate: '0.00', short_description: cpt('82233'), long_description: null, extended_long_description: null },
    ]);
  });

  it('a line of spaces before the first record is blank: the header the txt lacks is placed on the first record', async () => {
    const file = await txt(['\r\n2025~0001U~', '\r\n   \r\n2025~0001U~'], ['2025~36415~  ~20250101~N~00009.09~CPT descriptor withheld 36415           ', '2025~36415~  ~20250101~N~00009.09']);
    expect(fields(await refusal(clfsRates, file))).toMatchObject({ line: 8, problem: 'a short row: 6 values', expected: '7 values, one per column of the header on line 4' });
  });

  it('a blank line among the records is skipped', async () => {
    const read = await readMember(clfsRates, await txt(['\r\n2025~36415~', '\r\n\r\n2025~36415~']));
    expect(read.order).toHaveLength(24);
    expect(read.rows.get('36415|')!.line).toBe(8);
  });

  it('a record with an unknown indicator is refused at its line, under the csv\'s column name', async () => {
    const error = await refusal(clfsRates, await txt(['2025~82233~  ~20250101~L~', '2025~82233~  ~20250101~X~']));
    expect(fields(error)).toEqual({ file: 'CLFS 2025 Q1V1.txt', line: 10, column: 'INDICATOR', value: 'X', problem: 'unknown code', expected: 'one of N, L' });
  });

  it('a record with a field too many is refused as a value without a header', async () => {
    const error = await refusal(clfsRates, await txt(['2025~36415~  ~20250101~N~00009.09~CPT descriptor withheld 36415           ', '2025~36415~  ~20250101~N~00009.09~CPT descriptor withheld 36415~extra']));
    expect(fields(error)).toMatchObject({ line: 7, column: '#8', value: 'extra', problem: 'a value in a column without a header' });
  });

  it('a record with a field too few is refused as a short row', async () => {
    const error = await refusal(clfsRates, await txt(['2025~36415~  ~20250101~N~00009.09~CPT descriptor withheld 36415           ', '2025~36415~  ~20250101~N~00009.09']));
    expect(fields(error)).toMatchObject({ line: 7, value: '6 values', problem: 'a short row: 6 values', expected: '7 values, one per column of the header on line 3' });
  });

  it('only HDR lines: the header it lacks is placed on the last line, and no data rows follow', async () => {
    const error = await refusal(clfsRates, textMember('CLFS 2025 Q1V1.txt', 'HDR~one\r\nHDR~two\r\n'));
    expect(fields(error)).toMatchObject({ line: 2, problem: 'no data rows: the header on line 2 is followed by none' });
  });

  it('an empty txt is refused as empty', async () => {
    const error = await refusal(clfsRates, textMember('CLFS 2025 Q1V1.txt', ''));
    expect(fields(error)).toMatchObject({
      problem: 'empty file (0 bytes)',
      expected: 'a header row starting "HDR~" lines, then records YEAR~HCPCS~MOD~EFF_DATE~INDICATOR~RATE~SHORTDESC, then the data rows',
    });
  });
});
