/**
 * Bounds on what one line or one field of a CMS file may hold, enforced while streaming so that
 * a file that is one enormous line fails at once, with its file and line, instead of being
 * buffered whole. CMS's longest lines are a few hundred characters and its longest descriptors a
 * few thousand; the bounds leave a wide margin above both.
 */
import { InputError } from '../errors.js';

/** Longest line (csv record, fixed-width line) in characters. */
export const MAX_LINE_CHARS = 64 * 1024;

/** Longest field (csv value, workbook cell) in characters: Excel's own cell limit. */
export const MAX_FIELD_CHARS = 32_767;

export function formatChars(count: number): string {
  return `${count.toLocaleString('en-US')} characters`;
}

/** A value longer than MAX_FIELD_CHARS (`index` is the 0-based column). */
/**
 * A NUL character in a value (byte 0x00 in a csv or txt, `\u0000` in json or yaml): PostgreSQL
 * text cannot hold one, so it would fail the load with a bare "invalid byte sequence" naming no
 * file. The error shows the text around it.
 */
export function nulInValue(file: string, line: number, column: string, value: string): InputError {
  const at = value.indexOf('\u0000');
  const excerpt = `${at > 20 ? '…' : ''}${value.slice(Math.max(0, at - 20), at + 21)}${at + 21 < value.length ? '…' : ''}`;
  return new InputError(`a NUL character (U+0000) at character ${at + 1} of the value`, {
    file,
    line,
    column,
    value: excerpt,
    expected: 'text without NUL characters (PostgreSQL text cannot hold one)',
  });
}

export function fieldTooLong(file: string, line: number, index: number, length: number): InputError {
  return new InputError(`a value of ${formatChars(length)}`, {
    file,
    line,
    column: `#${index + 1}`,
    expected: `at most ${formatChars(MAX_FIELD_CHARS)} in one value (CMS's longest descriptors are a few thousand)`,
  });
}
