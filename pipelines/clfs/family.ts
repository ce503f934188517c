/**
 * The Clinical Laboratory Fee Schedule: one release per quarter, coded as CMS names its zip
 * (`25CLABQ1`), read from the zip name or the files' (`CLFS 2025 Q1V1.csv`). A re-post of the
 * quarter (`…V2` files, or new bytes under the same name) is the next revision of that code.
 */
import { InputError } from '../../src/errors.js';
import type { Family, ReleaseIdentity } from '../../src/pipeline.js';
import { fullYear, quarterStart, type Quarter } from '../quarters.js';
import { clfsRates } from './rates.js';
import { clfsSchedule } from './schedule.js';

/** `25CLABQ1`, `25clabq1.zip`, `25CLABQ1V2` */
const ZIP_NAME = /(?<![A-Z0-9])(\d{2})CLABQ([1-4])(?:V\d+)?(?![A-Z0-9])/i;
/** `CLFS 2025 Q1V1`, `CLFS_2025_Q2` */
const FILE_NAME = /CLFS[\s_-]*(\d{4})[\s_-]*Q([1-4])/i;
const CODE = /^(\d{2})CLABQ([1-4])$/i;

function identity(year: number, quarter: Quarter): ReleaseIdentity {
  return { code: `${String(year % 100).padStart(2, '0')}CLABQ${quarter}`, year, quarter, effectiveFrom: quarterStart(year, quarter) };
}

function fromName(name: string): ReleaseIdentity | undefined {
  const zip = ZIP_NAME.exec(name);
  if (zip) return identity(fullYear(zip[1]!), Number(zip[2]) as Quarter);
  const file = FILE_NAME.exec(name);
  return file ? identity(Number(file[1]), Number(file[2]) as Quarter) : undefined;
}

export const clfsFamily: Family = {
  name: 'clfs',
  title: 'Clinical Laboratory Fee Schedule files',
  codeExamples: ['25CLABQ1'],
  datasets: [clfsRates],
  codeSchedule: clfsSchedule,

  // the page parser brings cheerio: loaded only when discovery runs
  discover: async (site) => (await import('./pages.js')).discoverClfs(site),

  fromCode(code) {
    const match = CODE.exec(code);
    return match ? identity(fullYear(match[1]!), Number(match[2]) as Quarter) : null;
  },

  membersRelease: (members) =>
    members.flatMap((member) => {
      const found = fromName(member);
      return found === undefined ? [] : [{ member, year: found.year, quarter: found.quarter, code: found.code }];
    }),

  identify({ name, members }) {
    const found = [name, ...members].map(fromName).filter((release) => release !== undefined);
    const [first] = found;
    if (!first) {
      throw new InputError('cannot tell which CLFS quarter this is', {
        file: name,
        value: members.join(', '),
        expected: 'a name like 25CLABQ1.zip or CLFS 2025 Q1V1.csv, or --code 25CLABQ1',
      });
    }
    const other = found.find((release) => release.code !== first.code);
    if (other) {
      throw new InputError(`the names belong to two quarters (${first.code} and ${other.code})`, {
        file: name,
        value: [name, ...members].join(', '),
        expected: 'one CLFS quarter, or --code 25CLABQ1',
      });
    }
    return first;
  },
};
