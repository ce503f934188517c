/**
 * Decoding an editorial text file (csv, json, jsonl, yaml): src/parse/encoding.ts's strict
 * decoding, with what --encoding cp1252 would misread refused. Every byte sequence is cp1252 text,
 * so a UTF-8 file read as cp1252 does not fail: `Café` would be stored as `CafÃ©`. A file whose
 * non-ASCII bytes are valid UTF-8 is UTF-8 (cp1252 prose is practically never valid UTF-8), and
 * one that starts with UTF-8's byte-order mark but holds bytes that are not UTF-8 mixes two
 * encodings, which neither reading stores as written. UTF-16 (Excel's "Unicode Text") is named
 * as such: read as UTF-8 it fails on its first byte, and the cp1252 that message suggests reads it
 * as text with a NUL after every letter.
 */
import { InputError } from '../../errors.js';
import { decodeText, type TextEncoding } from '../../parse/encoding.js';
import { decodeCp1252 } from '../../parse/text.js';

const UTF8_BOM = [0xef, 0xbb, 0xbf];

export function decodeEditorialText(bytes: Buffer, file: string, encoding: TextEncoding): string {
  refuseUtf16(bytes, file);
  const bom = UTF8_BOM.every((byte, index) => bytes[index] === byte);
  if (encoding === 'utf-8') {
    try {
      return decodeText(bytes, file, encoding);
    } catch (error) {
      if (!bom || !(error instanceof InputError)) throw error;
      throw mixed(file, error);
    }
  }
  const utf8 = utf8Error(bytes, file);
  if (bom && utf8) throw mixed(file, utf8);
  if (bom || (utf8 === undefined && bytes.some((byte) => byte >= 0x80))) {
    const at = bytes.findIndex((byte, index) => byte >= 0x80 && !(bom && index < 3));
    const line = at === -1 ? 1 : bytes.subarray(0, at).filter((byte) => byte === 0x0a).length + 1;
    const sample = at === -1 ? undefined : firstNonAscii(bytes.subarray(at));
    throw new InputError(`the file is UTF-8${bom ? ' (it starts with its byte-order mark)' : ''}, not cp1252`, {
      file,
      line,
      ...(sample ? { value: `${sample} (with --encoding cp1252: ${decodeCp1252(Buffer.from(sample, 'utf8'))})` } : {}),
      expected: 'the file imported without --encoding cp1252 (read as cp1252, every non-ASCII character of it would be stored wrong)',
    });
  }
  // Five bytes are no character in cp1252 (Windows reads them as invisible control characters):
  // a file that has one is in another encoding.
  const undefinedAt = bytes.findIndex((byte) => CP1252_UNDEFINED.has(byte));
  if (undefinedAt !== -1) {
    throw new InputError('not cp1252 text: a byte that is no character in cp1252', {
      file,
      line: bytes.subarray(0, undefinedAt).filter((byte) => byte === 0x0a).length + 1,
      value: `byte 0x${bytes[undefinedAt]!.toString(16).toUpperCase()}`,
      expected: 'the file saved as UTF-8 ("CSV UTF-8" in Excel) and imported without --encoding; it is in an encoding other than cp1252',
    });
  }
  return decodeText(bytes, file, encoding);
}

const CP1252_UNDEFINED: ReadonlySet<number> = new Set([0x81, 0x8d, 0x8f, 0x90, 0x9d]);

function refuseUtf16(bytes: Buffer, file: string): void {
  const bom = (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);
  // Without its byte-order mark: ASCII text in UTF-16 has a NUL byte beside its first letter.
  const nulBeside = bytes.length >= 2 && (bytes[0] === 0) !== (bytes[1] === 0);
  if (!bom && !nulBeside) return;
  throw new InputError(`the file is UTF-16 (${bytes[0] === 0xff || bytes[1] === 0 ? 'little' : 'big'}-endian), not UTF-8 or cp1252`, {
    file,
    line: 1,
    expected: 'UTF-8 text: in Excel save it as "CSV UTF-8 (Comma delimited)" (its "Unicode Text" is UTF-16), or import the workbook (.xlsx); an editor can save it as UTF-8',
  });
}

function utf8Error(bytes: Buffer, file: string): InputError | undefined {
  try {
    decodeText(bytes, file, 'utf-8');
    return undefined;
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
}

function mixed(file: string, notUtf8: InputError): InputError {
  return new InputError('the file starts with UTF-8\'s byte-order mark but has bytes that are not UTF-8: it mixes two encodings', {
    file,
    ...(notUtf8.line !== undefined ? { line: notUtf8.line } : {}),
    ...(notUtf8.value !== undefined ? { value: notUtf8.value } : {}),
    expected: 'one encoding: the characters at that place were saved in another one (cp1252?); type them again in an editor that saves UTF-8 and import the file without --encoding',
  });
}

/** The first non-ASCII character of UTF-8 bytes that start with one. */
function firstNonAscii(bytes: Buffer): string | undefined {
  const text = bytes.subarray(0, 4).toString('utf8');
  const char = [...text][0];
  return char !== undefined && char !== '\uFFFD' ? char : undefined;
}
