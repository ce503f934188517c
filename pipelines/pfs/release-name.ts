/**
 * How CMS names a PFS Relative Value Files release, everywhere it appears: the release code
 * (`RVU25D`, with corrections `RVU24AR`, `RVU24AR1`), zip and folder names that start with it
 * (`rvu25a-updated-01-10-2025.zip`), detail page slugs (`rvu25d-0`), and zip paths with their
 * Updated date. The letter is the quarter: A = January, B = April, C = July, D = October;
 * corrections belong to their letter's quarter.
 */
import type { Quarter, ReleaseIdentity } from '../../src/pipeline.js';
import { fullYear, quarterRelease } from '../quarters.js';

/** The quarter letters in order: A = quarter 1 … D = quarter 4. */
const QUARTER_LETTERS = 'ABCD';
/** year, quarter letter, optional correction suffix */
const CODE = 'RVU(\\d{2})([A-D])(R\\d*)?';
const EXACT_CODE = new RegExp(`^${CODE}$`, 'i');
/** a code at the start of a name, not followed by more letters or digits (`rvu25d.zip`, `RVU25D/`) */
const CODE_IN_NAME = new RegExp(`^${CODE}(?![A-Z0-9])`, 'i');
/** A detail page slug: the code in lower case, optionally with Drupal's `-0` de-duplication suffix. */
const SLUG = new RegExp(`^(${CODE})(?:-\\d+)?$`, 'i');
/** Anything that starts like an RVU page, to report names we do not recognise. */
export const RVU_LIKE = /^rvu(\d{2})/i;
/**
 * A zip name below /files/zip/: `rvu25a.zip`, `rvu25a-updated-01/10/2025.zip` (literal slashes,
 * 2025), `rvu26a-updated-12-29-2025.zip` (2026), `rvu20a-updated-01312020.zip` (earlier).
 */
const ZIP = new RegExp(`^(${CODE})(?:-updated-(?:(\\d{2})[/-](\\d{2})[/-](\\d{4})|(\\d{2})(\\d{2})(\\d{4})))?\\.zip$`, 'i');
/** The date in a link's text: `RVU25A - Updated 01/10/2025`. */
const TEXT_DATE = /updated\s+(\d{1,2})[/-](\d{1,2})[/-](\d{4})/i;

function identity(match: RegExpExecArray, at = 1): ReleaseIdentity {
  const [yy, letter, correction] = [match[at]!, match[at + 1]!.toUpperCase(), (match[at + 2] ?? '').toUpperCase()];
  const quarter = (QUARTER_LETTERS.indexOf(letter) + 1) as Quarter;
  return quarterRelease(`RVU${yy}${letter}${correction}`, fullYear(yy), quarter);
}

/** `RVU25A`, `rvu24ar1` → its release (effective the first day of its quarter); null for anything else. */
export function parseRvuCode(code: string): ReleaseIdentity | null {
  const match = EXACT_CODE.exec(code);
  return match === null ? null : identity(match);
}

/** The release a zip, folder or file name starts with (`rvu25d.zip`, `RVU25D`), or null. */
export function rvuReleaseInName(name: string): ReleaseIdentity | null {
  const match = CODE_IN_NAME.exec(name);
  return match === null ? null : identity(match);
}

/** The release of the quarter a PPRRVU file names (`PPRRVU2025_Oct`: RVU25D): its letter's base code. */
export function rvuReleaseOfQuarter(year: number, quarter: Quarter): ReleaseIdentity {
  return quarterRelease(`RVU${String(year % 100).padStart(2, '0')}${QUARTER_LETTERS[quarter - 1]}`, year, quarter);
}

/** `rvu25d-0` → `RVU25D`; null for other slugs (`pfrev26c`, `rvu12m`). */
export function rvuCodeFromSlug(slug: string): string | null {
  const match = SLUG.exec(slug);
  return match?.[1] !== undefined ? match[1].toUpperCase() : null;
}

/** The release code and Updated date in a zip path, or null if it is not an RVU zip. */
export function zipName(path: string): { code: string; updated: string | null } | null {
  const prefix = '/files/zip/';
  if (!path.toLowerCase().startsWith(prefix)) return null;
  let name: string;
  try {
    name = decodeURIComponent(path.slice(prefix.length));
  } catch {
    return null;
  }
  const match = ZIP.exec(name);
  if (match === null) return null;
  const [, code = '', , , , m1, d1, y1, m2, d2, y2] = match;
  const updated = y1 !== undefined ? isoDate(y1, m1!, d1!) : y2 !== undefined ? isoDate(y2, m2!, d2!) : null;
  return { code: code.toUpperCase(), updated };
}

/** The Updated date in a link's text, ISO, or null. */
export function dateFromText(text: string): string | null {
  const match = TEXT_DATE.exec(text);
  return match === null ? null : isoDate(match[3]!, match[1]!, match[2]!);
}

/** yyyy-mm-dd from US month/day order, or null for an impossible date. */
function isoDate(year: string, month: string, day: string): string | null {
  const m = Number(month);
  const d = Number(day);
  const date = new Date(Date.UTC(Number(year), m - 1, d));
  if (date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
  return `${year}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}
