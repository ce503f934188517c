/** Pieces of CMS file names shared by the fee-schedule families: months, years and posting dates. */
import { InputError } from '../src/errors.js';
import type { Family, MemberRelease, ReleaseIdentity } from '../src/pipeline.js';
import { isoDate } from '../src/parse/values.js';
import { monthOfQuarter, quarterOfMonth, quarterStart, type Quarter } from './quarters.js';

/** `January 2025`, `jul-2024`, `2025_OCT` anywhere in a name → year and quarter (quarter months only). */
const MONTH_YEAR = /(?<![A-Z])(JAN|APR|JUL|OCT)(?:UARY|IL|Y|OBER)?[\s_.-]*(20\d{2})(?!\d)/i;
const YEAR_MONTH = /(?<!\d)(20\d{2})[\s_.-]*(JAN|APR|JUL|OCT)(?:UARY|IL|Y|OBER)?(?![A-Z])/i;

export function monthYearIn(name: string): { year: number; quarter: Quarter } | undefined {
  const monthFirst = MONTH_YEAR.exec(name);
  if (monthFirst) return { year: Number(monthFirst[2]), quarter: quarterOfMonth(monthFirst[1]!)! };
  const yearFirst = YEAR_MONTH.exec(name);
  if (yearFirst) return { year: Number(yearFirst[1]), quarter: quarterOfMonth(yearFirst[2]!)! };
  return undefined;
}

/** The members whose names hold a quarter's month and year (`January 2025 Web Addendum B`), as the release each names. */
export function monthYearMembers(members: readonly string[], make: (year: number, quarter: Quarter) => ReleaseIdentity): MemberRelease[] {
  return members.flatMap((member) => {
    const found = monthYearIn(member);
    return found === undefined ? [] : [{ member, year: found.year, quarter: found.quarter, code: make(found.year, found.quarter).code }];
  });
}

/** How CMS appends a posting date (month, day, two-digit year) to a name, most specific first. */
const POSTING_DATES: readonly RegExp[] = [
  /updated[\s_-]*(\d{2})(\d{2})(\d{2})(?!\d)/i, // `… updated 030725`
  /\.(\d{2})\.(\d{2})\.(\d{2})$/, //              `….12.31.24`
  /\.(\d{2})(\d{2})(\d{2})$/, //                    `….062222`
  /(?<!\d)(\d{2})_(\d{2})_(\d{2})(?!\d)/, //        `…-12_19_24-…`
  /\s(\d{2})(\d{2})(\d{2})$/, //                     `… File 062024`
];

/** The posting date in a file or archive name (without extension) → ISO date, or undefined. */
export function postingDateIn(stem: string): string | undefined {
  for (const pattern of POSTING_DATES) {
    const match = pattern.exec(stem);
    if (!match) continue;
    return isoDate(2000 + Number(match[3]), Number(match[1]), Number(match[2])) ?? undefined;
  }
  return undefined;
}

/**
 * The one quarter that a source's name and its members' names hold (`January 2025 …`), as a
 * release identity; an InputError when none does or two quarters disagree.
 */
export function quarterFromNames(
  source: { name: string; members: readonly string[] },
  make: (year: number, quarter: Quarter) => ReleaseIdentity,
  describe: { what: string; expected: string },
): ReleaseIdentity {
  const names = [source.name, ...source.members];
  const found = names.map(monthYearIn).filter((quarter) => quarter !== undefined);
  const [first] = found;
  if (!first) {
    throw new InputError(`cannot tell which quarter of ${describe.what} this is`, {
      file: source.name,
      value: source.members.join(', '),
      expected: describe.expected,
    });
  }
  const other = found.find((quarter) => quarter.year !== first.year || quarter.quarter !== first.quarter);
  if (other) {
    throw new InputError(`the names belong to two quarters (${make(first.year, first.quarter).code} and ${make(other.year, other.quarter).code})`, {
      file: source.name,
      value: names.join(', '),
      expected: `one quarter of ${describe.what}`,
    });
  }
  return make(first.year, first.quarter);
}

/** What a family named by month and year (monthYearFamily) declares of its own. */
export interface MonthYearFamilySpec extends Pick<Family, 'name' | 'title' | 'datasets' | 'codeSchedule' | 'discover'> {
  /** the code's prefix: `OPPS` makes `OPPS2025_JUL` */
  readonly prefix: string;
  /** how an unnamed source's error speaks of the files, and what names it expects */
  readonly names: { readonly what: string; readonly expected: string };
}

/**
 * A family released once a quarter and named by the month and year in CMS's file names (OPPS
 * Addendum B, ASP): code `<prefix><year>_<MON>` (`OPPS2025_JUL`), the quarter from the source's
 * and its members' names; a re-post of a quarter is the next revision of its code.
 */
export function monthYearFamily(spec: MonthYearFamilySpec): Family {
  if (!/^[A-Z]+$/.test(spec.prefix)) throw new Error(`family ${spec.name}: prefix ${spec.prefix} is not capital letters`);
  const code = new RegExp(`^${spec.prefix}(\\d{4})_(JAN|APR|JUL|OCT)$`, 'i');
  const identity = (year: number, quarter: Quarter): ReleaseIdentity => ({
    code: `${spec.prefix}${year}_${monthOfQuarter(quarter)}`,
    year,
    quarter,
    effectiveFrom: quarterStart(year, quarter),
  });
  return {
    name: spec.name,
    title: spec.title,
    codeExamples: [`${spec.prefix}2025_JAN`],
    datasets: spec.datasets,
    codeSchedule: spec.codeSchedule,
    discover: spec.discover,
    fromCode(candidate) {
      const match = code.exec(candidate);
      return match ? identity(Number(match[1]), quarterOfMonth(match[2]!)!) : null;
    },
    membersRelease: (members) => monthYearMembers(members, identity),
    identify: (source) => quarterFromNames(source, identity, spec.names),
  };
}
