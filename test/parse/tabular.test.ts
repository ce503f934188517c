/**
 * The header contract of tabular files, on a small GPCI-shaped csv: columns are found by name
 * in any order, a layout era must match exactly, and an unknown, missing or ambiguous header
 * stops with what was expected and what was found.
 */
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { gpci } from '../../pipelines/pfs/gpci.js';
import { InputError } from '../../src/errors.js';
import { readDataset } from '../support/datasets.js';
import { scratchDir, writeFixtureFile } from '../support/fixtures.js';

const TITLE = 'ADDENDUM E. FINAL CY 2025 GEOGRAPHIC PRACTICE COST INDICES (GPCIs),,,,,,\r\n,,,,,,\r\n';
const ROW = '10112,AL,00,ALABAMA,1.000,0.869,0.575\r\n';

describe('header contract', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await scratchDir();
  });

  const read = async (name: string, text: string) => readDataset(gpci, await writeFixtureFile(dir, name, text));
  const refusal = async (name: string, text: string) => (await read(name, text).catch((error: unknown) => error)) as InputError;

  it('maps columns by name, whatever their order', async () => {
    const { rows } = await read(
      'GPCI2025.csv',
      `${TITLE}State,Medicare Administrative Contractor (MAC),Locality Name,Locality Number,2025 MP GPCI,2025 PE GPCI,2025 PW GPCI (with 1.0 Floor)\r\nAL,10112,ALABAMA,00,0.575,0.869,1.000\r\n`,
    );
    expect(rows).toEqual([expect.objectContaining({ mac: '10112', state: 'AL', locality: '00', pw_gpci: '1.000', pe_gpci: '0.869', mp_gpci: '0.575' })]);
  });

  it('refuses an unknown header, listing what it found and every layout it knows', async () => {
    const error = await refusal(
      'GPCI2025-unknown.csv',
      `${TITLE}Medicare Administrative Contractor (MAC),State,Locality Number,Locality Name,2025 PW GPCI (with 1.0 Floor),2025 PE GPCI,2025 MP GPCI,Notes\r\n${ROW}`,
    );
    expect(error).toBeInstanceOf(InputError);
    expect(error).toMatchObject({ line: 3, problem: 'unknown column "NOTES" (column 8)' });
    expect(error.value).toBe('MEDICARE ADMINISTRATIVE CONTRACTOR (MAC) | STATE | LOCALITY NUMBER | LOCALITY NAME | 2025 PW GPCI (WITH 1.0 FLOOR) | 2025 PE GPCI | 2025 MP GPCI | NOTES');
    expect(error.expected).toContain('work GPCI with and without floor (2026 Q1):');
  });

  it('refuses a header that appears twice as ambiguous', async () => {
    const error = await refusal(
      'GPCI2025-twice.csv',
      `${TITLE}Medicare Administrative Contractor (MAC),State,Locality Number,Locality Name,2025 PW GPCI (with 1.0 Floor),2025 PE GPCI,2025 MP GPCI,2024 MP GPCI\r\n${ROW}`,
    );
    expect(error.problem).toBe('ambiguous header: columns 7 and 8 are both MP GPCI');
  });

  it('refuses a file that lacks a column, naming it against the closest layout', async () => {
    const error = await refusal(
      'GPCI2025-missing.csv',
      `${TITLE}Medicare Administrative Contractor (MAC),State,Locality Number,Locality Name,2025 PW GPCI (with 1.0 Floor),2025 MP GPCI\r\n10112,AL,00,ALABAMA,1.000,0.575\r\n`,
    );
    expect(error.problem).toBe('the columns match no known layout (closest: work GPCI with floor; missing PE GPCI)');
  });

  it('refuses a file without the header row, saying what it looked for', async () => {
    const error = await refusal('GPCI2025-headless.csv', `${TITLE}${ROW}`);
    expect(error.problem).toBe('header row not found in the first 40 rows');
    expect(error.expected).toContain('Locality Number');
  });
});
