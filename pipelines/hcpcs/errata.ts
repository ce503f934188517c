/**
 * Errors of CMS's own in released HCPCS files, corrected while parsing (src/parse/errata.ts).
 * Each names the release, file, record and field, what the file says, what it should say, and the
 * evidence. The code tables stay strict: a value not declared here still fails the import.
 */
import type { Erratum } from '../../src/pipeline.js';

/** The 2018 annual file, txt and xlsx alike (`HCPC2018_CONTR_ANWEB_disc`). */
const FILE_2018 = /^HCPC2018_CONTR_ANWEB/i;

/**
 * HCPC2018_JAN: five codes added in 2017–2018 carry their ASC payment date two positions early,
 * over the ASC group (txt positions 231-238 instead of 233-240; the xlsx has the same split), so
 * ASC_GRP reads "20" and ASC_DT the rest of the date. Evidence: in this file an ASC date appears
 * only with ASC group YY (412 records, every other record with a date), the shifted date equals
 * each code's ADD DT, and the 2020 annual file lists C9745 and C9747 with ASC group YY and that
 * same date.
 */
const ASC_SHIFT_2018: readonly [code: string, date: string][] = [
  ['C9488', '20170401'],
  ['C9745', '20170701'],
  ['C9746', '20170701'],
  ['C9747', '20170701'],
  ['C9748', '20180101'],
];

const WHY_2018 =
  'the ASC date is written two positions early, over the ASC group; in this file an ASC date comes only with ASC group YY, ' +
  'it equals the add date as here, and the 2020 file has C9745 and C9747 as YY with this date';

export const HCPCS_ERRATA: readonly Erratum[] = ASC_SHIFT_2018.flatMap(([key, date]) => [
  { release: 'HCPC2018_JAN', file: FILE_2018, key, field: 'ASC_GRP', found: date.slice(0, 2), corrected: 'YY', reason: WHY_2018 },
  { release: 'HCPC2018_JAN', file: FILE_2018, key, field: 'ASC_DT', found: date.slice(2), corrected: date, reason: WHY_2018 },
]);
