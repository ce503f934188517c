/** Value shapes shared by the PFS files: codes, modifiers, MAC and locality numbers. */
import type { RowReader } from '../../src/parse/tabular.js';
import { padDigits } from '../../src/parse/values.js';

/** A HCPCS/CPT code is 5 characters; 3 or 4 digits mean a spreadsheet stored it as a number. */
export function hcpcsCode(row: RowReader, field = 'hcpcs'): string {
  const value = row.raw(field);
  if (/^\d{1,4}$/.test(value)) {
    row.fail(field, 'code lost its leading zeros (a spreadsheet stored it as a number)', 'a 5-character code such as 00100 or 0001F');
  }
  return row.match(field, /^[A-Z0-9]{5}$/, 'a 5-character HCPCS code')!;
}

/** Blank modifier is stored as '' (part of the key), never NULL. */
export function modifier(row: RowReader, field = 'modifier'): string {
  const value = row.raw(field);
  // A lower-case modifier is someone's edit, not CMS's: say so rather than "unexpected value".
  if (/^[a-z0-9]{2}$/i.test(value) && value !== value.toUpperCase()) {
    row.fail(field, `\`${value}\`: modifiers are upper case`, `\`${value.toUpperCase()}\``);
  }
  return row.match(field, /^[A-Z0-9]{2}$/, 'a 2-character modifier or blank', true) ?? '';
}

/** Medicare administrative contractor number, re-padded to 5 digits where the file dropped zeros. */
export function macNumber(row: RowReader, field = 'mac'): string {
  const value = padDigits(row.raw(field), 5);
  if (!/^\d{5}$/.test(value)) row.fail(field, 'not a contractor number', '5 digits, such as 01112');
  return value;
}

/** Locality number, re-padded to 2 digits. */
export function localityNumber(row: RowReader, field = 'locality'): string {
  const value = padDigits(row.raw(field), 2);
  if (!/^\d{2}$/.test(value)) row.fail(field, 'not a locality number', '2 digits, such as 01');
  return value;
}

/** A locality or area name without the footnote marks (`ALASKA*`, `WYOMING**`). */
export function markedName(row: RowReader, field: string): string {
  const name = row.raw(field).replace(/\*+/g, '').trim();
  if (name === '') row.fail(field, 'missing name', 'a name');
  return name;
}

/** True for a cell holding a number (a MAC or locality, possibly unpadded): such a row is data. */
export function looksNumeric(text: string): boolean {
  return /^\d+$/.test(text.trim());
}
