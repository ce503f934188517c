/**
 * Some CMS csv files write a non-breaking space as byte 0xFF (cp1252 `ÿ`, from an older code
 * page), after a code (`A4341ÿ`) or a description. A dataset that declares this reads the file
 * with each 0xFF turned into 0xA0 (NBSP), which trimming then removes like any space. Only the
 * stream is changed: the member's sha256 and size are the file's own.
 */
import { Transform } from 'node:stream';
import type { MemberFile } from '../src/pipeline.js';

export function withNbspByte(file: MemberFile, byte: number): MemberFile {
  if (file.format !== 'csv' && file.format !== 'txt') return file;
  return {
    name: file.name,
    stem: file.stem,
    path: file.path,
    format: file.format,
    size: file.size,
    bytes: () => file.bytes(),
    sha256: () => file.sha256(),
    async open() {
      const source = await file.open();
      const output = new Transform({
        transform(chunk: Buffer, _encoding, done) {
          if (chunk.includes(byte)) {
            const copy = Buffer.from(chunk);
            for (let index = copy.indexOf(byte); index >= 0; index = copy.indexOf(byte, index + 1)) copy[index] = 0xa0;
            done(null, copy);
          } else done(null, chunk);
        },
      });
      // A read error of the member (a corrupt zip entry) must reach the reader.
      source.once('error', (error) => output.destroy(error));
      return source.pipe(output);
    },
  };
}
