/**
 * Release identity for HCPCS: codes follow CMS's data file names (`HCPC2025_OCT`); an annual
 * file (`HCPC2020_ANWEB_w_disclaimer`, `HCPC17_CONTR_ANWEB`) is the January release of its year.
 * Names that identify a release: the data file's, the quarterly zip's
 * (`october-2025-alpha-numeric-hcpcs-file.zip`, `-files.zip`) and the annual zip's
 * (`2020-Alpha-Numeric-HCPCS-File.zip`).
 */
import { InputError } from '../../src/errors.js';
import type { MemberRelease, ReleaseIdentity } from '../../src/pipeline.js';
import { QUARTER_MONTH_PATTERN, fullYear, monthOfQuarter, quarterOfMonth, quarterRelease, type Quarter } from '../quarters.js';

/** `HCPC2025_OCT_ANWEB…`, `HCPC2026_JAN` (a release code), `HCPC2026_APR_ANWEB_v2`. */
const QUARTERLY_FILE = new RegExp(`^HCPC(\\d{4}|\\d{2})_(${QUARTER_MONTH_PATTERN})(?=_|$)`, 'i');
/** `HCPC2020_ANWEB_w_disclaimer`, `HCPC17_CONTR_ANWEB`: annual files, no quarter in the name. */
const ANNUAL_FILE = /^HCPC(\d{4}|\d{2})_(?:CONTR_)?ANWEB(?=_|$)/i;
/** The zips' names: `january-2026-alpha-numeric-hcpcs-file`, `october-2023-alpha-numeric-hcpcs-files`; annual `2020-…`. */
const QUARTERLY_ZIP_NAME = '(january|april|july|october)-(\\d{4})-alpha-numeric-hcpcs-files?';
const ANNUAL_ZIP_NAME = '(\\d{4})-alpha-numeric-hcpcs-files?';
/** …as the start of a name (a zip renamed with a suffix, the folder it unzips to) */
const QUARTERLY_ZIP = new RegExp(`^${QUARTERLY_ZIP_NAME}(?=[-_ .]|$)`, 'i');
const ANNUAL_ZIP = new RegExp(`^${ANNUAL_ZIP_NAME}(?=[-_ .]|$)`, 'i');
/** …exactly, as linked from the quarterly update page */
const QUARTERLY_ZIP_LINK = new RegExp(`^${QUARTERLY_ZIP_NAME}\\.zip$`, 'i');
const ANNUAL_ZIP_LINK = new RegExp(`^${ANNUAL_ZIP_NAME}\\.zip$`, 'i');
const RELEASE_CODE = /^HCPC(\d{4})_(JAN|APR|JUL|OCT)$/;

function baseStem(name: string): string {
  const base = name.split(/[\\/]/).filter((part) => part !== '').pop() ?? name;
  return base.replace(/\.(zip|txt|xlsx|xls|csv)$/i, '');
}

/** The release of a year and quarter: `HCPC2026_JAN`. */
function identity(year: number, quarter: Quarter): ReleaseIdentity {
  return quarterRelease(`HCPC${year}_${monthOfQuarter(quarter)}`, year, quarter);
}

/** The release a file, folder or zip name states; null when the name says nothing. */
export function releaseFromName(name: string): ReleaseIdentity | null {
  const stem = baseStem(name);
  let match = QUARTERLY_FILE.exec(stem);
  if (match) return identity(fullYear(match[1]!), quarterOfMonth(match[2]!)!);
  match = ANNUAL_FILE.exec(stem);
  if (match) return identity(fullYear(match[1]!), 1);
  match = QUARTERLY_ZIP.exec(stem);
  if (match) return identity(Number(match[2]), quarterOfMonth(match[1]!)!);
  match = ANNUAL_ZIP.exec(stem);
  if (match) return identity(Number(match[1]), 1);
  return null;
}

/** The release a zip linked from the quarterly update page stands for (an annual file counts as January); null for other names. */
export function hcpcsZipRelease(name: string): ReleaseIdentity | null {
  let match = QUARTERLY_ZIP_LINK.exec(name);
  if (match) return identity(Number(match[2]), quarterOfMonth(match[1]!)!);
  match = ANNUAL_ZIP_LINK.exec(name);
  if (match) return identity(Number(match[1]), 1);
  return null;
}

/**
 * What the data files' names say of their release: a quarterly file (`HCPC2025_OCT_ANWEB`) its
 * year and quarter; an annual file (`HCPC2020_ANWEB_w_disclaimer`) only its year, since the
 * quarters of a year may ship files named like the annual one.
 */
export function membersRelease(members: readonly string[]): MemberRelease[] {
  return members.flatMap((member): MemberRelease[] => {
    const stem = baseStem(member);
    const quarterly = QUARTERLY_FILE.exec(stem);
    if (quarterly) {
      const release = identity(fullYear(quarterly[1]!), quarterOfMonth(quarterly[2]!)!);
      return [{ member, year: release.year, quarter: release.quarter, code: release.code }];
    }
    const annual = ANNUAL_FILE.exec(stem);
    return annual ? [{ member, year: fullYear(annual[1]!) }] : [];
  });
}

export function fromCode(code: string): ReleaseIdentity | null {
  const match = RELEASE_CODE.exec(code.trim().toUpperCase());
  return match ? identity(Number(match[1]), quarterOfMonth(match[2]!)!) : null;
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
