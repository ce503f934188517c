/**
 * Exact value shapes. Numbers stay decimal strings from file to database (`numeric`): they are
 * checked and normalized here, never converted to floating point.
 */

const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?$/;
/** Already normal: no sign, no leading zero, digits on both sides of a point (most CMS values). */
const NORMAL_DECIMAL = /^(?:0|[1-9]\d*)(?:\.\d+)?$/;

/**
 * Normalize a decimal as written in a file: `.10` → `0.10`, `+1.5` → `1.5`, `7.` → `7`.
 * Returns null when the text is not a plain decimal (no exponents, no thousands separators).
 */
export function normalizeDecimal(text: string): string | null {
  if (NORMAL_DECIMAL.test(text)) return text;
  const match = DECIMAL.exec(text.trim());
  if (!match) return null;
  const [, sign = '', whole = '', fraction] = match;
  if (whole === '' && (fraction === undefined || fraction === '')) return null;
  const integer = whole === '' ? '0' : whole.replace(/^0+(?=\d)/, '');
  const decimals = fraction === undefined || fraction === '' ? '' : `.${fraction}`;
  const negative = sign === '-' && /[1-9]/.test(integer + (fraction ?? ''));
  return `${negative ? '-' : ''}${integer}${decimals}`;
}

/** Scaled-integer form of a decimal, for exact sums and comparisons. */
export function decimalToScaled(text: string, scale: number): bigint {
  const negative = text.startsWith('-');
  const [whole = '0', fraction = ''] = text.replace(/^[+-]/, '').split('.');
  if (fraction.length > scale) throw new RangeError(`${text} has more than ${scale} decimals`);
  const digits = BigInt(whole + fraction.padEnd(scale, '0'));
  return negative ? -digits : digits;
}

/** The largest digit count whose integer is exact as a JS number (2^53 has 16 digits). */
const SAFE_DIGITS = 15;

/** Count of digits after the decimal point. */
export function decimalScale(text: string): number {
  const dot = text.indexOf('.');
  return dot < 0 ? 0 : text.length - dot - 1;
}

/** Sum decimals exactly; the result has the largest scale of its terms. */
export function sumDecimals(terms: readonly string[]): string {
  const scale = Math.max(0, ...terms.map(decimalScale));
  // Small decimals (every RVU) sum exactly as scaled integers in a JS number; BigInt otherwise.
  if (terms.every((term) => term.length <= SAFE_DIGITS)) {
    let total = 0;
    for (const term of terms) total += scaledNumber(term, scale);
    return scaledToDecimal(BigInt(total), scale);
  }
  const total = terms.reduce((acc, term) => acc + decimalToScaled(term, scale), 0n);
  return scaledToDecimal(total, scale);
}

/** Characters before the decimal point (the sign included: an upper bound on the digits). */
function wholeDigits(text: string): number {
  const dot = text.indexOf('.');
  return dot < 0 ? text.length : dot;
}

function scaledNumber(text: string, scale: number): number {
  const dot = text.indexOf('.');
  const digits = dot < 0 ? text + '0'.repeat(scale) : text.slice(0, dot) + text.slice(dot + 1).padEnd(scale, '0');
  return Number(digits);
}

export function scaledToDecimal(value: bigint, scale: number): string {
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString().padStart(scale + 1, '0');
  const text = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  return negative ? `-${text}` : text;
}

/**
 * Whether `a + b + c` equals `total` exactly (normalized decimals): without building the sum's
 * text, for the check every PFS row makes of its totals.
 */
export function sumsTo(total: string, a: string, b: string, c: string): boolean {
  const scale = Math.max(decimalScale(a), decimalScale(b), decimalScale(c), decimalScale(total));
  const whole = Math.max(wholeDigits(a), wholeDigits(b), wholeDigits(c), wholeDigits(total));
  // Exact as scaled integers in a JS number while they have at most SAFE_DIGITS digits; BigInt otherwise.
  if (whole + scale <= SAFE_DIGITS) {
    return scaledNumber(a, scale) + scaledNumber(b, scale) + scaledNumber(c, scale) === scaledNumber(total, scale);
  }
  return decimalToScaled(a, scale) + decimalToScaled(b, scale) + decimalToScaled(c, scale) === decimalToScaled(total, scale);
}

/** Equal as numbers (`1.50` equals `1.5`). */
export function decimalsEqual(a: string, b: string): boolean {
  if (a === b) return true;
  const scale = Math.max(decimalScale(a), decimalScale(b));
  return decimalToScaled(a, scale) === decimalToScaled(b, scale);
}

/** `mm/dd/yyyy` → `yyyy-mm-dd`, or null when it is not a real calendar date. */
export function usDateToIso(text: string): string | null {
  const match = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text.trim());
  if (!match) return null;
  const [, month = '', day = '', year = ''] = match;
  return isoDate(Number(year), Number(month), Number(day));
}

/** `yyyymmdd` → `yyyy-mm-dd`, or null when it is not a real calendar date. */
export function compactDateToIso(text: string): string | null {
  const match = /^(\d{4})(\d{2})(\d{2})$/.exec(text.trim());
  if (!match) return null;
  const [, year = '', month = '', day = ''] = match;
  return isoDate(Number(year), Number(month), Number(day));
}

export function isoDate(year: number, month: number, day: number): string | null {
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    return null;
  }
  return date.toISOString().slice(0, 10);
}

/** Left-pad a number that a spreadsheet stored without its leading zeros (`2102` → `02102`). */
export function padDigits(text: string, width: number): string {
  return /^\d+$/.test(text) && text.length < width ? text.padStart(width, '0') : text;
}

/** What every HCPCS code column holds: five letters or digits, upper case (99213, G0008). */
export function isHcpcsCode(text: string): boolean {
  return /^[0-9A-Z]{5}$/.test(text);
}
