/**
 * Independent checks for payment tests: an exact decimal calculator (scaled BigInt, no floats,
 * no SQL) and a reader of CMS's payment-amount files (PFREVyyX: quoted csv, `"TRL-…"` trailers).
 */
import { readFileSync } from 'node:fs';

const SCALE = 12;
const ONE = 10n ** BigInt(SCALE);

function toScaled(text: string): bigint {
  const negative = text.startsWith('-');
  const [whole = '0', fraction = ''] = text.replace(/^-/, '').split('.');
  const value = BigInt(whole || '0') * ONE + BigInt((fraction + '0'.repeat(SCALE)).slice(0, SCALE));
  return negative ? -value : value;
}

/** Cents, half-up, as `123.45`. */
function toCents(scaled: bigint): string {
  const cents = (scaled * 100n + ONE / 2n) / ONE; // positive amounts only
  const text = cents.toString().padStart(3, '0');
  return `${text.slice(0, -2)}.${text.slice(-2)}`;
}

/** [(work × gpci) + (pe × gpci) + (mp × gpci)] × cf, at full precision, rounded once to cents. */
export function expectedAmount(terms: readonly (readonly [string, string])[], cf: string, factor = '1'): string {
  const sum = terms.reduce((total, [rvu, gpci]) => total + (toScaled(rvu) * toScaled(gpci)) / ONE, 0n);
  return toCents((((sum * toScaled(cf)) / ONE) * toScaled(factor)) / ONE);
}

export interface OracleAmount {
  carrier: string;
  locality: string;
  hcpcs: string;
  modifier: string;
  nonfac: string;
  fac: string;
}

/** The amount records of a PFREV file (`"2025","01112","05","76145","  ","0001339.81","0001339.81",…`). */
export function readOracle(file: string): OracleAmount[] {
  return readFileSync(file, 'latin1')
    .split(/\r?\n/)
    .filter((line) => line.startsWith('"') && !line.startsWith('"TRL-'))
    .map((line) => {
      const cells = line.slice(1, -1).split('","');
      const amount = (text: string) => text.replace(/^0+(?=\d)/, '');
      return { carrier: cells[1]!, locality: cells[2]!, hcpcs: cells[3]!, modifier: cells[4]!.trim(), nonfac: amount(cells[5]!), fac: amount(cells[6]!) };
    });
}
