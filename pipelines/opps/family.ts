/**
 * OPPS Addendum B: one release per quarter (`OPPS2025_JUL`), named by the month and year in
 * CMS's file names (`Section 508 version of January 2025 Web Addendum B.12.31.24.csv`,
 * `July_2022_Web_Addendum_B.062222.xlsx`). A correction re-posted for the same quarter (new
 * bytes) is the next revision of that code and supersedes the first posting.
 */
import { monthYearFamily } from '../release-names.js';
import { addendumB } from './addendum-b.js';
import { addendumBSchedule } from './schedule.js';

export const oppsFamily = monthYearFamily({
  name: 'opps',
  title: 'OPPS Addendum B',
  prefix: 'OPPS',
  datasets: [addendumB],
  codeSchedule: addendumBSchedule,
  // the page parser brings cheerio: loaded only when discovery runs
  discover: async (site) => (await import('./pages.js')).discoverOpps(site),
  names: {
    what: 'Addendum B',
    expected: 'a name holding the month and year (January 2025 Web Addendum B, July_2022_Web_Addendum_B), or --code OPPS2025_JAN',
  },
});
