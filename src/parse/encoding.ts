/**
 * Text files people write (editorial spreadsheets exported as csv, json, yaml): UTF-8 with or
 * without a byte-order mark, or cp1252 when the caller says so (Excel's "CSV" on Windows). Bytes
 * that are not UTF-8 are refused with the line they are on, not decoded into replacement
 * characters: text is stored as written, so it must be read as written.
 */
import { Transform, type TransformCallback } from 'node:stream';
import { InputError } from '../errors.js';
import { decodeCp1252 } from './text.js';

export type TextEncoding = 'utf-8' | 'cp1252';
export const TEXT_ENCODINGS: readonly TextEncoding[] = ['utf-8', 'cp1252'];

const BOM = '\uFEFF';

/** Decode a whole file; a leading BOM is dropped. */
export function decodeText(bytes: Uint8Array, file: string, encoding: TextEncoding = 'utf-8'): string {
  const text = encoding === 'cp1252' ? decodeCp1252(bytes) : decodeUtf8(bytes, file);
  return text.startsWith(BOM) ? text.slice(1) : text;
}

function decodeUtf8(bytes: Uint8Array, file: string): string {
  const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  try {
    return strict.decode(bytes);
  } catch {
    // Find the line: a line feed never occurs inside a multi-byte UTF-8 sequence, so each line
    // can be checked on its own.
    let start = 0;
    for (let line = 1; start <= bytes.length; line++) {
      let end = bytes.indexOf(0x0a, start);
      if (end === -1) end = bytes.length;
      const lineBytes = bytes.subarray(start, end);
      try {
        strict.decode(lineBytes);
      } catch {
        const bad = firstNonAscii(lineBytes);
        throw new InputError('not valid UTF-8', {
          file,
          line,
          value: `byte 0x${bad.toString(16).toUpperCase().padStart(2, '0')}`,
          expected: 'UTF-8 text (a file saved by Excel as "CSV" on Windows is cp1252: import it with --encoding cp1252)',
        });
      }
      start = end + 1;
    }
    throw new InputError('not valid UTF-8', { file, expected: 'UTF-8 text, or --encoding cp1252' });
  }
}

function firstNonAscii(bytes: Uint8Array): number {
  for (const byte of bytes) if (byte >= 0x80) return byte;
  return 0;
}

/** A streaming UTF-8 decoder (for text already checked with decodeText). */
export function utf8DecoderStream(): Transform {
  const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  return new Transform({
    readableObjectMode: true,
    transform(chunk: Buffer, _encoding, done: TransformCallback) {
      const text = decoder.decode(chunk, { stream: true });
      done(null, text.length > 0 ? text : undefined);
    },
    flush(done: TransformCallback) {
      const rest = decoder.decode();
      done(null, rest.length > 0 ? rest : undefined);
    },
  });
}
