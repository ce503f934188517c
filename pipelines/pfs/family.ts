/**
 * The PFS Relative Value Files family: one release per `RVUyyX` zip (X = A–D, plus corrections
 * such as `RVU24AR`), holding PPRRVU, GPCI, LOCCO, ANES and OPPSCAP.
 */
import { InputError } from '../../src/errors.js';
import type { Family } from '../../src/pipeline.js';
import { fullYear, quarterOfMonth, QUARTER_MONTH_PATTERN } from '../quarters.js';
import { anes } from './anes.js';
import { gpci } from './gpci.js';
import { locco } from './locco.js';
import { oppscap } from './oppscap.js';
import { pprrvu } from './pprrvu.js';
import { parseRvuCode, rvuReleaseInName, rvuReleaseOfQuarter } from './release-name.js';

/** `PPRRVU24_APR`, `PPRRVU2025_Oct`, `PPRRVU2026_Jul_nonQPP`: the quarter a PPRRVU file belongs to */
const PPRRVU_NAME = new RegExp(`^PPRRVU(\\d{2}|\\d{4})_(${QUARTER_MONTH_PATTERN})`, 'i');

export const pfsFamily: Family = {
  name: 'pfs',
  title: 'PFS Relative Value Files',
  codeExamples: ['RVU25D', 'RVU24AR'],
  datasets: [pprrvu, gpci, locco, anes, oppscap],

  fromCode: parseRvuCode,
  // the page parser brings cheerio (a few hundred modules): loaded only when discovery runs
  discover: async (site) => (await import('./pages.js')).discoverPfs(site),

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
