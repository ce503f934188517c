/**
 * The PFS Relative Value Files family: one release per `RVUyyX` zip (X = A–D, plus corrections
 * such as `RVU24AR`), holding PPRRVU, GPCI, LOCCO, ANES and OPPSCAP.
 */
import { InputError } from '../../src/errors.js';
import type { Family, MemberRelease } from '../../src/pipeline.js';
import { fullYear, quarterOfMonth, QUARTER_MONTH_PATTERN } from '../quarters.js';
import { anes } from './anes.js';
import { gpci } from './gpci.js';
import { locco } from './locco.js';
import { oppscap } from './oppscap.js';
import { pprrvu } from './pprrvu.js';
import { parseRvuCode, rvuReleaseInName, rvuReleaseOfQuarter } from './release-name.js';

/** `PPRRVU24_APR`, `PPRRVU2025_Oct`, `PPRRVU2026_Jul_nonQPP`: the quarter a PPRRVU file belongs to */
const PPRRVU_NAME = new RegExp(`^PPRRVU(\\d{2}|\\d{4})_(${QUARTER_MONTH_PATTERN})`, 'i');
/**
 * `GPCI2026`, `ANES2025`, `26LOCCO`: files named by their year alone. (OPPSCAP's names hold a
 * month and no year, `OPPSCAP_Oct`: they say nothing that a code could contradict here.)
 */
const YEAR_NAMES = [/^(?:GPCI|ANES)(\d{4})(?!\d)/i, /^(\d{2})LOCCO/i];

/** The release a PPRRVU member's name stands for (`PPRRVU2026_Jul_nonQPP` → RVU26C), if it is one. */
function pprrvuRelease(member: string): ReturnType<typeof rvuReleaseOfQuarter> | undefined {
  const match = PPRRVU_NAME.exec(member);
  return match ? rvuReleaseOfQuarter(fullYear(match[1]!), quarterOfMonth(match[2]!)!) : undefined;
}

export const pfsFamily: Family = {
  name: 'pfs',
  title: 'PFS Relative Value Files',
  codeExamples: ['RVU25D', 'RVU24AR'],
  datasets: [pprrvu, gpci, locco, anes, oppscap],

  fromCode: parseRvuCode,
  // the page parser brings cheerio (a few hundred modules): loaded only when discovery runs
  discover: async (site) => (await import('./pages.js')).discoverPfs(site),

  // a correction (RVU24AR, effective mid-quarter) may ship files named for the next quarter
  // (`PPRRVU24_APR.csv` under --code RVU24AR): only its year is checked
  checksQuarterOf: (code) => !/R\d*$/i.test(code),

  membersRelease(members) {
    return members.flatMap((member): MemberRelease[] => {
      const release = pprrvuRelease(member);
      if (release) return [{ member, year: release.year, quarter: release.quarter, code: release.code }];
      const year = YEAR_NAMES.map((pattern) => pattern.exec(member)?.[1]).find((digits) => digits !== undefined);
      return year === undefined ? [] : [{ member, year: fullYear(year) }];
    });
  },

  identify({ name, members }) {
    const fromName = rvuReleaseInName(name) ?? undefined;

    const pprrvuMember = members.find((member) => PPRRVU_NAME.test(member));
    const fromMember = pprrvuMember === undefined ? undefined : pprrvuRelease(pprrvuMember);

    if (fromName && fromMember && (fromName.year !== fromMember.year || fromName.quarter !== fromMember.quarter)) {
      throw new InputError(
        `the name says ${fromName.code} but its PPRRVU file (${PPRRVU_NAME.exec(pprrvuMember!)![0]}) belongs to ${fromMember.code}`,
        { file: name, expected: 'a name and contents of the same release, or --code to say which it is' },
      );
    }
    const found = fromName ?? fromMember;
    if (!found) {
      throw new InputError('cannot tell which PFS release this is', {
        file: name,
        expected: 'a name like rvu25d.zip or RVU25D/, a PPRRVU file, or --code RVU25D',
      });
    }
    return found;
  },
};
