/**
 * Every column of every PFS dataset, in every layout era, checked against the file: a few rows
 * per dataset are loaded from the fixture zips and compared, column by column, with values
 * copied by hand from the csv lines quoted above each block (not produced by the project's
 * reader). Where no real row tells two columns apart, the scratch copy of the zip has one row
 * edited (listed in EDITS, and in fixtures/pfs/README.md); `hiddenSwaps` checks that the chosen
 * rows leave no swap of two columns unseen.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.js';
import { importRelease } from '../../src/index.js';
import { hiddenSwaps, loadedRows, pick } from '../support/columns.js';
import { backends, openTestDatabase, type TestDatabase } from '../support/db.js';
import { pfsZip, replaceOnce, scratchDir, writeZip, zipMembers } from '../support/fixtures.js';

type Release = 'rvu24b' | 'rvu25d' | 'rvu26c' | 'rvu26a';

/**
 * Rows edited in the scratch zips, because CMS's values are equal in both columns on every
 * fixture row: FACILITY vs NON-FACILITY PE USED FOR OPPS (PPRRVU, both layouts) and FACILITY vs
 * NON-FACILTY PRICE (OPPSCAP).
 */
const EDITS: Record<Release, Record<string, [from: string, to: string][]>> = {
  rvu24b: {
    'PPRRVU24_APR.csv': [[',09,0,88,5.93,5.93,0.12\r\n', ',09,0,88,5.93,4.71,0.12\r\n']],
    'OPPSCAP_APR.csv': [['70496,,A,01112,05,345.26,345.26', '70496,,A,01112,05,301.17,345.26']],
  },
  rvu25d: {
    'OPPSCAP_Oct.csv': [['70496,,A,01112,05,343.62,343.62', '70496,,A,01112,05,343.62,380.04']],
  },
  rvu26c: {
    'PPRRVU2026_Jul_nonQPP.csv': [[',09,0,88,5.94,5.94,0.12\r\n', ',09,0,88,5.94,4.80,0.12\r\n']],
    'PPRRVU2026_Jul_QPP.csv': [[',09,0,88,5.94,5.94,0.12\r\n', ',09,0,88,5.94,4.80,0.12\r\n']],
  },
  rvu26a: {},
};


/** Load a fixture zip into `database`, with the EDITS applied to a scratch copy; its release id. */
async function loadEdited(database: Database, scratch: string, release: Release): Promise<number | string> {
  const members = await zipMembers(pfsZip(release));
  for (const [member, edits] of Object.entries(EDITS[release])) {
    let text = Buffer.from(members[member]!).toString('latin1');
    for (const [from, to] of edits) text = replaceOnce(text, from, to);
    members[member] = new Uint8Array(Buffer.from(text, 'latin1'));
  }
  const zip = await writeZip(path.join(scratch, release), `${release}.zip`, members);
  const result = await importRelease(database, zip);
  expect(result.status).toBe('loaded');
  return result.releaseId;
}

describe.each(backends)('every PFS column against the file, on %s', (backend) => {
  let test: TestDatabase;
  const releases = new Map<Release, number | string>();
  beforeAll(async () => {
    test = await openTestDatabase(backend);
    const scratch = await scratchDir();
    for (const release of ['rvu24b', 'rvu25d', 'rvu26c', 'rvu26a'] as const) releases.set(release, await loadEdited(test.database, scratch, release));
  });
  afterAll(() => test?.close());
  const rows = (release: Release, table: string, key: string[]) => loadedRows(test.database, table, releases.get(release)!, key);
  const gpciRow = (mac: string, state: string, locality: string, locality_name: string, pw_gpci: string, pw_gpci_no_floor: string | null, pe_gpci: string, mp_gpci: string) =>
    ({ mac, state, locality, locality_name, pw_gpci, pw_gpci_no_floor, pe_gpci, mp_gpci });

  describe('PPRRVU', () => {
    it('2024 layout, 31 columns (PPRRVU24_APR.csv)', async () => {
      const loaded = await rows('rvu24b', 'pfs_rvu', ['hcpcs', 'modifier']);
      const expected = [
        // 99213,,CPT descriptor withheld 99213,A,,1.30,1.33,,0.56,,0.10,2.73,1.96,0,XXX,0.00,0.00,0.00,0,0,0,0,0,,33.2875,09,0,99,0.00,0.00,0.00
        {
          hcpcs: '99213', modifier: '', description: 'CPT descriptor withheld 99213', status_code: 'A', not_used_for_medicare: false,
          work_rvu: '1.30', nonfac_pe_rvu: '1.33', nonfac_na: false, fac_pe_rvu: '0.56', fac_na: false, mp_rvu: '0.10',
          nonfac_total: '2.73', fac_total: '1.96', pctc_ind: '0', global_days: 'XXX', pre_op: '0.00', intra_op: '0.00', post_op: '0.00',
          mult_proc: '0', bilat_surg: '0', asst_surg: '0', co_surg: '0', team_surg: '0', pricing_ind: null, endo_base: null,
          conv_factor: '33.2875', conv_factor_qpp: null, phys_supervision: '09', calc_flag: '0', diag_imaging_family: '99',
          nonfac_pe_opps: '0.00', fac_pe_opps: '0.00', mp_opps: '0.00',
        },
        // 27447,,CPT descriptor withheld 27447,A,,19.60,14.96,NA,14.96,,4.01,38.57,38.57,0,090,0.10,0.69,0.21,2,1,2,1,0,,33.2875,09,0,99,0.00,0.00,0.00
        {
          hcpcs: '27447', modifier: '', description: 'CPT descriptor withheld 27447', status_code: 'A', not_used_for_medicare: false,
          work_rvu: '19.60', nonfac_pe_rvu: '14.96', nonfac_na: true, fac_pe_rvu: '14.96', fac_na: false, mp_rvu: '4.01',
          nonfac_total: '38.57', fac_total: '38.57', pctc_ind: '0', global_days: '090', pre_op: '0.10', intra_op: '0.69', post_op: '0.21',
          mult_proc: '2', bilat_surg: '1', asst_surg: '2', co_surg: '1', team_surg: '0', pricing_ind: null, endo_base: null,
          conv_factor: '33.2875', conv_factor_qpp: null, phys_supervision: '09', calc_flag: '0', diag_imaging_family: '99',
          nonfac_pe_opps: '0.00', fac_pe_opps: '0.00', mp_opps: '0.00',
        },
        // 45380,,CPT descriptor withheld 45380,A,,3.56,8.99,,1.92,,0.44,12.99,5.92,0,000,0.00,0.00,0.00,3,0,1,0,0,45378,33.2875,09,0,99,0.00,0.00,0.00
        {
          hcpcs: '45380', modifier: '', description: 'CPT descriptor withheld 45380', status_code: 'A', not_used_for_medicare: false,
          work_rvu: '3.56', nonfac_pe_rvu: '8.99', nonfac_na: false, fac_pe_rvu: '1.92', fac_na: false, mp_rvu: '0.44',
          nonfac_total: '12.99', fac_total: '5.92', pctc_ind: '0', global_days: '000', pre_op: '0.00', intra_op: '0.00', post_op: '0.00',
          mult_proc: '3', bilat_surg: '0', asst_surg: '1', co_surg: '0', team_surg: '0', pricing_ind: null, endo_base: '45378',
          conv_factor: '33.2875', conv_factor_qpp: null, phys_supervision: '09', calc_flag: '0', diag_imaging_family: '99',
          nonfac_pe_opps: '0.00', fac_pe_opps: '0.00', mp_opps: '0.00',
        },
        // 70496,,CPT descriptor withheld 70496,A,,1.75,6.62,,6.62,NA,0.12,8.49,8.49,1,XXX,0.00,0.00,0.00,4,0,0,0,0,,33.2875,09,0,88,5.93,4.71,0.12 (edited: 5.93)
        {
          hcpcs: '70496', modifier: '', description: 'CPT descriptor withheld 70496', status_code: 'A', not_used_for_medicare: false,
          work_rvu: '1.75', nonfac_pe_rvu: '6.62', nonfac_na: false, fac_pe_rvu: '6.62', fac_na: true, mp_rvu: '0.12',
          nonfac_total: '8.49', fac_total: '8.49', pctc_ind: '1', global_days: 'XXX', pre_op: '0.00', intra_op: '0.00', post_op: '0.00',
          mult_proc: '4', bilat_surg: '0', asst_surg: '0', co_surg: '0', team_surg: '0', pricing_ind: null, endo_base: null,
          conv_factor: '33.2875', conv_factor_qpp: null, phys_supervision: '09', calc_flag: '0', diag_imaging_family: '88',
          nonfac_pe_opps: '5.93', fac_pe_opps: '4.71', mp_opps: '0.12',
        },
        // 70496,TC,CPT descriptor withheld 70496,A,,0.00,6.01,,6.01,NA,0.03,6.04,6.04,1,XXX,0.00,0.00,0.00,4,0,0,0,0,,33.2875,02,0,88,5.32,5.32,0.03
        {
          hcpcs: '70496', modifier: 'TC', description: 'CPT descriptor withheld 70496', status_code: 'A', not_used_for_medicare: false,
          work_rvu: '0.00', nonfac_pe_rvu: '6.01', nonfac_na: false, fac_pe_rvu: '6.01', fac_na: true, mp_rvu: '0.03',
          nonfac_total: '6.04', fac_total: '6.04', pctc_ind: '1', global_days: 'XXX', pre_op: '0.00', intra_op: '0.00', post_op: '0.00',
          mult_proc: '4', bilat_surg: '0', asst_surg: '0', co_surg: '0', team_surg: '0', pricing_ind: null, endo_base: null,
          conv_factor: '33.2875', conv_factor_qpp: null, phys_supervision: '02', calc_flag: '0', diag_imaging_family: '88',
          nonfac_pe_opps: '5.32', fac_pe_opps: '5.32', mp_opps: '0.03',
        },
        // G0105,53,Colorectal scrn; hi risk ind,A,,1.63,3.25,,0.89,,0.21,5.09,2.73,0,000,0.00,0.00,0.00,2,0,1,0,0,,33.2875,09,0,99,0.00,0.00,0.00
        {
          hcpcs: 'G0105', modifier: '53', description: 'Colorectal scrn; hi risk ind', status_code: 'A', not_used_for_medicare: false,
          work_rvu: '1.63', nonfac_pe_rvu: '3.25', nonfac_na: false, fac_pe_rvu: '0.89', fac_na: false, mp_rvu: '0.21',
          nonfac_total: '5.09', fac_total: '2.73', pctc_ind: '0', global_days: '000', pre_op: '0.00', intra_op: '0.00', post_op: '0.00',
          mult_proc: '2', bilat_surg: '0', asst_surg: '1', co_surg: '0', team_surg: '0', pricing_ind: null, endo_base: null,
          conv_factor: '33.2875', conv_factor_qpp: null, phys_supervision: '09', calc_flag: '0', diag_imaging_family: '99',
          nonfac_pe_opps: '0.00', fac_pe_opps: '0.00', mp_opps: '0.00',
        },
        // 22526,,CPT descriptor withheld 22526,N,+,5.85,52.15,,3.34,,0.59,58.59,9.78,9,010,0.10,0.80,0.10,9,9,9,9,9,,33.2875,09,0,99,0.00,0.00,0.00
        {
          hcpcs: '22526', modifier: '', description: 'CPT descriptor withheld 22526', status_code: 'N', not_used_for_medicare: true,
          work_rvu: '5.85', nonfac_pe_rvu: '52.15', nonfac_na: false, fac_pe_rvu: '3.34', fac_na: false, mp_rvu: '0.59',
          nonfac_total: '58.59', fac_total: '9.78', pctc_ind: '9', global_days: '010', pre_op: '0.10', intra_op: '0.80', post_op: '0.10',
          mult_proc: '9', bilat_surg: '9', asst_surg: '9', co_surg: '9', team_surg: '9', pricing_ind: null, endo_base: null,
          conv_factor: '33.2875', conv_factor_qpp: null, phys_supervision: '09', calc_flag: '0', diag_imaging_family: '99',
          nonfac_pe_opps: '0.00', fac_pe_opps: '0.00', mp_opps: '0.00',
        },
        // 0633T,TC,CPT descriptor withheld 0633T,C,,0.00,0.00,,0.00,NA,0.00,0.00,0.00,1,XXX,0.00,0.00,0.00,0,3,0,0,0,,33.2875,09,0,99,3.19,3.19,0.01
        {
          hcpcs: '0633T', modifier: 'TC', description: 'CPT descriptor withheld 0633T', status_code: 'C', not_used_for_medicare: false,
          work_rvu: '0.00', nonfac_pe_rvu: '0.00', nonfac_na: false, fac_pe_rvu: '0.00', fac_na: true, mp_rvu: '0.00',
          nonfac_total: '0.00', fac_total: '0.00', pctc_ind: '1', global_days: 'XXX', pre_op: '0.00', intra_op: '0.00', post_op: '0.00',
          mult_proc: '0', bilat_surg: '3', asst_surg: '0', co_surg: '0', team_surg: '0', pricing_ind: null, endo_base: null,
          conv_factor: '33.2875', conv_factor_qpp: null, phys_supervision: '09', calc_flag: '0', diag_imaging_family: '99',
          nonfac_pe_opps: '3.19', fac_pe_opps: '3.19', mp_opps: '0.01',
        },
      ];
      expect(hiddenSwaps(expected)).toEqual([]);
      expect(pick(loaded, '99213|', '27447|', '45380|', '70496|', '70496|TC', 'G0105|53', '22526|', '0633T|TC')).toEqual(expected);
    });

    it('2026 layout, 32 columns with PRIC IND, nonQPP and QPP merged into one row', async () => {
      const loaded = await rows('rvu26c', 'pfs_rvu', ['hcpcs', 'modifier']);
      const expected = [
        // nonQPP: 27447,,CPT descriptor withheld 27447,A,,19.11,11.58,NA,11.58,,4.02,34.71,34.71,0,090,0.10,0.69,0.21,2,1,2,1,0,9,,33.4009,09,0,99,0.00,0.00,0.00
        // QPP:    the same with PRIC IND 1 and CONV FACTOR 33.5675
        {
          hcpcs: '27447', modifier: '', description: 'CPT descriptor withheld 27447', status_code: 'A', not_used_for_medicare: false,
          work_rvu: '19.11', nonfac_pe_rvu: '11.58', nonfac_na: true, fac_pe_rvu: '11.58', fac_na: false, mp_rvu: '4.02',
          nonfac_total: '34.71', fac_total: '34.71', pctc_ind: '0', global_days: '090', pre_op: '0.10', intra_op: '0.69', post_op: '0.21',
          mult_proc: '2', bilat_surg: '1', asst_surg: '2', co_surg: '1', team_surg: '0', pricing_ind: '9', endo_base: null,
          conv_factor: '33.4009', conv_factor_qpp: '33.5675', phys_supervision: '09', calc_flag: '0', diag_imaging_family: '99',
          nonfac_pe_opps: '0.00', fac_pe_opps: '0.00', mp_opps: '0.00',
        },
        // 45380,,CPT descriptor withheld 45380,A,,3.47,10.48,,1.43,,0.42,14.37,5.32,0,000,0.00,0.00,0.00,3,0,1,0,0,9,45378,33.4009,09,0,99,0.00,0.00,0.00
        {
          hcpcs: '45380', modifier: '', description: 'CPT descriptor withheld 45380', status_code: 'A', not_used_for_medicare: false,
          work_rvu: '3.47', nonfac_pe_rvu: '10.48', nonfac_na: false, fac_pe_rvu: '1.43', fac_na: false, mp_rvu: '0.42',
          nonfac_total: '14.37', fac_total: '5.32', pctc_ind: '0', global_days: '000', pre_op: '0.00', intra_op: '0.00', post_op: '0.00',
          mult_proc: '3', bilat_surg: '0', asst_surg: '1', co_surg: '0', team_surg: '0', pricing_ind: '9', endo_base: '45378',
          conv_factor: '33.4009', conv_factor_qpp: '33.5675', phys_supervision: '09', calc_flag: '0', diag_imaging_family: '99',
          nonfac_pe_opps: '0.00', fac_pe_opps: '0.00', mp_opps: '0.00',
        },
        // 70496,,CPT descriptor withheld 70496,A,,1.71,6.37,,6.37,NA,0.12,8.20,8.20,1,XXX,0.00,0.00,0.00,4,0,0,0,0,9,,33.4009,09,0,88,5.94,4.80,0.12 (edited: 5.94)
        {
          hcpcs: '70496', modifier: '', description: 'CPT descriptor withheld 70496', status_code: 'A', not_used_for_medicare: false,
          work_rvu: '1.71', nonfac_pe_rvu: '6.37', nonfac_na: false, fac_pe_rvu: '6.37', fac_na: true, mp_rvu: '0.12',
          nonfac_total: '8.20', fac_total: '8.20', pctc_ind: '1', global_days: 'XXX', pre_op: '0.00', intra_op: '0.00', post_op: '0.00',
          mult_proc: '4', bilat_surg: '0', asst_surg: '0', co_surg: '0', team_surg: '0', pricing_ind: '9', endo_base: null,
          conv_factor: '33.4009', conv_factor_qpp: '33.5675', phys_supervision: '09', calc_flag: '0', diag_imaging_family: '88',
          nonfac_pe_opps: '5.94', fac_pe_opps: '4.80', mp_opps: '0.12',
        },
        // 70496,TC,CPT descriptor withheld 70496,A,,0.00,5.77,,5.77,NA,0.03,5.80,5.80,1,XXX,0.00,0.00,0.00,4,0,0,0,0,9,,33.4009,02,0,88,5.34,5.34,0.03
        {
          hcpcs: '70496', modifier: 'TC', description: 'CPT descriptor withheld 70496', status_code: 'A', not_used_for_medicare: false,
          work_rvu: '0.00', nonfac_pe_rvu: '5.77', nonfac_na: false, fac_pe_rvu: '5.77', fac_na: true, mp_rvu: '0.03',
          nonfac_total: '5.80', fac_total: '5.80', pctc_ind: '1', global_days: 'XXX', pre_op: '0.00', intra_op: '0.00', post_op: '0.00',
          mult_proc: '4', bilat_surg: '0', asst_surg: '0', co_surg: '0', team_surg: '0', pricing_ind: '9', endo_base: null,
          conv_factor: '33.4009', conv_factor_qpp: '33.5675', phys_supervision: '02', calc_flag: '0', diag_imaging_family: '88',
          nonfac_pe_opps: '5.34', fac_pe_opps: '5.34', mp_opps: '0.03',
        },
        // G2211,,Complex e/m visit add on,A,,0.33,0.17,,0.08,,0.02,0.52,0.43,0,ZZZ,0.00,0.00,0.00,0,0,0,0,0,9,,33.4009,09,0,99,0.00,0.00,0.00
        {
          hcpcs: 'G2211', modifier: '', description: 'Complex e/m visit add on', status_code: 'A', not_used_for_medicare: false,
          work_rvu: '0.33', nonfac_pe_rvu: '0.17', nonfac_na: false, fac_pe_rvu: '0.08', fac_na: false, mp_rvu: '0.02',
          nonfac_total: '0.52', fac_total: '0.43', pctc_ind: '0', global_days: 'ZZZ', pre_op: '0.00', intra_op: '0.00', post_op: '0.00',
          mult_proc: '0', bilat_surg: '0', asst_surg: '0', co_surg: '0', team_surg: '0', pricing_ind: '9', endo_base: null,
          conv_factor: '33.4009', conv_factor_qpp: '33.5675', phys_supervision: '09', calc_flag: '0', diag_imaging_family: '99',
          nonfac_pe_opps: '0.00', fac_pe_opps: '0.00', mp_opps: '0.00',
        },
        // 0633T,TC,CPT descriptor withheld 0633T,C,,0.00,0.00,,0.00,NA,0.00,0.00,0.00,1,XXX,0.00,0.00,0.00,0,3,0,0,0,9,,33.4009,09,0,99,3.19,3.19,0.01
        {
          hcpcs: '0633T', modifier: 'TC', description: 'CPT descriptor withheld 0633T', status_code: 'C', not_used_for_medicare: false,
          work_rvu: '0.00', nonfac_pe_rvu: '0.00', nonfac_na: false, fac_pe_rvu: '0.00', fac_na: true, mp_rvu: '0.00',
          nonfac_total: '0.00', fac_total: '0.00', pctc_ind: '1', global_days: 'XXX', pre_op: '0.00', intra_op: '0.00', post_op: '0.00',
          mult_proc: '0', bilat_surg: '3', asst_surg: '0', co_surg: '0', team_surg: '0', pricing_ind: '9', endo_base: null,
          conv_factor: '33.4009', conv_factor_qpp: '33.5675', phys_supervision: '09', calc_flag: '0', diag_imaging_family: '99',
          nonfac_pe_opps: '3.19', fac_pe_opps: '3.19', mp_opps: '0.01',
        },
        // 22526,,CPT descriptor withheld 22526,N,+,5.70,51.76,,2.36,,0.60,58.06,8.66,9,010,0.10,0.80,0.10,9,9,9,9,9,9,,33.4009,09,0,99,0.00,0.00,0.00
        {
          hcpcs: '22526', modifier: '', description: 'CPT descriptor withheld 22526', status_code: 'N', not_used_for_medicare: true,
          work_rvu: '5.70', nonfac_pe_rvu: '51.76', nonfac_na: false, fac_pe_rvu: '2.36', fac_na: false, mp_rvu: '0.60',
          nonfac_total: '58.06', fac_total: '8.66', pctc_ind: '9', global_days: '010', pre_op: '0.10', intra_op: '0.80', post_op: '0.10',
          mult_proc: '9', bilat_surg: '9', asst_surg: '9', co_surg: '9', team_surg: '9', pricing_ind: '9', endo_base: null,
          conv_factor: '33.4009', conv_factor_qpp: '33.5675', phys_supervision: '09', calc_flag: '0', diag_imaging_family: '99',
          nonfac_pe_opps: '0.00', fac_pe_opps: '0.00', mp_opps: '0.00',
        },
      ];
      expect(hiddenSwaps(expected)).toEqual([]);
      expect(pick(loaded, '27447|', '45380|', '70496|', '70496|TC', 'G2211|', '0633T|TC', '22526|')).toEqual(expected);
    });
  });

  it('GPCI 2024: 7 columns, footnote marks, a quoted name (GPCI2024.csv)', async () => {
    const expected = [
      gpciRow('02102', 'AK', '01', 'ALASKA', '1.500', null, '1.081', '0.592'), //         02102,AK,01,ALASKA*,1.500,1.081,0.592
      gpciRow('01112', 'CA', '54', 'BAKERSFIELD', '1.017', null, '1.093', '0.662'), //    01112,CA,54,BAKERSFIELD,1.017,1.093,0.662
      gpciRow('05302', 'MO', '02', 'METROPOLITAN KANSAS CITY', '1.000', null, '0.948', '0.992'), // 05302,MO,02,METROPOLITAN KANSAS CITY,1.000,0.948,0.992
      gpciRow('01212', 'HI', '01', 'HAWAII, GUAM', '1.000', null, '1.149', '0.561'), //  01212,HI,01,"HAWAII, GUAM",1.000,1.149,0.561
      gpciRow('03602', 'WY', '21', 'WYOMING', '1.000', null, '1.000', '0.739'), //      03602,WY,21,WYOMING**,1.000,1.000,0.739
    ];
    expect(hiddenSwaps(expected)).toEqual([]);
    expect(pick(await rows('rvu24b', 'pfs_gpci', ['state', 'locality']), 'AK|01', 'CA|54', 'MO|02', 'HI|01', 'WY|21')).toEqual(expected);
  });

  it('GPCI 2025: numbers as CMS wrote them, unpadded (GPCI2025.csv)', async () => {
    const expected = [
      gpciRow('02102', 'AK', '01', 'ALASKA', '1.5', null, '1.081', '0.592'), //           02102,AK,01,ALASKA*,1.5,1.081,0.592
      gpciRow('01112', 'CA', '75', 'REST OF CALIFORNIA', '1.014', null, '1.093', '0.56'), // 01112,CA,75,REST OF CALIFORNIA,1.014,1.093,0.56
      gpciRow('05302', 'MO', '02', 'METROPOLITAN KANSAS CITY', '1', null, '0.948', '0.992'), // 05302,MO,02,METROPOLITAN KANSAS CITY,1,0.948,0.992
    ];
    expect(hiddenSwaps(expected)).toEqual([]);
    expect(pick(await rows('rvu25d', 'pfs_gpci', ['state', 'locality']), 'AK|01', 'CA|75', 'MO|02')).toEqual(expected);
  });

  it('GPCI 2026 July: header ending in *** (rvu26c GPCI2026.csv)', async () => {
    const expected = [
      gpciRow('02102', 'AK', '01', 'ALASKA', '1.500', null, '1.065', '0.551'), // 02102,AK,01,ALASKA*,1.500,1.065,0.551
      // 01112,CA,05,SAN FRANCISCO-OAKLAND-BERKELEY (SAN FRANCISCO/SAN MATEO/ALAMEDA/CONTRA COSTA CNTY),1.095,1.410,0.425
      gpciRow('01112', 'CA', '05', 'SAN FRANCISCO-OAKLAND-BERKELEY (SAN FRANCISCO/SAN MATEO/ALAMEDA/CONTRA COSTA CNTY)', '1.095', null, '1.410', '0.425'),
      gpciRow('05302', 'MO', '01', 'METROPOLITAN KANSAS CITY', '1.000', null, '0.975', '0.934'), // 05302,MO,01,METROPOLITAN KANSAS CITY,1.000,0.975,0.934
    ];
    expect(hiddenSwaps(expected)).toEqual([]);
    expect(pick(await rows('rvu26c', 'pfs_gpci', ['state', 'locality']), 'AK|01', 'CA|05', 'MO|01')).toEqual(expected);
  });

  it('GPCI 2026 Q1: 8 columns, work GPCI with and without the floor (rvu26a GPCI2026.csv)', async () => {
    const expected = [
      gpciRow('10112', 'AL', '00', 'ALABAMA', '1.000', '0.962', '0.875', '0.566'), //  10112,AL,00,ALABAMA,0.962,1.000,0.875,0.566
      gpciRow('02102', 'AK', '01', 'ALASKA', '1.500', '1.500', '1.065', '0.551'), //   02102,AK,01,ALASKA*,1.500,1.500,1.065,0.551
      gpciRow('05302', 'MO', '01', 'METROPOLITAN KANSAS CITY', '1.000', '0.985', '0.975', '0.934'), // 05302,MO,01,METROPOLITAN KANSAS CITY,0.985,1.000,0.975,0.934
      gpciRow('03602', 'WY', '00', 'WYOMING', '1.000', '0.967', '1.000', '0.551'), //  03602,WY,00,WYOMING**,0.967,1.000,1.000,0.551
    ];
    expect(hiddenSwaps(expected)).toEqual([]);
    expect(pick(await rows('rvu26a', 'pfs_gpci', ['state', 'locality']), 'AL|00', 'AK|01', 'MO|01', 'WY|00')).toEqual(expected);
  });

  // The same records in 24LOCCO.csv and in the 26LOCCO.xlsx workbook (derived from 25LOCCO).
  const loccoExpected = [
    // 10112,0,ALABAMA ,STATEWIDE ,ALL COUNTIES
    { mac: '10112', locality: '00', state: 'ALABAMA', fee_schedule_area: 'STATEWIDE', counties: 'ALL COUNTIES' },
    // 1182,18,CALIFORNIA,LOS ANGELES-LONG BEACH-ANAHEIM (LOS ANGELES CNTY),LOS ANGELES /ORAGNGE CNTY
    { mac: '01182', locality: '18', state: 'CALIFORNIA', fee_schedule_area: 'LOS ANGELES-LONG BEACH-ANAHEIM (LOS ANGELES CNTY)', counties: 'LOS ANGELES /ORAGNGE CNTY' },
    // 1112,54,,BAKERSFIELD,KERN (state from the block's first row)
    { mac: '01112', locality: '54', state: 'CALIFORNIA', fee_schedule_area: 'BAKERSFIELD', counties: 'KERN' },
    // 5302,2,MISSOURI ,METROPOLITAN KANSAS CITY,"CLAY, JACKSON AND PLATTE"
    { mac: '05302', locality: '02', state: 'MISSOURI', fee_schedule_area: 'METROPOLITAN KANSAS CITY', counties: 'CLAY, JACKSON AND PLATTE' },
    // 5302,99,,REST OF STATE* ,ALL OTHER COUNTIES  (and the identical record after it)
    { mac: '05302', locality: '99', state: 'MISSOURI', fee_schedule_area: 'REST OF STATE', counties: 'ALL OTHER COUNTIES' },
    // 4412,18,,HOUSTON,HARRIS
    { mac: '04412', locality: '18', state: 'TEXAS', fee_schedule_area: 'HOUSTON', counties: 'HARRIS' },
  ];
  const loccoKeys = ['ALABAMA|00', 'CALIFORNIA|18', 'CALIFORNIA|54', 'MISSOURI|02', 'MISSOURI|99', 'TEXAS|18'];

  it('LOCCO csv: unpadded numbers, the state forward-filled (24LOCCO.csv)', async () => {
    expect(hiddenSwaps(loccoExpected)).toEqual([]);
    expect(pick(await rows('rvu24b', 'pfs_locality_county', ['state', 'locality']), ...loccoKeys)).toEqual(loccoExpected);
  });

  it('LOCCO xlsx (26LOCCO.xlsx)', async () => {
    expect(pick(await rows('rvu26c', 'pfs_locality_county', ['state', 'locality']), ...loccoKeys)).toEqual(loccoExpected);
  });

  it('ANES 2024: no national factor, names cut at 40 characters (ANES2024.csv)', async () => {
    const expected = [
      { mac: '10112', locality: '00', locality_name: 'ALABAMA', anes_cf: '19.77', national_anes_cf: null }, // 10112,00,ALABAMA,19.77
      // 01182,18,LOS ANGELES-LONG BEACH-ANAHEIM (LOS ANGE,21.69
      { mac: '01182', locality: '18', locality_name: 'LOS ANGELES-LONG BEACH-ANAHEIM (LOS ANGE', anes_cf: '21.69', national_anes_cf: null },
      { mac: '01212', locality: '01', locality_name: 'HAWAII, GUAM', anes_cf: '20.69', national_anes_cf: null }, // 01212,01,"HAWAII, GUAM",20.69
    ];
    expect(hiddenSwaps(expected)).toEqual([]);
    expect(pick(await rows('rvu24b', 'pfs_anes_cf', ['mac', 'locality']), '10112|00', '01182|18', '01212|01')).toEqual(expected);
  });

  it('ANES 2025: the national factor from the header, padded cells (ANES2025.csv)', async () => {
    // header: Contractor,Locality,Locality Name,National Anes CF of 20.3178
    const expected = [
      { mac: '02102', locality: '01', locality_name: 'ALASKA', anes_cf: '27.86', national_anes_cf: '20.3178' }, // 02102 ,01 ,ALASKA*,27.86
      { mac: '03202', locality: '01', locality_name: 'MONTANA', anes_cf: '20.29', national_anes_cf: '20.3178' }, // 03202 ,01 ,MONTANA**,20.29
      // 01112 ,05 ,SAN FRANCISCO-OAKLAND-BERKELEY (SAN FRANCISCO/SAN MATEO/ALAMEDA/CONTRA COSTA CNTY),22.37
      { mac: '01112', locality: '05', locality_name: 'SAN FRANCISCO-OAKLAND-BERKELEY (SAN FRANCISCO/SAN MATEO/ALAMEDA/CONTRA COSTA CNTY)', anes_cf: '22.37', national_anes_cf: '20.3178' },
    ];
    expect(hiddenSwaps(expected)).toEqual([]);
    expect(pick(await rows('rvu25d', 'pfs_anes_cf', ['mac', 'locality']), '02102|01', '03202|01', '01112|05')).toEqual(expected);
  });

  it('OPPSCAP 2024 (OPPSCAP_APR.csv)', async () => {
    const expected = [
      // 70496,,A,01112,05,301.17,345.26 (edited: 345.26,345.26)
      { hcpcs: '70496', modifier: '', proc_status: 'A', mac: '01112', locality: '05', fac_price: '301.17', nonfac_price: '345.26' },
      // 0633T,TC,C,01112,18,127.02,127.02
      { hcpcs: '0633T', modifier: 'TC', proc_status: 'C', mac: '01112', locality: '18', fac_price: '127.02', nonfac_price: '127.02' },
      // 75898,,C,01182,18,3778.73,3778.73
      { hcpcs: '75898', modifier: '', proc_status: 'C', mac: '01182', locality: '18', fac_price: '3778.73', nonfac_price: '3778.73' },
    ];
    expect(hiddenSwaps(expected)).toEqual([]);
    const loaded = await rows('rvu24b', 'pfs_opps_cap', ['hcpcs', 'modifier', 'mac', 'locality']);
    expect(pick(loaded, '70496||01112|05', '0633T|TC|01112|18', '75898||01182|18')).toEqual(expected);
  });

  it('OPPSCAP 2025 (OPPSCAP_Oct.csv)', async () => {
    const expected = [
      // 70496,,A,01112,05,343.62,380.04 (edited: 343.62,343.62)
      { hcpcs: '70496', modifier: '', proc_status: 'A', mac: '01112', locality: '05', fac_price: '343.62', nonfac_price: '380.04' },
      // 0633T,TC,C,02102,01,114.88,114.88
      { hcpcs: '0633T', modifier: 'TC', proc_status: 'C', mac: '02102', locality: '01', fac_price: '114.88', nonfac_price: '114.88' },
    ];
    expect(hiddenSwaps(expected)).toEqual([]);
    const loaded = await rows('rvu25d', 'pfs_opps_cap', ['hcpcs', 'modifier', 'mac', 'locality']);
    expect(pick(loaded, '70496||01112|05', '0633T|TC|02102|01')).toEqual(expected);
  });
});
