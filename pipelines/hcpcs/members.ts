/**
 * Which member of a HCPCS zip is the ANWEB data file. Its name drifts (`HCPC2026_APR_ANWEB`,
 * `_v2`, `_12292025`, `_w_disclaimer`, `_disc`, `HCPC17_CONTR_ANWEB`), and the zip also holds
 * transaction reports, corrections, NOC lists, the record layout and procedure notes, some of
 * which may carry ANWEB in their names too.
 */
import type { MemberRule } from '../../src/pipeline.js';

/** Words that mark a member as something other than the data file (NOC and notes as whole words). */
const NOT_DATA = String.raw`trans|correct|layout|(?:^|[^a-z])noc(?:[^a-z]|$)|notes?(?:[^a-z]|$)`;

/** Contains ANWEB, and none of the words above. */
export const ANWEB_STEM = new RegExp(`^(?=.*anweb)(?!.*(?:${NOT_DATA})).*$`, 'i');

export const ANWEB_MEMBERS: MemberRule = {
  stem: ANWEB_STEM,
  names: 'HCPC*ANWEB*.txt / .xlsx / .xls',
  // The txt is the canonical form; a workbook is loaded when it is missing, and cross-checked otherwise.
  formats: ['txt', 'xlsx', 'xls'],
};
