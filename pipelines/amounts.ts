/**
 * Amounts as the fee-schedule files write them: `$73.19`, `$1,137.991`, `20.000%`. The `$`, the
 * thousands separators and a trailing `%` are removed; nothing else is guessed (no exponents, no
 * misplaced commas, no words). The result is an exact decimal string.
 */
import type { RowReader } from '../src/parse/tabular.js';
import { normalizeDecimal } from '../src/parse/values.js';

const AMOUNT = /^(\$?)(\d{1,3}(?:,\d{3})+|\d*)(\.\d+)?(%?)$/;

/** `$1,137.991` → `1137.991`; null when the text is not such an amount. */
export function parseAmount(text: string, { dollar = true, percent = false } = {}): string | null {
  const match = AMOUNT.exec(text.trim());
  if (!match) return null;
  const [, sign = '', whole = '', fraction = '', pct = ''] = match;
  if ((sign === '$' && !dollar) || (pct === '%' && !percent) || (sign === '$' && pct === '%')) return null;
  return normalizeDecimal(whole.replace(/,/g, '') + fraction);
}

/** A dollar amount (`$` optional); blank is null only when `optional`. */
export function dollars(row: RowReader, field: string, optional = true): string | null {
  return amount(row, field, optional, { dollar: true }, 'an amount such as $73.19 or $1,137.991');
}

/** A percentage (`%` optional). */
export function percent(row: RowReader, field: string, optional = true): string | null {
  return amount(row, field, optional, { dollar: false, percent: true }, 'a percentage such as 20.000 or 19.315%');
}

/** A plain number that may carry thousands separators (a workbook's formatted weight). */
export function number(row: RowReader, field: string, optional = true): string | null {
  return amount(row, field, optional, { dollar: false }, 'a decimal number');
}

function amount(
  row: RowReader,
  field: string,
  optional: boolean,
  allow: { dollar?: boolean; percent?: boolean },
  expected: string,
): string | null {
  const text = row.raw(field);
  if (text === '') {
    if (optional) return null;
    row.fail(field, 'missing amount', expected);
  }
  const value = parseAmount(text, allow);
  if (value === null) row.fail(field, 'not an amount', expected);
  return value;
}
