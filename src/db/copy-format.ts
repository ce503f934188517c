/**
 * Rows → PostgreSQL COPY text format (tab-separated, `\N` for NULL, backslash escapes), the
 * one wire format both bulk loaders (pg-copy-streams and PGlite's /dev/blob) accept.
 */
import type { CopyValue } from '../pipeline.js';

const NEEDS_ESCAPE = /[\\\t\n\r]/;

function escapeText(text: string): string {
  if (!NEEDS_ESCAPE.test(text)) return text;
  return text.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}

/** A text[] literal: every element quoted, so commas, braces and spaces survive. */
function arrayLiteral(values: readonly string[]): string {
  return `{${values.map((value) => `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(',')}}`;
}

export function encodeCopyValue(value: CopyValue | undefined): string {
  if (value === null || value === undefined) return '\\N';
  if (typeof value === 'boolean') return value ? 't' : 'f';
  if (typeof value === 'string') return escapeText(value);
  return escapeText(arrayLiteral(value));
}

export function encodeCopyRow(values: readonly (CopyValue | undefined)[]): string {
  // A loop rather than map/join: no intermediate array per row (tens of thousands per release).
  let line = values.length > 0 ? encodeCopyValue(values[0]) : '';
  for (let index = 1; index < values.length; index++) line += `\t${encodeCopyValue(values[index])}`;
  return `${line}\n`;
}
