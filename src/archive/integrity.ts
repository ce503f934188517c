/**
 * A zip member's inflated bytes against what the zip's central directory declares for it: the
 * size and the CRC-32. The import's reader (zip.ts) and the download's walk (verify.ts) both count
 * through it.
 */
import zlib from 'node:zlib';

export class MemberIntegrity {
  #size = 0;
  #crc = 0;

  constructor(
    readonly declaredSize: number,
    readonly declaredCrc: number,
  ) {}

  /** Count a chunk of the member's bytes; false once they pass the declared size. */
  add(chunk: Buffer): boolean {
    this.#size += chunk.length;
    this.#crc = zlib.crc32(chunk, this.#crc);
    return this.#size <= this.declaredSize;
  }

  /** the bytes counted so far */
  get size(): number {
    return this.#size;
  }

  /** the CRC-32 of the bytes counted so far, unsigned */
  get crc(): number {
    return this.#crc >>> 0;
  }

  /** the CRC-32 of the bytes so far is the declared one (at their end: the member is intact) */
  get crcMatches(): boolean {
    return this.crc === this.declaredCrc >>> 0;
  }
}
