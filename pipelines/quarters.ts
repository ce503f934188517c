/**
 * Calendar quarters as CMS names them in file, zip and page names: by the month a quarter starts
 * in (`JAN`, `Apr`, `july`, `OCTOBER`), with two- or four-digit years. The one table of months.
 */
import type { Quarter, ReleaseIdentity } from '../src/pipeline.js';

export type { Quarter };

/** The month each quarter starts in, as CMS abbreviates it in release codes (`HCPC2026_JAN`). */
const QUARTER_MONTHS = ['JAN', 'APR', 'JUL', 'OCT'] as const;
export type QuarterMonth = (typeof QUARTER_MONTHS)[number];
const FULL_NAMES = ['JANUARY', 'APRIL', 'JULY', 'OCTOBER'] as const;

/** A regular-expression source matching any quarter month name, abbreviated or in full (use with the `i` flag). */
export const QUARTER_MONTH_PATTERN = 'JANUARY|JAN|APRIL|APR|JULY|JUL|OCTOBER|OCT';

/** `JAN` | `Apr` | `january` | `OCTOBER` → quarter; undefined for anything else (other months included). */
export function quarterOfMonth(name: string): Quarter | undefined {
  const upper = name.toUpperCase();
  const index = Math.max(QUARTER_MONTHS.indexOf(upper as QuarterMonth), FULL_NAMES.indexOf(upper as (typeof FULL_NAMES)[number]));
  return index < 0 ? undefined : ((index + 1) as Quarter);
}

/** 1 → `JAN` … 4 → `OCT`. */
export function monthOfQuarter(quarter: Quarter): QuarterMonth {
  return QUARTER_MONTHS[quarter - 1]!;
}

/** First day of a quarter, ISO. */
export function quarterStart(year: number, quarter: Quarter): string {
  return `${year}-${String((quarter - 1) * 3 + 1).padStart(2, '0')}-01`;
}

/** `24` → 2024, `2024` → 2024. */
export function fullYear(digits: string): number {
  return digits.length === 2 ? 2000 + Number(digits) : Number(digits);
}

/** A release identity effective from the first day of its quarter. */
export function quarterRelease(code: string, year: number, quarter: Quarter): ReleaseIdentity {
  return { code, year, quarter, effectiveFrom: quarterStart(year, quarter) };
}
