/**
 * OPPS Addendum B: one release per quarter (`OPPS2025_JUL`), named by the month and year in
 * CMS's file names (`Section 508 version of January 2025 Web Addendum B.12.31.24.csv`,
 * `July_2022_Web_Addendum_B.062222.xlsx`). A correction re-posted for the same quarter (new
 * bytes) is the next revision of that code and supersedes the first posting.
 */
import type { Family, ReleaseIdentity } from '../../src/pipeline.js';
import { monthOfQuarter, quarterOfMonth, quarterStart, type Quarter } from '../quarters.js';
import { monthYearMembers, quarterFromNames } from '../release-names.js';
import { addendumB } from './addendum-b.js';
import { addendumBSchedule } from './schedule.js';

const CODE = /^OPPS(\d{4})_(JAN|APR|JUL|OCT)$/i;

function identity(year: number, quarter: Quarter): ReleaseIdentity {
  return { code: `OPPS${year}_${monthOfQuarter(quarter)}`, year, quarter, effectiveFrom: quarterStart(year, quarter) };
}

export const oppsFamily: Family = {
  name: 'opps',
  title: 'OPPS Addendum B',
  codeExamples: ['OPPS2025_JAN'],
  datasets: [addendumB],
  codeSchedule: addendumBSchedule,

  // the page parser brings cheerio: loaded only when discovery runs
  discover: async (site) => (await import('./pages.js')).discoverOpps(site),

  fromCode(code) {
    const match = CODE.exec(code);
    return match ? identity(Number(match[1]), quarterOfMonth(match[2]!)!) : null;
  },

  membersRelease: (members) => monthYearMembers(members, identity),

  identify(source) {
    return quarterFromNames(source, identity, {
      what: 'Addendum B',
      expected: 'a name holding the month and year (January 2025 Web Addendum B, July_2022_Web_Addendum_B), or --code OPPS2025_JAN',
    });
  },
};
