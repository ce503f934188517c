/** The ANWEB data file among the other members of a HCPCS zip. */
import { readFileSync } from 'node:fs';
import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { openArchive } from '../../src/archive/archive.js';
import { planRelease } from '../../src/releases/plan.js';
import { hcpcsCodeDataset, hcpcsFamily, hcpcsModifierDataset } from '../../pipelines/hcpcs/index.js';
import { fixturePath } from './support.js';

const rule = hcpcsCodeDataset.members;
const stem = (name: string) => name.replace(/\.[^.]+$/, '');

describe('ANWEB member rule', () => {
  it.each([
    'HCPC2026_APR_ANWEB.txt',
    'HCPC2026_APR_ANWEB.xlsx',
    'HCPC2026_APR_ANWEB_v2.txt',
    'HCPC2025_JAN_ANWEB_v4.xlsx',
    'HCPC2026_JAN_ANWEB_12292025.txt',
    'HCPC2020_ANWEB_w_disclaimer.txt',
    'HCPC2020_ANWEB_w_disclaimer.xls',
    'HCPC2019_ANWEB_disc.txt',
    'HCPC17_CONTR_ANWEB.txt',
    'hcpc2024_oct_anweb.TXT',
  ])('reads %s', (name) => {
    expect(rule.stem.test(stem(name))).toBe(true);
  });

  it.each([
    'HCPC2026_APR_ANWEB_Transaction Report.xlsx',
    'HCPC2025_OCT_ANWEB_TRANS.xlsx',
    'HCPC2026_APR_Corrections.xlsx',
    'HCPC2026_APR_ANWEB_Corrections.xlsx',
    'HCPC2026_recordlayout.txt',
    'HCPC2026_ANWEB_record_layout.txt',
    'NOC codes_APR2026.xlsx',
    'ANWEB_NOC_codes.xlsx',
    'proc_notes_APR2026.txt',
    'ANWEB_proc_notes.txt',
    'HCPC2020_README.txt',
    'HCPC2020_TRANS_ALPHA_w_disclaimer.xlsx',
    'PPRRVU2025_Oct.txt',
  ])('ignores %s', (name) => {
    expect(rule.stem.test(stem(name))).toBe(false);
  });

  it('prefers txt, then xlsx, then xls, and cross-checks the workbooks', () => {
    expect(rule.formats).toEqual(['txt', 'xlsx', 'xls']);
    for (const dataset of hcpcsFamily.datasets) expect(dataset.crossCheck?.formats).toEqual(['xlsx', 'xls']);
    expect(hcpcsModifierDataset.members).toBe(rule);
  });
});

/** What the planner has each HCPCS dataset read from a zip: the loaded member, then its cross-checks. */
async function planned(zip: string): Promise<Record<string, string[]>> {
  const archive = await openArchive(zip);
  try {
    const plan = planRelease(archive, [hcpcsFamily]);
    return Object.fromEntries(
      plan.datasets.map((dataset) => [dataset.dataset.name, dataset.files.flatMap((file) => [file.member.name, ...file.crossCheck.map((other) => other.name)])]),
    );
  } finally {
    await archive.close();
  }
}

describe('members of the fixture zips, as the planner picks them', () => {
  it('reads the ANWEB txt of the 2020 annual zip, cross-checked with its xls, and nothing else', async () => {
    const zip = fixturePath('2020-Alpha-Numeric-HCPCS-File.zip');
    expect(Object.keys(unzipSync(readFileSync(zip)))).toContain('HCPC2020_TRANS_ALPHA_w_disclaimer.xlsx');
    expect(await planned(zip)).toEqual({
      hcpcs_code: ['HCPC2020_ANWEB_w_disclaimer.txt', 'HCPC2020_ANWEB_w_disclaimer.xls'],
      hcpcs_modifier: ['HCPC2020_ANWEB_w_disclaimer.txt', 'HCPC2020_ANWEB_w_disclaimer.xls'],
    });
  });

  it('reads the ANWEB txt of the October 2025 zip, cross-checked with its xlsx, among its decoys', async () => {
    const zip = fixturePath('october-2025-alpha-numeric-hcpcs-file.zip');
    expect(Object.keys(unzipSync(readFileSync(zip)))).toEqual(
      expect.arrayContaining([
        'HCPC2025_OCT_ANWEB_Transaction Report.xlsx',
        'HCPC2025_OCT_Corrections.xlsx',
        'NOC codes_OCT2025.xlsx',
        'proc_notes_OCT2025.txt',
        'HCPC2025_recordlayout.txt',
      ]),
    );
    expect(await planned(zip)).toEqual({
      hcpcs_code: ['HCPC2025_OCT_ANWEB.txt', 'HCPC2025_OCT_ANWEB.xlsx'],
      hcpcs_modifier: ['HCPC2025_OCT_ANWEB.txt', 'HCPC2025_OCT_ANWEB.xlsx'],
    });
  });
});
