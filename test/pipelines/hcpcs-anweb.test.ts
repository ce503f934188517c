/**
 * The ANWEB records of real CMS files, each rule of the txt reader (txt.ts), the grouping of
 * continuations (group.ts) and the normalizer (normalize.ts) broken on its own, with the exact
 * error a user gets. Records are lines of the 2020 excerpt (fixtures/hcpcs/2020/) and of
 * `fixtures/hcpcs/variants/anweb-2020-leading-space.txt` (three more real 2020 codes), edited by
 * position where a test needs a value CMS did not write. No database.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as XLSX from 'xlsx';
import { readAnwebEntries } from '../../pipelines/hcpcs/datasets.js';
import { groupRecords, joinDescription } from '../../pipelines/hcpcs/group.js';
import { hcpcsCodeDataset, hcpcsModifierDataset } from '../../pipelines/hcpcs/index.js';
import type { AnwebRecord } from '../../pipelines/hcpcs/record.js';
import type { Dataset } from '../../src/pipeline.js';
import { fixturePath, memberFromBytes, readAll, testContext } from '../hcpcs/support.js';
import { inputErrorOf } from './pfs-support.js';

const EXCERPT = readFileSync(fixturePath('2020/HCPC2020_ANWEB_w_disclaimer.txt'), 'latin1').split('\r\n');
const LEADING_SPACE = 'variants/anweb-2020-leading-space.txt';
const NAME = 'HCPC2020_ANWEB_w_disclaimer.txt';

/** The excerpt's record of `code` (right-justified for a modifier) with SEQNUM `seq`. */
function record(code: string, seq = '00100'): string {
  const line = EXCERPT.find((text) => text.startsWith(`${code.padStart(5)}${seq}`));
  if (line === undefined) throw new Error(`no record ${code} ${seq} in the excerpt`);
  return line;
}

/** `value` written over a line from 1-based position `start` (a short line is padded first). */
function put(line: string, start: number, value: string): string {
  const padded = line.padEnd(start - 1 + value.length, ' ');
  return padded.slice(0, start - 1) + value + padded.slice(start - 1 + value.length);
}

/** Blank positions `start`-`end` of a line. */
function blank(line: string, start: number, end: number): string {
  return put(line, start, ' '.repeat(end - start + 1));
}

/** A txt member of these lines, CRLF as CMS writes it. */
function txt(...lines: string[]) {
  return memberFromBytes(NAME, Buffer.from(`${lines.join('\r\n')}\r\n`, 'latin1'));
}

async function rows(dataset: Dataset, ...lines: string[]) {
  return (await readAll(dataset, txt(...lines))).map((row) => row.values);
}

async function failure(dataset: Dataset, ...lines: string[]) {
  const error = await inputErrorOf(readAll(dataset, txt(...lines)));
  return { problem: error.problem, file: error.file, line: error.line, column: error.column, value: error.value, expected: error.expected };
}

const A0021 = record('A0021');
const QS = record('QS');

describe('txt reader (txt.ts)', () => {
  it("keeps a continuation's leading space: G0501 and G9678 of 2020 read with CMS's double space", async () => {
    const file = memberFromBytes(LEADING_SPACE, readFileSync(fixturePath(LEADING_SPACE)));
    const codes = new Map((await readAll(hcpcsCodeDataset, file)).map((row) => [row.values.hcpcs, row.values]));
    expect(codes.get('G0501')?.long_description).toBe(
      'Resource-intensive services for patients for whom the use of specialized mobility-assistive technology ' +
        '(such as adjustable height chairs or tables, patient lift, and adjustable padded leg supports) is medically ' +
        'necessary and used during the provision of an office/outpatient, evaluation and management  visit (list ' +
        'separately in addition to primary service)',
    );
    expect(codes.get('G9678')?.long_description).toBe(
      'Oncology care model (ocm) monthly enhanced oncology services (meos) payment for  ocm enhanced services.  ' +
        'g9678 payments may only be made to ocm practitioners for ocm beneficiaries for the furnishment of enhanced ' +
        'services as defined in the ocm participation agreement',
    );
    // A0130 is one of the 115 codes of 2020 without an action effective date.
    expect(codes.get('A0130')).toMatchObject({ add_date: '1982-01-01', action_effective_date: null, action_code: 'N' });
  });

  it('gives each entry the lines of its continuation records', async () => {
    const file = memberFromBytes(LEADING_SPACE, readFileSync(fixturePath(LEADING_SPACE)));
    const entries = [];
    for await (const entry of readAnwebEntries(file, testContext(file))) {
      entries.push({ code: entry.first.raw('HCPC'), line: entry.first.line, continuations: entry.continuationLines });
    }
    expect(entries).toEqual([
      { code: 'A0130', line: 1, continuations: [] },
      { code: 'G0501', line: 2, continuations: [3, 4, 5, 6] },
      { code: 'G9678', line: 7, continuations: [8, 9, 10] },
    ]);
  });

  it('passes over a line of blanks between records', async () => {
    const codes = await rows(hcpcsCodeDataset, A0021, ' '.repeat(40), record('A4226'), record('A4226', '00200'));
    expect(codes.map((row) => row.hcpcs)).toEqual(['A0021', 'A4226']);
  });

  it('names a line between records, cut to 60 characters, and the record after it', async () => {
    const ruled = (length: number) => failure(hcpcsCodeDataset, A0021, '-'.repeat(length), record('A4226'));
    expect(await ruled(61)).toEqual({
      problem: 'a line that is not a code record, between code records',
      file: NAME,
      line: 2,
      column: undefined,
      value: `${'-'.repeat(60)}…`,
      expected: 'a record: code, 5-digit sequence number and record id, as on line 3',
    });
    expect((await ruled(60)).value).toBe('-'.repeat(60));
    expect((await ruled(12)).value).toBe('-'.repeat(12));
  });

  it('fails on a file of prose only, saying what a record looks like', async () => {
    expect(await failure(hcpcsCodeDataset, EXCERPT[0]!, EXCERPT[1]!)).toEqual({
      problem: 'no code records found',
      file: NAME,
      line: undefined,
      column: undefined,
      value: undefined,
      expected: '320-character records: code (5), sequence number (5 digits), record id 3, 4, 7 or 8',
    });
  });

  it('fails on a first record of a code or a modifier that is not 320 characters', async () => {
    expect(await failure(hcpcsCodeDataset, A0021.slice(0, 293))).toMatchObject({
      problem: 'a record of the wrong length',
      line: 1,
      value: '293 characters',
      expected: '320 characters for a first record (record id 3)',
    });
    expect(await failure(hcpcsModifierDataset, QS.slice(0, 300))).toMatchObject({
      problem: 'a record of the wrong length',
      line: 1,
      value: '300 characters',
      expected: '320 characters for a first record (record id 7)',
    });
  });

  it('fails on a modifier continuation longer than 320 characters', async () => {
    expect(await failure(hcpcsModifierDataset, record('GA'), record('GA', '00200').padEnd(321, ' '))).toEqual({
      problem: 'a record of the wrong length',
      file: NAME,
      line: 2,
      column: undefined,
      value: '321 characters',
      expected: '91 to 320 characters for a continuation record',
    });
  });

  it('reports an unknown record id as such, whatever the length of its line', async () => {
    expect(await failure(hcpcsCodeDataset, A0021, put(record('A4226'), 11, '5').padEnd(321, ' '))).toEqual({
      problem: 'unknown record id',
      file: NAME,
      line: 2,
      column: 'RECID (pos 11)',
      value: '5',
      expected: 'one of 3, 4, 7, 8',
    });
  });

  it('fails on a value in either filler (the layout moved)', async () => {
    expect(await failure(hcpcsCodeDataset, put(A0021, 260, 'X'))).toEqual({
      problem: 'a value outside every field of the record layout',
      file: NAME,
      line: 1,
      column: 'FILLER_260 (pos 260)',
      value: 'X',
      expected: 'blank (the layout may have moved)',
    });
    expect(await failure(hcpcsCodeDataset, put(A0021, 320, '9'))).toMatchObject({ column: 'FILLER_294 (pos 294-320)', value: `${' '.repeat(26)}9` });
  });
});

describe('continuations (group.ts)', () => {
  it('right-strips each segment, drops blank ones and joins with one space; leading spaces stay', () => {
    expect(joinDescription(['payment for', ' ocm enhanced services.  ', '   ', '', 'the ocm participation agreement   '])).toBe(
      'payment for  ocm enhanced services. the ocm participation agreement',
    );
    expect(joinDescription(['', '  '])).toBe('');
  });

  it('makes no entry of no records (a workbook with only its header)', async () => {
    async function* noRecords(): AsyncGenerator<AnwebRecord> {}
    const entries = [];
    for await (const entry of groupRecords(noRecords(), NAME)) entries.push(entry);
    expect(entries).toEqual([]);
  });

  it('fails on a code continuation after a modifier of the same code', async () => {
    expect(await failure(hcpcsModifierDataset, record('GA'), put(record('GA', '00200'), 11, '4'))).toEqual({
      problem: 'a continuation record without its first record',
      file: NAME,
      line: 2,
      column: 'HCPC (pos 1-5)',
      value: 'GA 00200 4',
      expected: 'a continuation of GA (line 1) with record id 8, or a first record (3 or 7)',
    });
  });

  it('fails on a continuation whose SEQNUM repeats the one before', async () => {
    const G0124 = [record('G0124'), record('G0124', '00200'), record('G0124', '00300')];
    expect(await failure(hcpcsCodeDataset, G0124[0]!, G0124[1]!, put(G0124[2]!, 6, '00200'))).toEqual({
      problem: 'sequence number out of order',
      file: NAME,
      line: 3,
      column: 'SEQNUM (pos 6-10)',
      value: '00200',
      expected: 'a number above 00200, the previous record of G0124',
    });
  });

  it('fails on a continuation that carries more than the long description', async () => {
    expect(await failure(hcpcsCodeDataset, record('A4226'), put(record('A4226', '00200'), 293, 'N'))).toEqual({
      problem: 'a value in a continuation record',
      file: NAME,
      line: 2,
      column: 'ACTION_CD (pos 293)',
      value: 'N',
      expected: 'blank: continuations carry only the long description',
    });
  });

  it('fails on a workbook SEQNUM that is not a sequence number', async () => {
    const XLSX_2025 = '2025-oct/HCPC2025_OCT_ANWEB.xlsx';
    const book = XLSX.read(readFileSync(fixturePath(XLSX_2025)));
    const cells = XLSX.utils.sheet_to_json<unknown[]>(book.Sheets[book.SheetNames[0]!]!, { header: 1, raw: false, defval: '' });
    const at = cells.findIndex((row) => String(row[0]).trim() === 'A0021');
    cells[at]![1] = '1A';
    const sheet = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(sheet, XLSX.utils.aoa_to_sheet(cells), 'HCPC2025_OCT_ANWEB');
    const file = memberFromBytes(XLSX_2025, XLSX.write(sheet, { type: 'buffer', bookType: 'xlsx' }) as Buffer);
    const error = await inputErrorOf(readAll(hcpcsCodeDataset, file));
    expect(error).toMatchObject({
      problem: 'not a sequence number',
      file: XLSX_2025,
      line: at + 1,
      column: 'SEQNUM',
      value: '1A',
      expected: 'a sequence number (00100 in txt, 0010 in xlsx)',
    });
  });
});

describe('code records (normalize.ts)', () => {
  it('reads blank optional fields as NULL', async () => {
    // A0021 as CMS wrote it, then with MULT_PI, COV, BETOS, ANEST_BU and ADD_DT blanked.
    expect((await rows(hcpcsCodeDataset, A0021))[0]).toMatchObject({
      mult_pricing_ind: '9',
      coverage: 'I',
      betos: 'O1A',
      tos: ['D'],
      anes_base_units: '0',
      add_date: '1985-01-01',
      action_effective_date: '1996-09-10',
    });
    let edited = blank(A0021, 128, 128);
    for (const [start, end] of [[230, 230], [257, 259], [266, 268], [269, 276]] as const) edited = blank(edited, start, end);
    expect((await rows(hcpcsCodeDataset, edited))[0]).toMatchObject({
      hcpcs: 'A0021',
      mult_pricing_ind: null,
      coverage: null,
      betos: null,
      anes_base_units: null,
      add_date: null,
      action_effective_date: '1996-09-10',
    });
  });

  it('reads base units without their padding (`  0` → `0`, ` 15` → `15`)', async () => {
    expect((await rows(hcpcsCodeDataset, put(A0021, 266, ' 15')))[0]?.anes_base_units).toBe('15');
    expect(await failure(hcpcsCodeDataset, put(A0021, 266, '1.5'))).toMatchObject({
      problem: 'unexpected value',
      column: 'ANEST_BU (pos 266-268)',
      value: '1.5',
      expected: 'a whole number of base units',
    });
  });

  it.each([
    ['HCPC', 1, 5, 'a letter and 4 digits (A0021)'],
    ['LONG_DESCRIPTION', 12, 91, 'a description'],
    ['SHORT_DESCRIPTION', 92, 119, 'a short description'],
  ])('fails on a missing %s', async (field, start, end, expected) => {
    expect(await failure(hcpcsCodeDataset, blank(A0021, start, end))).toEqual({
      problem: 'missing value',
      file: NAME,
      line: 1,
      column: `${field} (pos ${start}-${end})`,
      value: '',
      expected,
    });
  });

  // cms-formats.md §3, PRICE; 12 and 40 are later additions (40 is in Oct 2025).
  it.each(['00', '11', '12', '13', '21', '22', '31', '32', '33', '34', '35', '36', '37', '38', '39', '40', '45', '46', '51', '52', '53', '54', '55', '56', '57', '99'])(
    'accepts pricing indicator %s',
    async (code) => {
      expect((await rows(hcpcsCodeDataset, put(A0021, 120, code)))[0]?.pricing_ind).toEqual([code]);
    },
  );

  it.each(['01', '10', '14', '20', '23', '30', '41', '44', '47', '50', '58', '98'])('refuses pricing indicator %s', async (code) => {
    expect(await failure(hcpcsCodeDataset, put(A0021, 124, code))).toMatchObject({
      problem: 'unknown code',
      column: 'PRICE3 (pos 124-125)',
      value: code,
      expected: 'one of 00, 11, 12, 13, 21, 22, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 45, 46, 51, 52, 53, 54, 55, 56, 57, 99',
    });
  });

  it('keeps pricing indicators in field order, skipping a blank one (as C9248 of Oct 2025: 53, blank, 11)', async () => {
    expect((await rows(hcpcsCodeDataset, put(put(A0021, 120, '53  11'), 126, '99')))[0]?.pricing_ind).toEqual(['53', '11', '99']);
  });

  it.each(['C', 'D', 'I', 'M', 'S'])('accepts coverage code %s', async (code) => {
    expect((await rows(hcpcsCodeDataset, put(A0021, 230, code)))[0]?.coverage).toBe(code);
  });

  it.each(['A', 'N', 'Y'])('refuses coverage code %s', async (code) => {
    expect(await failure(hcpcsCodeDataset, put(A0021, 230, code))).toMatchObject({
      problem: 'unknown code',
      column: 'COV (pos 230)',
      expected: 'one of C, D, I, M, S',
    });
  });

  it.each(['A', 'B', 'C', 'D', 'F', 'N', 'P', 'R', 'S', 'T'])('accepts action code %s', async (code) => {
    expect((await rows(hcpcsCodeDataset, put(A0021, 293, code)))[0]?.action_code).toBe(code);
  });

  it.each(['E', 'G', 'X'])('refuses action code %s', async (code) => {
    expect(await failure(hcpcsCodeDataset, put(A0021, 293, code))).toMatchObject({
      problem: 'unknown code',
      column: 'ACTION_CD (pos 293)',
      value: code,
      expected: 'one of A, B, C, D, F, N, P, R, S, T',
    });
  });

  it.each(['9', 'A', 'B', 'C', 'D', 'E', 'F', 'G'])('accepts multiple pricing indicator %s', async (code) => {
    expect((await rows(hcpcsCodeDataset, put(A0021, 128, code)))[0]?.mult_pricing_ind).toBe(code);
  });

  it('refuses multiple pricing indicators 1 and H, an ASC group other than YY', async () => {
    for (const code of ['1', 'H']) {
      expect(await failure(hcpcsCodeDataset, put(A0021, 128, code))).toMatchObject({ column: 'MULT_PI (pos 128)', value: code, expected: 'one of 9, A, B, C, D, E, F, G' });
    }
    expect(await failure(hcpcsCodeDataset, put(A0021, 231, 'Y1'))).toMatchObject({ column: 'ASC_GRP (pos 231-232)', value: 'Y1', expected: 'one of YY' });
  });

  it.each([
    ['LABCERT1', 181, '63', 'LABCERT1 (pos 181-183)', 'a 3-digit lab certification code'],
    ['XREF3', 215, 'A', 'XREF3 (pos 215-219)', 'a code or modifier (J0202, 99406, QM)'],
    ['XREF2', 210, 'j0202', 'XREF2 (pos 210-214)', 'a code or modifier (J0202, 99406, QM)'],
    ['PROCNOTE', 253, '45', 'PROCNOTE (pos 253-256)', 'a 4-digit procedure note number'],
    ['BETOS', 257, '1HT', 'BETOS (pos 257-259)', 'a BETOS code (D1F, Z2)'],
    ['TOS2', 262, '*', 'TOS2 (pos 262)', 'a one-character type of service'],
  ])('fails on a malformed %s', async (_field, start, value, column, expected) => {
    expect(await failure(hcpcsCodeDataset, put(A0021, start, value))).toMatchObject({ problem: 'unexpected value', column, value, expected });
  });
});

describe('modifier records (normalize.ts)', () => {
  it('reads blank optional fields as NULL', async () => {
    expect((await rows(hcpcsModifierDataset, QS))[0]).toMatchObject({
      modifier: 'QS',
      coverage: 'D',
      add_date: '1990-01-01',
      action_effective_date: '1996-07-01',
    });
    const edited = blank(blank(blank(QS, 230, 230), 269, 276), 277, 284);
    expect((await rows(hcpcsModifierDataset, edited))[0]).toMatchObject({
      modifier: 'QS',
      coverage: null,
      add_date: null,
      action_effective_date: null,
      action_code: 'N',
    });
  });

  it.each([
    ['HCPC', 1, 5, '2 letters or digits (GA, 59)'],
    ['LONG_DESCRIPTION', 12, 91, 'a description'],
    ['SHORT_DESCRIPTION', 92, 119, 'a short description'],
  ])('fails on a missing %s', async (field, start, end, expected) => {
    expect(await failure(hcpcsModifierDataset, blank(QS, start, end))).toEqual({
      problem: 'missing value',
      file: NAME,
      line: 1,
      column: `${field} (pos ${start}-${end})`,
      value: '',
      expected,
    });
  });

  it.each([
    ['qs', '`qs`: modifiers are upper case', '`QS`'],
    ['Qs', '`Qs`: modifiers are upper case', '`QS`'],
    ['q5', '`q5`: modifiers are upper case', '`Q5`'],
    ['q', 'unexpected value', '2 letters or digits (GA, 59)'],
    ['qsx', 'unexpected value', '2 letters or digits (GA, 59)'],
    ['Q-', 'unexpected value', '2 letters or digits (GA, 59)'],
  ])('fails on the modifier %s', async (code, problem, expected) => {
    expect(await failure(hcpcsModifierDataset, put(QS, 1, code.padStart(5)))).toEqual({
      problem,
      file: NAME,
      line: 1,
      column: 'HCPC (pos 1-5)',
      value: code,
      expected,
    });
  });

  // Every field a modifier leaves blank, with a value CMS writes there for codes.
  it.each([
    ['PRICE1 (pos 120-121)', 120, '00'],
    ['PRICE2 (pos 122-123)', 122, '11'],
    ['PRICE3 (pos 124-125)', 124, '21'],
    ['PRICE4 (pos 126-127)', 126, '99'],
    ['MULT_PI (pos 128)', 128, '9'],
    ['LABCERT1 (pos 181-183)', 181, '630'],
    ['LABCERT2 (pos 184-186)', 184, '220'],
    ['LABCERT3 (pos 187-189)', 187, '310'],
    ['LABCERT4 (pos 190-192)', 190, '900'],
    ['LABCERT5 (pos 193-195)', 193, '400'],
    ['LABCERT6 (pos 196-198)', 196, '610'],
    ['LABCERT7 (pos 199-201)', 199, '220'],
    ['LABCERT8 (pos 202-204)', 202, '310'],
    ['ASC_GRP (pos 231-232)', 231, 'YY'],
    ['ASC_DT (pos 233-240)', 233, '20200101'],
    ['OPPS (pos 241-243)', 241, 'N1 '],
    ['OPPS_PI (pos 244)', 244, 'N'],
    ['OPPS_DT (pos 245-252)', 245, '20200101'],
    ['BETOS (pos 257-259)', 257, 'O1A'],
    ['TOS1 (pos 261)', 261, 'D'],
    ['TOS2 (pos 262)', 262, 'L'],
    ['TOS3 (pos 263)', 263, 'P'],
    ['TOS4 (pos 264)', 264, 'R'],
    ['TOS5 (pos 265)', 265, '1'],
    ['ANEST_BU (pos 266-268)', 266, '  0'],
  ])('fails on %s in a modifier record', async (column, start, value) => {
    expect(await failure(hcpcsModifierDataset, put(QS, start, value))).toEqual({
      problem: 'a value in a modifier record',
      file: NAME,
      line: 1,
      column,
      value: value.trim(),
      expected: 'blank: modifiers carry no pricing, lab, ASC, OPPS, BETOS, TOS or anesthesia data',
    });
  });
});
