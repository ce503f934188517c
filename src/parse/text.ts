/**
 * Bytes → text for CMS files: cp1252 (a superset of the ASCII they mostly are), with the DOS
 * end-of-file byte (0x1A) removed wherever it appears.
 */
import { isAscii } from 'node:buffer';
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
 * name, it refuses a UTF-16 or UTF-8-with-BOM file from its first bytes (checkTextEncoding), and
 * a UTF-8 file without a BOM at its first UTF-8 multi-byte sequence (Utf8Watch), which cp1252
 * would otherwise turn into mojibake ("é" into "Ã©") and load.
 */
export function cp1252DecoderStream(file?: string): Transform {
  const decoder = new TextDecoder('windows-1252');
  let checked = file === undefined;
  const watch = file === undefined ? undefined : new Utf8Watch(file);
  return new Transform({
    readableObjectMode: true,
    transform(chunk: Buffer, _encoding, done: TransformCallback) {
      try {
        if (!checked) {
          checked = true;
          checkTextEncoding(chunk.subarray(0, 4), file!);
        }
        watch?.check(chunk);
      } catch (error) {
        done(error as Error);
        return;
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

/**
 * The length of the well-formed UTF-8 multi-byte sequence that starts at `bytes[at]` (2–4), 0 if
 * none does, or -1 if the bytes end before it could be told (a lead byte and valid continuation
 * bytes up to the end). Well-formed as RFC 3629 has it: lead 0xC2–0xF4, no overlong forms
 * (0xE0 0x80–0x9F, 0xF0 0x80–0x8F), no surrogates (0xED 0xA0–0xBF), nothing above U+10FFFF.
 */
export function utf8SequenceLength(bytes: Uint8Array, at: number): number {
  const lead = bytes[at]!;
  let length: number;
  let low = 0x80;
  let high = 0xbf;
  if (lead >= 0xc2 && lead <= 0xdf) length = 2;
  else if (lead >= 0xe0 && lead <= 0xef) {
    length = 3;
    if (lead === 0xe0) low = 0xa0;
    else if (lead === 0xed) high = 0x9f;
  } else if (lead >= 0xf0 && lead <= 0xf4) {
    length = 4;
    if (lead === 0xf0) low = 0x90;
    else if (lead === 0xf4) high = 0x8f;
  } else return 0;
  for (let index = 1; index < length; index++) {
    if (at + index >= bytes.length) return -1;
    const byte = bytes[at + index]!;
    if (byte < (index === 1 ? low : 0x80) || byte > (index === 1 ? high : 0xbf)) return 0;
  }
  return length;
}

const LF = 0x0a;

function countLineFeeds(bytes: Uint8Array, end = bytes.length): number {
  let count = 0;
  for (let at = bytes.indexOf(LF); at !== -1 && at < end; at = bytes.indexOf(LF, at + 1)) count++;
  return count;
}

/**
 * Watches a cp1252 file's bytes for a UTF-8 multi-byte sequence: a lead byte 0xC2–0xF4 followed by
 * its continuation bytes. In cp1252 that is an accented capital or ß followed by punctuation or an
 * NBSP (Ã©, â€™), which CMS's text does not contain; in a CMS file re-saved as UTF-8 by an editor,
 * a mirror or a script, it is every non-ASCII character. Such a file is refused like one with a
 * UTF-8 byte-order mark, naming the line. Pure-ASCII chunks (nearly all of them) cost one
 * vectorised isAscii and a count of their line feeds; a sequence split across two chunks is found.
 */
class Utf8Watch {
  /** line feeds before the current chunk */
  private lineFeeds = 0;
  /** the start of a possible sequence cut off by the end of the last chunk, and its line */
  private tail: Uint8Array | undefined;
  private tailLine = 0;
  private tailBefore: Uint8Array = new Uint8Array(0);

  constructor(private readonly file: string) {}

  check(chunk: Uint8Array): void {
    if (this.tail !== undefined) {
      const joined = new Uint8Array(this.tail.length + Math.min(chunk.length, 3));
      joined.set(this.tail);
      joined.set(chunk.subarray(0, joined.length - this.tail.length), this.tail.length);
      const length = utf8SequenceLength(joined, 0);
      if (length > 0) throw this.refusal(joined, 0, length, this.tailLine, this.tailBefore, chunk.subarray(length - this.tail.length));
      if (length === -1) {
        // still cut off: this chunk was one or two continuation bytes (no line feed); keep waiting
        this.tail = joined;
        return;
      }
      this.tail = undefined;
    }
    if (!isAscii(chunk)) {
      for (let at = 0; at < chunk.length; at++) {
        if (chunk[at]! < 0xc2) continue;
        const length = utf8SequenceLength(chunk, at);
        if (length > 0) {
          const line = this.lineFeeds + countLineFeeds(chunk, at) + 1;
          throw this.refusal(chunk, at, length, line, chunk.subarray(0, at), chunk.subarray(at + length));
        }
        if (length === -1) {
          this.tail = chunk.slice(at);
          this.tailLine = this.lineFeeds + countLineFeeds(chunk, at) + 1;
          this.tailBefore = chunk.slice(Math.max(0, at - 40), at);
          break;
        }
      }
    }
    this.lineFeeds += countLineFeeds(chunk);
  }

  /** The refusal, showing the sequence's bytes, the character UTF-8 reads, and the text around it on its line. */
  private refusal(bytes: Uint8Array, at: number, length: number, line: number, before: Uint8Array, after: Uint8Array): InputError {
    const sequence = bytes.subarray(at, at + length);
    const hex = [...sequence].map((byte) => byte.toString(16).toUpperCase().padStart(2, '0')).join(' ');
    const utf8 = new TextDecoder('utf-8');
    const lineStart = before.lastIndexOf(LF) + 1;
    let from = Math.max(lineStart, before.length - 40);
    while (from < before.length && before[from]! >= 0x80 && before[from]! <= 0xbf) from++; // not mid-character
    const lead = before.subarray(from);
    const lineEnd = after.indexOf(LF);
    const trail = after.subarray(0, Math.min(lineEnd === -1 ? after.length : lineEnd, 40));
    const context = (utf8.decode(lead) + utf8.decode(sequence) + utf8.decode(trail)).replace(/\r$/, '');
    return new InputError('saved as UTF-8 without a byte-order mark; CMS files are cp1252', {
      file: this.file,
      line,
      value: `bytes ${hex}: UTF-8 for \`${utf8.decode(sequence)}\`, cp1252 would read \`${decodeCp1252(sequence)}\`, in \`${context}\``,
      expected:
        'the file as CMS published it (cp1252 text): a copy re-saved as UTF-8 (by an editor, a mirror or a script) changes every non-ASCII character; download it again from CMS',
    });
  }
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
