/**
 * ASP pricing files ("Medicare Part B payment limit files" from 2026): one release per quarter
 * (`ASP2025_JAN`), named by the month and year in CMS's names
 * (`january-2025-asp-pricing-file-12_19_24-final-file.zip`,
 * `section 508 version of Jul 2024 ASP Pricing File 062024.csv`). CMS re-posts corrections inside
 * an unchanged zip name (`… updated 030725.csv`): new bytes, the next revision of the same code.
 */
import type { Family, ReleaseIdentity } from '../../src/pipeline.js';
import { monthOfQuarter, quarterOfMonth, quarterStart, type Quarter } from '../quarters.js';
import { monthYearMembers, quarterFromNames } from '../release-names.js';
import { aspPaymentLimits } from './payment-limits.js';
import { aspSchedule } from './schedule.js';

const CODE = /^ASP(\d{4})_(JAN|APR|JUL|OCT)$/i;

function identity(year: number, quarter: Quarter): ReleaseIdentity {
  return { code: `ASP${year}_${monthOfQuarter(quarter)}`, year, quarter, effectiveFrom: quarterStart(year, quarter) };
}

export const aspFamily: Family = {
  name: 'asp',
  title: 'ASP payment limit files',
  codeExamples: ['ASP2025_JAN'],
  datasets: [aspPaymentLimits],
  codeSchedule: aspSchedule,

  // the page parser brings cheerio: loaded only when discovery runs
  discover: async (site) => (await import('./pages.js')).discoverAsp(site),

  fromCode(code) {
    const match = CODE.exec(code);
    return match ? identity(Number(match[1]), quarterOfMonth(match[2]!)!) : null;
  },

  membersRelease: (members) => monthYearMembers(members, identity),

  identify(source) {
    return quarterFromNames(source, identity, {
      what: 'ASP payment limits',
      expected: 'a name holding the month and year (january-2025-asp-pricing-file…, Jul 2024 ASP Pricing File), or --code ASP2025_JAN',
    });
  },
};
