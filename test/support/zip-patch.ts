/**
 * Zips that lie: rewrite the CRC-32, the uncompressed size or the compression method a zip declares for one member, in
 * both its local header and its central directory entry, leaving the compressed bytes intact.
 * Offsets are the zip format's (APPNOTE 4.3.7 and 4.3.12); fflate writes no zip64 or data
 * descriptors for small members, so the fields are where the format puts them.
 */
const LOCAL_SIGNATURE = 0x04034b50;
const CENTRAL_SIGNATURE = 0x02014b50;

export interface MemberLie {
  crc32?: number;
  uncompressedSize?: number;
  /** a method number yauzl cannot inflate (12 is bzip2): the member cannot be opened at all */
  compressionMethod?: number;
}

export function patchMember(zip: Uint8Array, member: string, lie: MemberLie): Uint8Array<ArrayBuffer> {
  const bytes = Buffer.from(zip);
  const name = Buffer.from(member);
  let patched = 0;
  for (let offset = 0; offset + 46 <= bytes.length; offset++) {
    const signature = bytes.readUInt32LE(offset);
    if (signature === LOCAL_SIGNATURE && matches(bytes, offset + 30, bytes.readUInt16LE(offset + 26), name)) {
      apply(bytes, offset + 14, offset + 22, offset + 8, lie);
      patched++;
    } else if (signature === CENTRAL_SIGNATURE && matches(bytes, offset + 46, bytes.readUInt16LE(offset + 28), name)) {
      apply(bytes, offset + 16, offset + 24, offset + 10, lie);
      patched++;
    }
  }
  if (patched !== 2) throw new Error(`member ${member}: found ${patched} headers instead of 2`);
  return new Uint8Array(bytes);
}

function matches(bytes: Buffer, at: number, length: number, name: Buffer): boolean {
  return length === name.length && bytes.subarray(at, at + length).equals(name);
}

function apply(bytes: Buffer, crcAt: number, sizeAt: number, methodAt: number, lie: MemberLie): void {
  if (lie.compressionMethod !== undefined) bytes.writeUInt16LE(lie.compressionMethod, methodAt);
  if (lie.crc32 !== undefined) bytes.writeUInt32LE(lie.crc32 >>> 0, crcAt);
  if (lie.uncompressedSize !== undefined) bytes.writeUInt32LE(lie.uncompressedSize, sizeAt);
}
