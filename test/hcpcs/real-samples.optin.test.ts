/**
 * Opt-in: the HCPCS datasets on the real CMS files in CMS_SAMPLES_DIR (e.g. /work/shared/cms-samples).
 * Excluded from the default run (`*.optin.test.ts`); run with `npm run test:samples`.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import * as XLSX from 'xlsx';
import { hcpcsCodeDataset, hcpcsModifierDataset } from '../../pipelines/hcpcs/index.js';
import { memberFromBytes, readAll } from './support.js';

const SAMPLES = process.env.CMS_SAMPLES_DIR;

function samples(): string {
  // Never a silent skip: running this file without the samples is a mistake worth a failure.
  if (!SAMPLES) throw new Error('CMS_SAMPLES_DIR is not set: it must point at the cms-samples folder');
  return path.join(SAMPLES, 'hcpcs');
}

/** Record counts by RECID, counted with nothing but the line pattern. */
function recidCounts(text: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const line of text.split(/\r?\n/)) {
    const match = /^.{5}\d{5}([3478])/.exec(line);
    if (match) counts[match[1]!] = (counts[match[1]!] ?? 0) + 1;
  }
  return counts;
}

describe('real CMS HCPCS files', () => {
  it('2020 annual txt: one code per RECID 3 record, one modifier per RECID 7, and the xls agrees', { timeout: 120_000 }, async () => {
    const zip = unzipSync(readFileSync(path.join(samples(), '2020-Alpha-Numeric-HCPCS-File.zip')));
    const txtBytes = zip['HCPC2020_ANWEB_w_disclaimer.txt']!;
    const counts = recidCounts(Buffer.from(txtBytes).toString('latin1'));
    expect(counts).toEqual({ '3': 6710, '4': 5100, '7': 369, '8': 180 });

    const txt = memberFromBytes('HCPC2020_ANWEB_w_disclaimer.txt', txtBytes);
    const codes = await readAll(hcpcsCodeDataset, txt);
    const modifiers = await readAll(hcpcsModifierDataset, txt);
    expect(codes).toHaveLength(counts['3']!);
    expect(modifiers).toHaveLength(counts['7']!);
    expect(new Set(codes.map((row) => row.values.hcpcs)).size).toBe(codes.length);

    const xls = memberFromBytes('HCPC2020_ANWEB_w_disclaimer.xls', zip['HCPC2020_ANWEB_w_disclaimer.xls']!);
    // Descriptions are stored as each format wrote them; they agree but for where each wrapped them.
    const spaced = (rows: readonly { values: Record<string, unknown> }[]) =>
      rows.map((row) => ({ ...row.values, long_description: String(row.values.long_description).replace(/\s+/g, ' ') }));
    expect(spaced(await readAll(hcpcsCodeDataset, xls))).toEqual(spaced(codes));
    expect(spaced(await readAll(hcpcsModifierDataset, xls))).toEqual(spaced(modifiers));
  });

  it('Oct 2025 xlsx: every row loads', { timeout: 120_000 }, async () => {
    const bytes = readFileSync(path.join(samples(), 'HCPC2025_OCT_ANWEB.xlsx'));
    const sheet = XLSX.read(bytes).Sheets['HCPC2025_OCT_ANWEB']!;
    const rows = XLSX.utils.sheet_to_json<string[]>(sheet, { header: 1, raw: false, defval: '' }).slice(1);
    const byRecid = (recid: string) => rows.filter((row) => row[2] === recid).length;
    expect(byRecid('3') + byRecid('7')).toBe(rows.length);

    const file = memberFromBytes('HCPC2025_OCT_ANWEB.xlsx', bytes);
    expect(await readAll(hcpcsCodeDataset, file)).toHaveLength(byRecid('3'));
    expect(await readAll(hcpcsModifierDataset, file)).toHaveLength(byRecid('7'));
    expect(byRecid('3')).toBe(8463);
    expect(byRecid('7')).toBe(383);
  });
});
