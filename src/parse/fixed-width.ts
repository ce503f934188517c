/**
 * Fixed-width text: a list of fields by 1-based inclusive positions, a slicer that cuts a line
 * into trimmed strings, and a streaming line reader (cp1252, CRLF or LF). Knows nothing about
 * any particular file: the layouts live with the datasets that read them.
 */
import type { Readable } from 'node:stream';
import { InputError } from '../errors.js';
import { MAX_LINE_CHARS, formatChars, nulInValue } from './limits.js';
import { cp1252DecoderStream } from './text.js';

export interface FixedField<N extends string = string> {
  readonly name: N;
  /** first position, 1-based */
  readonly start: number;
  /** last position, 1-based, inclusive */
  readonly end: number;
}

export interface TextLine {
  /** 1-based line number */
  readonly line: number;
  /** the line without its line break */
  readonly text: string;
}

/**
 * Check a layout once, where it is declared: positions in order, no overlaps, no gaps, and
 * ending at `width`. A wrong position in a layout table would otherwise shift data silently.
 */
export function checkLayout(fields: readonly FixedField[], width: number): void {
  let next = 1;
  const names = new Set<string>();
  for (const field of fields) {
    if (names.has(field.name)) throw new Error(`fixed-width layout: ${field.name} appears twice`);
    names.add(field.name);
    if (field.start !== next || field.end < field.start) {
      throw new Error(`fixed-width layout: ${field.name} is ${field.start}-${field.end}; expected it to start at ${next}`);
    }
    next = field.end + 1;
  }
  if (next !== width + 1) throw new Error(`fixed-width layout: the fields end at ${next - 1}; expected ${width}`);
}

/** The text of one field, untrimmed ('' beyond the end of a short line). */
export function fieldText(line: string, field: FixedField): string {
  return line.slice(field.start - 1, field.end);
}

/** Cut a line into its fields, each trimmed of surrounding spaces. */
export function sliceFields<N extends string>(line: string, fields: readonly FixedField<N>[]): Record<N, string> {
  const values = {} as Record<N, string>;
  for (const field of fields) values[field.name] = fieldText(line, field).trim();
  return values;
}

/**
 * The lines of a byte stream, decoded as cp1252 (EOF bytes dropped), split on LF with an
 * optional CR before it. A final line break does not make an extra empty line. A line longer
 * than `maxLineChars` fails as soon as that much of it has been read, naming `file` and the line.
 */
export async function* readTextLines(
  stream: Readable,
  file = '(stream)',
  maxLineChars = MAX_LINE_CHARS,
): AsyncGenerator<TextLine> {
  const decoded = stream.pipe(cp1252DecoderStream(file));
  stream.on('error', (error) => decoded.destroy(error));
  let pending = '';
  let line = 0;
  try {
    for await (const chunk of decoded as AsyncIterable<string>) {
      pending += chunk;
      // NUL, which PostgreSQL text cannot hold: looked for line by line only where a chunk has one
      const nul = pending.includes('\u0000');
      let start = 0;
      for (let newline = pending.indexOf('\n', start); newline >= 0; newline = pending.indexOf('\n', start)) {
        const end = newline > start && pending.charCodeAt(newline - 1) === 13 ? newline - 1 : newline;
        if (end - start > maxLineChars) throw lineTooLong(file, line + 1, maxLineChars);
        const text = pending.slice(start, end);
        if (nul && text.includes('\u0000')) throw nulInLine(file, line + 1, text);
        yield { line: ++line, text };
        start = newline + 1;
      }
      pending = pending.slice(start);
      if (pending.length > maxLineChars) throw lineTooLong(file, line + 1, maxLineChars);
    }
  } finally {
    stream.destroy();
  }
  if (pending !== '') {
    const text = pending.endsWith('\r') ? pending.slice(0, -1) : pending;
    if (text.includes('\u0000')) throw nulInLine(file, line + 1, text);
    yield { line: ++line, text };
  }
}

function nulInLine(file: string, line: number, text: string): InputError {
  return nulInValue(file, line, `position ${text.indexOf('\u0000') + 1}`, text);
}

function lineTooLong(file: string, line: number, max: number): InputError {
  return new InputError(`a line longer than ${formatChars(max)}`, {
    file,
    line,
    expected: `lines of at most ${formatChars(max)} (CMS's records are a few hundred characters)`,
  });
}
