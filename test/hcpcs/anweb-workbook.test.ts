/** The ANWEB workbooks (2025 xlsx, header on row 1; 2020 xls below note rows) give the txt's rows. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as XLSX from 'xlsx';
import { InputError } from '../../src/errors.js';
import { hcpcsCodeDataset, hcpcsModifierDataset } from '../../pipelines/hcpcs/index.js';
import { byKey, fixturePath, memberFromBytes, memberFromPath, readAll } from './support.js';

const XLSX_2025 = '2025-oct/HCPC2025_OCT_ANWEB.xlsx';
const TXT_2025 = '2025-oct/HCPC2025_OCT_ANWEB.txt';
const XLS_2020 = '2020/HCPC2020_ANWEB_w_disclaimer.xls';
const TXT_2020 = '2020/HCPC2020_ANWEB_w_disclaimer.txt';
const NOTE_ROWS = 'variants/anweb-note-rows.xlsx';

/** Rows with the long description's whitespace runs as one space: txt and workbook wrap it differently. */
function spaced(rows: readonly { values: Record<string, unknown> }[]) {
  return rows.map((row) => ({ ...row.values, long_description: String(row.values.long_description).replace(/\s+/g, ' ') }));
}

async function rowsOf(relative: string) {
  const file = memberFromPath(fixturePath(relative), relative);
  return {
    codes: await readAll(hcpcsCodeDataset, file),
    modifiers: await readAll(hcpcsModifierDataset, file),
  };
}

/** The fixture's sheet as arrays of cells, to build altered workbooks from. */
function sheetCells(relative: string): unknown[][] {
  const workbook = XLSX.read(readFileSync(fixturePath(relative)));
  return XLSX.utils.sheet_to_json<unknown[]>(workbook.Sheets[workbook.SheetNames[0]!]!, { header: 1, raw: false, defval: '' });
}

function xlsxOf(rows: unknown[][]): Buffer {
  const workbook = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(workbook, XLSX.utils.aoa_to_sheet(rows), 'HCPC2025_OCT_ANWEB');
  return XLSX.write(workbook, { type: 'buffer', bookType: 'xlsx' }) as Buffer;
}

describe('ANWEB xlsx, Oct 2025 (header on row 1, every cell text but a few numbers)', () => {
  it('reads every row, with sheet rows as lines', async () => {
    const { codes, modifiers } = await rowsOf(XLSX_2025);
    expect(codes).toHaveLength(32);
    expect(modifiers).toHaveLength(16);
    expect(modifiers[0]).toMatchObject({ line: 2, values: { modifier: 'A1', long_description: 'Dressing for one wound' } });
  });

  it('reads cells stored as numbers like text (C1742 TOS1, C9088 TERM DT, L6034 dates)', async () => {
    const codes = byKey(hcpcsCodeDataset, (await rowsOf(XLSX_2025)).codes);
    expect(codes.get('C1742')?.tos).toEqual(['2']);
    expect(codes.get('C9088')).toMatchObject({ termination_date: '2025-09-30', action_code: 'D' });
    expect(codes.get('L6034')).toMatchObject({ add_date: '2025-10-01', action_effective_date: '2025-10-01' });
  });

  it('gives the rows of the txt made from it (descriptions equal but for where the txt wrapped them)', async () => {
    const fromXlsx = await rowsOf(XLSX_2025);
    const fromTxt = await rowsOf(TXT_2025);
    expect(spaced(fromXlsx.codes)).toEqual(spaced(fromTxt.codes));
    expect(spaced(fromXlsx.modifiers)).toEqual(spaced(fromTxt.modifiers));
    // The cell is kept as CMS wrote it, double spaces included.
    const g0503 = fromXlsx.codes.find((row) => row.values.hcpcs === 'G0503');
    expect(String(g0503?.values.long_description)).toContain('documentation;  participation in weekly caseload consultation');
  });
});

describe('ANWEB xls, 2020 (header on row 11 below the note rows; G0503 continued on a second row)', () => {
  it('gives the rows of the real txt (descriptions equal but for where each wrapped them)', async () => {
    const fromXls = await rowsOf(XLS_2020);
    const fromTxt = await rowsOf(TXT_2020);
    expect(spaced(fromXls.codes)).toEqual(spaced(fromTxt.codes));
    expect(spaced(fromXls.modifiers)).toEqual(spaced(fromTxt.modifiers));
    expect(fromXls.modifiers[0]?.line).toBe(12);
  });

  it('joins the RECID 4 row into G0503 (the xls cell stops at 1,194 characters)', async () => {
    const codes = byKey(hcpcsCodeDataset, (await rowsOf(XLS_2020)).codes);
    expect(String(codes.get('G0503')?.long_description)).toMatch(/other treatment goals and are prepared for discharge from active treatment$/);
  });
});

describe('ANWEB xlsx with note rows above the header (synthetic arrangement of real rows)', () => {
  it('finds the header on row 6 and reads the rows below it', async () => {
    const { codes, modifiers } = await rowsOf(NOTE_ROWS);
    expect(codes.map((row) => row.values.hcpcs)).toEqual(['A0021', 'A9612', 'C1742', 'G0503', 'J9333', 'L6034']);
    expect(modifiers.map((row) => row.values.modifier)).toEqual(['A1', 'AA', 'AD', 'CS', 'GA']);
    expect(modifiers[0]?.line).toBe(7);
    const full = byKey(hcpcsCodeDataset, (await rowsOf(XLSX_2025)).codes);
    for (const row of codes) expect(row.values).toEqual(full.get(String(row.values.hcpcs)));
  });
});

describe('ANWEB workbook columns', () => {
  it('maps columns by header name, not position', async () => {
    const rows = sheetCells(XLSX_2025);
    // Move ACTION CD to the front: same data, another order.
    const moved = rows.map((row) => [row[47], ...row.slice(0, 47)]);
    const file = memberFromBytes('HCPC2025_OCT_ANWEB.xlsx', xlsxOf(moved));
    const expected = (await rowsOf(XLSX_2025)).codes.map((row) => row.values);
    expect((await readAll(hcpcsCodeDataset, file)).map((row) => row.values)).toEqual(expected);
  });

  it('refuses a workbook missing required columns, naming them', async () => {
    const rows = sheetCells(XLSX_2025).map((row) => row.filter((_, index) => index !== 30 && index !== 47)); // COV, ACTION CD
    const file = memberFromBytes('HCPC2025_OCT_ANWEB.xlsx', xlsxOf(rows));
    const error = await readAll(hcpcsCodeDataset, file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect(error).toMatchObject({ file: 'HCPC2025_OCT_ANWEB.xlsx', line: 1 });
    expect((error as InputError).problem).toMatch(/missing COV, ACTION CD/);
  });

  it('refuses an unknown column', async () => {
    const rows = sheetCells(XLSX_2025).map((row, index) => [...row, index === 0 ? 'NEW FLAG' : '']);
    const file = memberFromBytes('HCPC2025_OCT_ANWEB.xlsx', xlsxOf(rows));
    await expect(readAll(hcpcsCodeDataset, file)).rejects.toThrow(/unknown column "NEW FLAG"/);
  });

  it('names the workbook column and sheet row of a bad value', async () => {
    const rows = sheetCells(XLSX_2025);
    rows[20]![47] = 'Z';
    const file = memberFromBytes('HCPC2025_OCT_ANWEB.xlsx', xlsxOf(rows));
    const error = await readAll(hcpcsCodeDataset, file).catch((e: unknown) => e);
    expect(error).toMatchObject({ file: 'HCPC2025_OCT_ANWEB.xlsx', line: 21, column: 'ACTION CD', value: 'Z' });
    expect((error as InputError).expected).toBe('one of A, B, C, D, F, N, P, R, S, T');
  });
});
