/**
 * Each PFS dataset read from the fixture excerpts, in every layout era and format: the rows
 * that come out, and that csv and xlsx of the same file agree.
 */
import { describe, expect, it } from 'vitest';
import { anes } from '../../pipelines/pfs/anes.js';
import { gpci } from '../../pipelines/pfs/gpci.js';
import { locco } from '../../pipelines/pfs/locco.js';
import { oppscap } from '../../pipelines/pfs/oppscap.js';
import { pprrvu } from '../../pipelines/pfs/pprrvu.js';
import { readDataset } from '../support/datasets.js';
import { fixture } from '../support/fixtures.js';

const byKey = <T extends Record<string, unknown>>(rows: T[], ...key: string[]) =>
  new Map(rows.map((row) => [key.map((column) => row[column]).join('-'), row]));

describe('PPRRVU', () => {
  it('reads the 2024 layout (31 columns, stacked header, 0x1A end row) from csv', async () => {
    const { rows, facts } = await readDataset(pprrvu, fixture('pfs/rvu24b/PPRRVU24_APR.csv'));
    expect(rows).toHaveLength(48);
    expect(facts.published_on).toBe('2024-03-15');
    const codes = byKey(rows, 'hcpcs', 'modifier');
    expect(codes.get('99213-')).toMatchObject({ work_rvu: '1.30', nonfac_pe_rvu: '1.33', fac_pe_rvu: '0.56', conv_factor: '33.2875', pricing_ind: null });
    expect(codes.get('27447-')).toMatchObject({ nonfac_na: true, nonfac_pe_rvu: '14.96', fac_na: false, global_days: '090' });
    expect(codes.get('0001F-')).toMatchObject({ hcpcs: '0001F', status_code: 'I' });
    expect(codes.get('G0105-53')).toMatchObject({ modifier: '53' });
    expect([...codes.values()].filter((row) => row.not_used_for_medicare).map((row) => row.hcpcs).sort()).toEqual(['22526', '36000', '99385']);
    expect(codes.get('45380-')).toMatchObject({ endo_base: '45378', mult_proc: '3' });
  });

  it('reads the same rows from the xlsx as from the csv', async () => {
    const csv = await readDataset(pprrvu, fixture('pfs/rvu24b/PPRRVU24_APR.csv'));
    const xlsx = await readDataset(pprrvu, fixture('pfs/rvu24b/PPRRVU24_APR.xlsx'));
    expect(xlsx.facts).toEqual(csv.facts);
    const strip = (rows: typeof csv.rows) => rows.map(({ line: _line, ...values }) => values);
    expect(strip(xlsx.rows)).toEqual(strip(csv.rows));
  });

  it('reads the 2025 naming and the 2026 layout with PRIC IND', async () => {
    const y2025 = await readDataset(pprrvu, fixture('pfs/rvu25d/PPRRVU2025_Oct.csv'));
    expect(y2025.rows).toHaveLength(52);
    expect(y2025.facts.published_on).toBe('2025-09-11');
    expect(byKey(y2025.rows, 'hcpcs', 'modifier').get('99213-')).toMatchObject({ nonfac_pe_rvu: '1.35', conv_factor: '32.3465' });

    const nonQpp = await readDataset(pprrvu, fixture('pfs/rvu26c/PPRRVU2026_Jul_nonQPP.csv'));
    expect(nonQpp.rows).toHaveLength(48);
    expect(nonQpp.rows[0]).toMatchObject({ pricing_ind: '9', conv_factor: '33.4009', conv_factor_qpp: null });
    const qpp = await readDataset(pprrvu, fixture('pfs/rvu26c/PPRRVU2026_Jul_QPP.csv'), 'qpp');
    expect(qpp.rows[0]).toMatchObject({ pricing_ind: '1', conv_factor: null, conv_factor_qpp: '33.5675' });
  });
});

describe('GPCI', () => {
  it('strips footnote marks, keeps leading zeros, stops at the footnotes', async () => {
    const { rows } = await readDataset(gpci, fixture('pfs/rvu24b/GPCI2024.csv'));
    expect(rows).toHaveLength(14);
    const alaska = rows.find((row) => row.state === 'AK');
    expect(alaska).toMatchObject({ mac: '02102', locality: '01', locality_name: 'ALASKA', pw_gpci: '1.500', pw_gpci_no_floor: null });
    expect(rows.find((row) => row.state === 'HI')?.locality_name).toBe('HAWAII, GUAM');
    expect(rows.find((row) => row.state === 'WY')?.locality_name).toBe('WYOMING');
  });

  it('reads the 2026 header ending in *** and the Q1 layout with the unfloored work GPCI', async () => {
    const july = await readDataset(gpci, fixture('pfs/rvu26c/GPCI2026.csv'));
    expect(july.rows).toHaveLength(15);
    const january = await readDataset(gpci, fixture('pfs/rvu26a/GPCI2026.csv'));
    expect(january.rows.find((row) => row.state === 'AL')).toMatchObject({ pw_gpci: '1.000', pw_gpci_no_floor: '0.962' });
  });

  it('reads the xlsx like the csv', async () => {
    const csv = await readDataset(gpci, fixture('pfs/rvu24b/GPCI2024.csv'));
    const xlsx = await readDataset(gpci, fixture('pfs/rvu24b/GPCI2024.xlsx'));
    expect(xlsx.rows.map(({ line: _l, ...v }) => v)).toEqual(csv.rows.map(({ line: _l, ...v }) => v));
  });
});

describe('LOCCO', () => {
  it('re-pads numbers and forward-fills the state', async () => {
    const { rows } = await readDataset(locco, fixture('pfs/rvu25d/25LOCCO.csv'));
    expect(rows).toHaveLength(16);
    expect(rows.find((row) => row.mac === '02102')).toMatchObject({ locality: '01', state: 'ALASKA' });
    const california = rows.filter((row) => row.state === 'CALIFORNIA');
    expect(california.length).toBeGreaterThan(1);
    expect(california.every((row) => /^\d{5}$/.test(String(row.mac)) && /^\d{2}$/.test(String(row.locality)))).toBe(true);
  });

  it('reads the xlsx-only 2026 LOCCO', async () => {
    const { rows } = await readDataset(locco, fixture('pfs/rvu26c/26LOCCO.xlsx'));
    expect(rows).toHaveLength(16);
    expect(rows[0]).toMatchObject({ mac: '10112', locality: '00', state: 'ALABAMA' });
  });
});

describe('ANES', () => {
  it('reads the national factor from the 2025 header and unpads cells', async () => {
    const { rows } = await readDataset(anes, fixture('pfs/rvu25d/ANES2025.csv'));
    expect(rows).toHaveLength(14);
    expect(rows[0]).toMatchObject({ mac: '10112', locality: '00', locality_name: 'ALABAMA', anes_cf: '19.31', national_anes_cf: '20.3178' });
    expect(rows.find((row) => row.mac === '02102')?.locality_name).toBe('ALASKA');
  });

  it('has no national factor in 2024, and re-pads the xlsx numbers of 2025', async () => {
    const y2024 = await readDataset(anes, fixture('pfs/rvu24b/ANES2024.csv'));
    expect(y2024.rows[0]).toMatchObject({ anes_cf: '19.77', national_anes_cf: null });
    const xlsx = await readDataset(anes, fixture('pfs/rvu25d/ANES2025.xlsx'));
    expect(xlsx.rows.find((row) => row.locality_name === 'ALASKA')).toMatchObject({ mac: '02102', locality: '01', national_anes_cf: '20.3178' });
  });
});

describe('OPPSCAP', () => {
  it('reads the misspelt header and the trailing blank row', async () => {
    const { rows } = await readDataset(oppscap, fixture('pfs/rvu25d/OPPSCAP_Oct.csv'));
    expect(rows).toHaveLength(30);
    expect(rows[0]).toMatchObject({ hcpcs: '0633T', modifier: 'TC', proc_status: 'C', mac: '01112', locality: '05' });
    expect(new Set(rows.map((row) => row.proc_status))).toEqual(new Set(['A', 'C']));
  });

  it('reads the 2024 csv with its 0x1A row and the xlsx alike', async () => {
    const csv = await readDataset(oppscap, fixture('pfs/rvu24b/OPPSCAP_APR.csv'));
    const xlsx = await readDataset(oppscap, fixture('pfs/rvu24b/OPPSCAP_APR.xlsx'));
    expect(csv.rows).toHaveLength(30);
    expect(xlsx.rows.map(({ line: _l, ...v }) => v)).toEqual(csv.rows.map(({ line: _l, ...v }) => v));
  });
});
