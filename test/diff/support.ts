/**
 * Helpers for the diff tests: the fixture oracle (fixtures/pfs/expected-facts.json), and a
 * synthetic January 2026 HCPCS file derived from the October 2025 fixture with known changes and
 * action codes.
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { DiffChange } from '../../src/diff/types.js';
import { fixture, writeFixtureFile } from '../support/fixtures.js';

export interface PprrvuDiffFacts {
  added: string[];
  removed: string[];
  unchanged: string[];
  changed: Record<string, string[]>;
  cf: [string, string];
}

export const expectedFacts = JSON.parse(readFileSync(fixture('pfs', 'expected-facts.json'), 'utf8')) as {
  diffs: Record<string, PprrvuDiffFacts>;
  gpciLocalities: Record<string, { added: string[]; removed: string[] }>;
};

/** What changed in 99213 (no modifier) from the rvu24b fixture to rvu25d, as the diff reports it. */
export const CHANGES_99213_RVU24B_TO_RVU25D = {
  nonfac_pe_rvu: { from: '1.33', to: '1.35' },
  fac_pe_rvu: { from: '0.56', to: '0.57' },
  nonfac_total: { from: '2.73', to: '2.75' },
  fac_total: { from: '1.96', to: '1.97' },
};

/** PPRRVU header labels (as the oracle names fields) → pfs_rvu columns. */
export const PPRRVU_COLUMN: Readonly<Record<string, string>> = {
  DESCRIPTION: 'description',
  'STATUS CODE': 'status_code',
  'NOT USED FOR MEDICARE PAYMENT': 'not_used_for_medicare',
  'WORK RVU': 'work_rvu',
  'NON-FAC PE RVU': 'nonfac_pe_rvu',
  'NON-FAC NA INDICATOR': 'nonfac_na',
  'FACILITY PE RVU': 'fac_pe_rvu',
  'FACILITY NA INDICATOR': 'fac_na',
  'MP RVU': 'mp_rvu',
  'NON-FACILITY TOTAL': 'nonfac_total',
  'FACILITY TOTAL': 'fac_total',
  'PCTC IND': 'pctc_ind',
  'GLOB DAYS': 'global_days',
  'PRE OP': 'pre_op',
  'INTRA OP': 'intra_op',
  'POST OP': 'post_op',
  'MULT PROC': 'mult_proc',
  'BILAT SURG': 'bilat_surg',
  'ASST SURG': 'asst_surg',
  'CO- SURG': 'co_surg',
  'TEAM SURG': 'team_surg',
  'PRIC IND': 'pricing_ind',
  'ENDO BASE': 'endo_base',
  'PHYSICIAN SUPERVISION OF DIAGNOSTIC PROCEDURES': 'phys_supervision',
  'CALCULATION FLAG': 'calc_flag',
  'DIAGNOSTIC IMAGING FAMILY INDICATOR': 'diag_imaging_family',
  'NON-FACILITY PE USED FOR OPPS PAYMENT AMOUNT': 'nonfac_pe_opps',
  'FACILITY PE USED FOR OPPS PAYMENT AMOUNT': 'fac_pe_opps',
  'MP USED FOR OPPS PAYMENT AMOUNT': 'mp_opps',
};

/** `99213`, `G0566-26`: the oracle's name for a PPRRVU key. */
export const codeMod = (row: { readonly [column: string]: unknown }) =>
  row.modifier ? `${String(row.hcpcs)}-${String(row.modifier)}` : String(row.hcpcs);

export const keysOf = (changes: readonly DiffChange[], kind: DiffChange['change']) =>
  changes.filter((change) => change.change === kind).map(codeMod).sort();

export const HCPCS_OCT_2025 = fixture('hcpcs', 'october-2025-alpha-numeric-hcpcs-file.zip');
export const HCPCS_2020 = fixture('hcpcs', '2020-Alpha-Numeric-HCPCS-File.zip');

/**
 * `HCPC2026_JAN_ANWEB.txt`: the October 2025 fixture with every action code reset to N, then:
 * A9613 added (a copy of A9612, action A); C9035 gone; E0100 discontinued (TERM_DT 20251231, D);
 * C9742 reinstated (TERM_DT cleared, R); J7518 short descriptor (S); A6531 PRICE1 35→36 (P);
 * E0210 BETOS D1E→D1F (T); A4252 coverage S→C with action N (disagrees); G0124 action C with no
 * change (disagrees).
 */
export async function writeHcpcsJanuary2026(dir: string): Promise<string> {
  const source = (await readFile(fixture('hcpcs', '2025-oct', 'HCPC2025_OCT_ANWEB.txt'))).toString('latin1');
  const lines = source.split('\r\n');
  const isFirst = (line: string) => /^.{5}\d{5}[37]/.test(line);
  const code = (line: string) => line.slice(0, 5);
  const put = (line: string, start: number, value: string) => line.slice(0, start) + value + line.slice(start + value.length);
  const edits: Record<string, (line: string) => string> = {
    E0100: (line) => put(put(line, 284, '20251231'), 292, 'D'),
    C9742: (line) => put(put(line, 284, '        '), 292, 'R'),
    J7518: (line) => put(put(line, 91, 'Mycophenolic acid, oral     '), 292, 'S'),
    A6531: (line) => put(put(line, 119, '36'), 292, 'P'),
    E0210: (line) => put(put(line, 256, 'D1F'), 292, 'T'),
    A4252: (line) => put(line, 229, 'C'),
    G0124: (line) => put(line, 292, 'C'),
  };
  const out: string[] = [];
  const added: string[] = [];
  const applied = new Set<string>();
  for (const line of lines) {
    if (/^.{5}\d{5}[3478]/.test(line) && code(line) === 'C9035') continue;
    let next = isFirst(line) ? put(line, 292, 'N') : line;
    if (isFirst(next) && edits[code(next)]) {
      next = edits[code(next)]!(next);
      applied.add(code(next));
    }
    if (added.length > 0 && code(line) !== 'A9612') out.push(...added.splice(0));
    out.push(next);
    if (/^.{5}\d{5}[34]/.test(line) && code(line) === 'A9612') {
      const copy = put(next, 0, 'A9613');
      added.push(isFirst(copy) ? put(copy, 292, 'A') : copy);
    }
  }
  const text = out.join('\r\n');
  if (applied.size !== Object.keys(edits).length || !text.includes('A9613')) throw new Error('the HCPCS fixture changed: the January edits did not apply');
  return writeFixtureFile(path.join(dir, 'hcpcs-2026-jan'), 'HCPC2026_JAN_ANWEB.txt', text);
}
