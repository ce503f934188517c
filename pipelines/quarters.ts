/** Calendar quarters as CMS names them in file names. */

export type Quarter = 1 | 2 | 3 | 4;

const MONTHS: Record<string, Quarter> = { JAN: 1, APR: 2, JUL: 3, OCT: 4 };

/** `JAN` | `Apr` | `january` → quarter, or undefined. */
export function quarterOfMonth(name: string): Quarter | undefined {
  return MONTHS[name.slice(0, 3).toUpperCase()];
}

export function monthOfQuarter(quarter: Quarter): string {
  return ['JAN', 'APR', 'JUL', 'OCT'][quarter - 1]!;
}

/** First day of a quarter, ISO. */
export function quarterStart(year: number, quarter: Quarter): string {
  return `${year}-${String((quarter - 1) * 3 + 1).padStart(2, '0')}-01`;
}

/** `24` → 2024, `2024` → 2024. */
export function fullYear(digits: string): number {
  return digits.length === 2 ? 2000 + Number(digits) : Number(digits);
}
