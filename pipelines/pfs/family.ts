/**
 * The PFS Relative Value Files family: one release per `RVUyyX` zip (X = A–D, plus corrections
 * such as `RVU24AR`), holding PPRRVU, GPCI, LOCCO, ANES and OPPSCAP.
 */
import { InputError } from '../../src/errors.js';
import type { Family, ReleaseIdentity } from '../../src/pipeline.js';
import { fullYear, quarterOfMonth, quarterStart, type Quarter } from '../quarters.js';
import { anes } from './anes.js';
import { gpci } from './gpci.js';
import { locco } from './locco.js';
import { oppscap } from './oppscap.js';
import { pprrvu } from './pprrvu.js';

/** `RVU25D`, `rvu24ar`, `rvu26ar1`, `rvu25a-updated-01-10-2025.zip` */
const RELEASE_NAME = /^RVU(\d{2})([A-D])(R\d*)?(?![A-Z0-9])/i;
/** `PPRRVU24_APR`, `PPRRVU2025_Oct`, `PPRRVU2026_Jul_nonQPP` */
const PPRRVU_NAME = /^PPRRVU(\d{2}|\d{4})_(JAN|APR|JUL|OCT)/i;

function identity(year: number, letter: string, correction: string | undefined): ReleaseIdentity {
  const quarter = ('ABCD'.indexOf(letter.toUpperCase()) + 1) as Quarter;
  return {
    code: `RVU${String(year % 100).padStart(2, '0')}${letter.toUpperCase()}${(correction ?? '').toUpperCase()}`,
    year,
    quarter,
    effectiveFrom: quarterStart(year, quarter),
  };
}

export const pfsFamily: Family = {
  name: 'pfs',
  datasets: [pprrvu, gpci, locco, anes, oppscap],

  fromCode(code) {
    const match = RELEASE_NAME.exec(code);
    if (!match || match[0].length !== code.length) return null;
    return identity(fullYear(match[1]!), match[2]!, match[3]);
  },

  identify({ name, members }) {
    const byName = RELEASE_NAME.exec(name);
    const fromName = byName ? identity(fullYear(byName[1]!), byName[2]!, byName[3]) : undefined;

    const pprrvuMember = members.map((member) => PPRRVU_NAME.exec(member)).find((match) => match !== null);
    const fromMember = pprrvuMember
      ? identity(fullYear(pprrvuMember[1]!), 'ABCD'[quarterOfMonth(pprrvuMember[2]!)! - 1]!, undefined)
      : undefined;

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
