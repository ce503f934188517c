/**
 * Bytes → text for CMS files: cp1252 (a superset of the ASCII they mostly are), with the DOS
 * end-of-file byte (0x1A) removed wherever it appears.
 */
import { Transform, type TransformCallback } from 'node:stream';

const EOF_MARK = /\u001a/g;

/** Decode a whole buffer. */
export function decodeCp1252(bytes: Uint8Array): string {
  return new TextDecoder('windows-1252').decode(bytes).replace(EOF_MARK, '');
}

/** A streaming decoder: bytes in, cp1252-decoded strings out, EOF bytes dropped. */
export function cp1252DecoderStream(): Transform {
  const decoder = new TextDecoder('windows-1252');
  return new Transform({
    readableObjectMode: true,
    transform(chunk: Buffer, _encoding, done: TransformCallback) {
      const text = decoder.decode(chunk, { stream: true }).replace(EOF_MARK, '');
      done(null, text.length > 0 ? text : undefined);
    },
    flush(done: TransformCallback) {
      const rest = decoder.decode().replace(EOF_MARK, '');
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
