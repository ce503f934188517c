/** The ANWEB data file among the other members of a HCPCS zip. */
import { readFileSync } from 'node:fs';
import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import type { FileFormat } from '../../src/pipeline.js';
import { hcpcsCodeDataset, hcpcsFamily, hcpcsModifierDataset } from '../../pipelines/hcpcs/index.js';
import { fixturePath } from './support.js';

const rule = hcpcsCodeDataset.members;
const stem = (name: string) => name.replace(/\.[^.]+$/, '');
const format = (name: string) => name.split('.').pop()!.toLowerCase() as FileFormat;
/** Members a dataset reads: stem matches and format is one it reads. */
const selected = (names: readonly string[]) => names.filter((name) => rule.stem.test(stem(name)) && rule.formats.includes(format(name)));

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

describe('members of the fixture zips', () => {
  it('picks the ANWEB txt and xls of the 2020 annual zip, and nothing else', () => {
    const names = Object.keys(unzipSync(readFileSync(fixturePath('2020-Alpha-Numeric-HCPCS-File.zip'))));
    expect(names).toContain('HCPC2020_TRANS_ALPHA_w_disclaimer.xlsx');
    expect(selected(names).sort()).toEqual(['HCPC2020_ANWEB_w_disclaimer.txt', 'HCPC2020_ANWEB_w_disclaimer.xls']);
  });

  it('picks the ANWEB txt and xlsx of the October 2025 zip among its decoys', () => {
    const names = Object.keys(unzipSync(readFileSync(fixturePath('october-2025-alpha-numeric-hcpcs-file.zip'))));
    expect(names).toEqual(
      expect.arrayContaining([
        'HCPC2025_OCT_ANWEB_Transaction Report.xlsx',
        'HCPC2025_OCT_Corrections.xlsx',
        'NOC codes_OCT2025.xlsx',
        'proc_notes_OCT2025.txt',
        'HCPC2025_recordlayout.txt',
      ]),
    );
    expect(selected(names).sort()).toEqual(['HCPC2025_OCT_ANWEB.txt', 'HCPC2025_OCT_ANWEB.xlsx']);
  });
});
