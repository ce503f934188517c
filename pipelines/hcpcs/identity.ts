/**
 * Release identity for HCPCS: codes follow CMS's data file names (`HCPC2025_OCT`); an annual
 * file (`HCPC2020_ANWEB_w_disclaimer`, `HCPC17_CONTR_ANWEB`) is the January release of its year.
 * Names that identify a release: the data file's, the quarterly zip's
 * (`october-2025-alpha-numeric-hcpcs-file.zip`, `-files.zip`) and the annual zip's
 * (`2020-Alpha-Numeric-HCPCS-File.zip`).
 */
import { InputError } from '../../src/errors.js';
import type { ReleaseIdentity } from '../../src/pipeline.js';

const QUARTERS = ['JAN', 'APR', 'JUL', 'OCT'] as const;
type QuarterMonth = (typeof QUARTERS)[number];

const MONTHS: Readonly<Record<string, QuarterMonth>> = {
  JAN: 'JAN',
  JANUARY: 'JAN',
  APR: 'APR',
  APRIL: 'APR',
  JUL: 'JUL',
  JULY: 'JUL',
  OCT: 'OCT',
  OCTOBER: 'OCT',
};

/** `HCPC2025_OCT_ANWEB…`, `HCPC2026_JAN` (a release code), `HCPC2026_APR_ANWEB_v2`. */
const QUARTERLY_FILE = /^HCPC(\d{4}|\d{2})_(JANUARY|JAN|APRIL|APR|JULY|JUL|OCTOBER|OCT)(?=_|$)/i;
/** `HCPC2020_ANWEB_w_disclaimer`, `HCPC17_CONTR_ANWEB`: annual files, no quarter in the name. */
const ANNUAL_FILE = /^HCPC(\d{4}|\d{2})_(?:CONTR_)?ANWEB(?=_|$)/i;
/** `january-2026-alpha-numeric-hcpcs-file`, `october-2023-alpha-numeric-hcpcs-files`. */
const QUARTERLY_ZIP = /^(january|april|july|october)-(\d{4})-alpha-numeric-hcpcs-files?(?=[-_ .]|$)/i;
/** `2020-Alpha-Numeric-HCPCS-File`. */
const ANNUAL_ZIP = /^(\d{4})-alpha-numeric-hcpcs-files?(?=[-_ .]|$)/i;
const RELEASE_CODE = /^HCPC(\d{4})_(JAN|APR|JUL|OCT)$/;

function baseStem(name: string): string {
  const base = name.split(/[\\/]/).filter((part) => part !== '').pop() ?? name;
  return base.replace(/\.(zip|txt|xlsx|xls|csv)$/i, '');
}

function fullYear(text: string): number {
  return text.length === 2 ? 2000 + Number(text) : Number(text);
}

function identity(year: number, month: QuarterMonth): ReleaseIdentity {
  const index = QUARTERS.indexOf(month);
  const quarter = (index + 1) as 1 | 2 | 3 | 4;
  return {
    code: `HCPC${year}_${month}`,
    year,
    quarter,
    effectiveFrom: `${year}-${String(index * 3 + 1).padStart(2, '0')}-01`,
  };
}

/** The release a file, folder or zip name states; null when the name says nothing. */
export function releaseFromName(name: string): ReleaseIdentity | null {
  const stem = baseStem(name);
  let match = QUARTERLY_FILE.exec(stem);
  if (match) return identity(fullYear(match[1]!), MONTHS[match[2]!.toUpperCase()]!);
  match = ANNUAL_FILE.exec(stem);
  if (match) return identity(fullYear(match[1]!), 'JAN');
  match = QUARTERLY_ZIP.exec(stem);
  if (match) return identity(Number(match[2]), MONTHS[match[1]!.toUpperCase()]!);
  match = ANNUAL_ZIP.exec(stem);
  if (match) return identity(Number(match[1]), 'JAN');
  return null;
}

export function fromCode(code: string): ReleaseIdentity | null {
  const match = RELEASE_CODE.exec(code.trim().toUpperCase());
  return match ? identity(Number(match[1]), match[2] as QuarterMonth) : null;
}

const EXAMPLES = 'HCPC2025_OCT_ANWEB.txt, october-2025-alpha-numeric-hcpcs-file.zip or 2020-Alpha-Numeric-HCPCS-File.zip';

/**
 * The release of a source: from its own name and from its members' names, which must agree.
 * Either alone is enough (a zip renamed `hcpcs.zip` still has its data file's name).
 */
export function identify(source: { name: string; members: readonly string[] }): ReleaseIdentity {
  const fromSource = releaseFromName(source.name);
  const fromMembers = source.members
    .map((member) => ({ member, release: releaseFromName(member) }))
    .filter((found): found is { member: string; release: ReleaseIdentity } => found.release !== null);

  const first = fromMembers[0];
  const other = fromMembers.find((found) => found.release.code !== first?.release.code);
  if (first && other) {
    throw new InputError('the data files name different releases', {
      file: source.name,
      value: `${first.member} is ${first.release.code}, ${other.member} is ${other.release.code}`,
      expected: 'data files of one release',
    });
  }
  if (fromSource && first && fromSource.code !== first.release.code) {
    throw new InputError('the source name and its data file name different releases', {
      file: source.name,
      value: `${baseStem(source.name)} is ${fromSource.code}, ${first.member} is ${first.release.code}`,
      expected: 'the same release in both names',
    });
  }
  const found = fromSource ?? first?.release;
  if (!found) {
    throw new InputError('cannot tell which HCPCS release this is', {
      file: source.name,
      value: [source.name, ...source.members].join(', '),
      expected: `a name like ${EXAMPLES}`,
    });
  }
  return found;
}
