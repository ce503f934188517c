/**
 * ASP pricing files ("Medicare Part B payment limit files" from 2026): one release per quarter
 * (`ASP2025_JAN`), named by the month and year in CMS's names
 * (`january-2025-asp-pricing-file-12_19_24-final-file.zip`,
 * `section 508 version of Jul 2024 ASP Pricing File 062024.csv`). CMS re-posts corrections inside
 * an unchanged zip name (`… updated 030725.csv`): new bytes, the next revision of the same code.
 */
import { monthYearFamily } from '../release-names.js';
import { aspPaymentLimits } from './payment-limits.js';
import { aspSchedule } from './schedule.js';

export const aspFamily = monthYearFamily({
  name: 'asp',
  title: 'ASP payment limit files',
  prefix: 'ASP',
  datasets: [aspPaymentLimits],
  codeSchedule: aspSchedule,
  // the page parser brings cheerio: loaded only when discovery runs
  discover: async (site) => (await import('./pages.js')).discoverAsp(site),
  names: {
    what: 'ASP payment limits',
    expected: 'a name holding the month and year (january-2025-asp-pricing-file…, Jul 2024 ASP Pricing File), or --code ASP2025_JAN',
  },
});
