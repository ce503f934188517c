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
      const pprrvu = PPRRVU_NAME.exec(member);
      if (pprrvu) {
        const release = rvuReleaseOfQuarter(fullYear(pprrvu[1]!), quarterOfMonth(pprrvu[2]!)!);
        return [{ member, year: release.year, quarter: release.quarter, code: release.code }];
      }
      const year = YEAR_NAMES.map((pattern) => pattern.exec(member)?.[1]).find((digits) => digits !== undefined);
      return year === undefined ? [] : [{ member, year: fullYear(year) }];
    });
  },

  identify({ name, members }) {
    const fromName = rvuReleaseInName(name) ?? undefined;

    const pprrvuMember = members.map((member) => PPRRVU_NAME.exec(member)).find((match) => match !== null);
    const fromMember = pprrvuMember ? rvuReleaseOfQuarter(fullYear(pprrvuMember[1]!), quarterOfMonth(pprrvuMember[2]!)!) : undefined;

    if (fromName && fromMember && (fromName.year !== fromMember.year || fromName.quarter !== fromMember.quarter)) {
      throw new InputError(
        `the name says ${fromName.code} but its PPRRVU file (${pprrvuMember![0]}) belongs to ${fromMember.code}`,
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
