/**
 * Bytes → text for CMS files: cp1252 (a superset of the ASCII they mostly are), with the DOS
 * end-of-file byte (0x1A) removed wherever it appears.
 */
import { Transform, type TransformCallback } from 'node:stream';
import { InputError } from '../errors.js';

const EOF_MARK = /\u001a/g;

/**
 * cp1252's characters for bytes 0x80–0x9F. Node 20's TextDecoder('windows-1252') decodes those
 * bytes as Latin-1 control characters (U+0080–U+009F: 0x92 becomes U+0092, not ’), so they are
 * mapped here; with a decoder that gets them right this finds nothing to replace. The five bytes
 * cp1252 leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D) stay U+0081… as the WHATWG decoder has them.
 */
const CP1252_C1: Readonly<Record<string, string>> = Object.fromEntries(
  [...'€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008DŽ\u008F\u0090‘’“”•–—˜™š›œ\u009DžŸ'].map((char, index) => [String.fromCharCode(0x80 + index), char]),
);
const C1_CONTROLS = /[\u0080-\u009f]/g;

function cp1252Text(decoded: string): string {
  return decoded.replace(C1_CONTROLS, (char) => CP1252_C1[char] ?? char).replace(EOF_MARK, '');
}

/** Decode a whole buffer. */
export function decodeCp1252(bytes: Uint8Array): string {
  return cp1252Text(new TextDecoder('windows-1252').decode(bytes));
}

/**
 * A streaming decoder: bytes in, cp1252-decoded strings out, EOF bytes dropped. Given the file's
 * name, it first refuses a UTF-16 or UTF-8-with-BOM file (checkTextEncoding).
 */
export function cp1252DecoderStream(file?: string): Transform {
  const decoder = new TextDecoder('windows-1252');
  let checked = file === undefined;
  return new Transform({
    readableObjectMode: true,
    transform(chunk: Buffer, _encoding, done: TransformCallback) {
      if (!checked) {
        checked = true;
        try {
          checkTextEncoding(chunk.subarray(0, 4), file!);
        } catch (error) {
          done(error as Error);
          return;
        }
      }
      const text = cp1252Text(decoder.decode(chunk, { stream: true }));
      done(null, text.length > 0 ? text : undefined);
    },
    flush(done: TransformCallback) {
      const rest = cp1252Text(decoder.decode());
      done(null, rest.length > 0 ? rest : undefined);
    },
  });
}

/** Cell text as a reader should see it: spreadsheet-escaped EOF (`_x001A_`) and stray EOF bytes removed. */
export function cleanCell(value: string): string {
  return value.includes('_x001') || value.includes('\u001a')
    ? value.replace(/_x001[aA]_/g, '').replace(EOF_MARK, '')
    : value;
}

/**
 * The first bytes of a text member, checked for what a person's editor does to a CMS file: save
 * it as UTF-8 with a byte-order mark, or as UTF-16 (whose NUL bytes would otherwise read as
 * garbage, or as "header row not found").
 */
export function checkTextEncoding(head: Uint8Array, file: string): void {
  const utf16 =
    (head[0] === 0xff && head[1] === 0xfe) ||
    (head[0] === 0xfe && head[1] === 0xff) ||
    (head.length >= 4 && ((head[0] !== 0 && head[1] === 0 && head[3] === 0) || (head[0] === 0 && head[1] !== 0 && head[2] === 0)));
  if (utf16) {
    throw new InputError('saved as UTF-16; CMS files are cp1252', {
      file,
      expected: 'the file as CMS published it (cp1252 text), or saved again as "CSV" / ANSI, not "Unicode text"',
    });
  }
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) {
    throw new InputError('saved as UTF-8 with a byte-order mark; CMS files are cp1252', {
      file,
      expected: 'the file as CMS published it (cp1252 text), or saved again as "CSV" (not "CSV UTF-8")',
    });
  }
}
