import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { MemberIntegrity } from '../../src/archive/integrity.js';

describe('MemberIntegrity', () => {
  const bytes = Buffer.from('HCPCS,MOD,DESCRIPTION\n99213,,Office visit placeholder\n');
  const declaredCrc = zlib.crc32(bytes);

  it('accepts the declared bytes however they are chunked', () => {
    const integrity = new MemberIntegrity(bytes.length, declaredCrc);
    for (let at = 0; at < bytes.length; at += 7) expect(integrity.add(bytes.subarray(at, at + 7))).toBe(true);
    expect(integrity.size).toBe(bytes.length);
    expect(integrity.crc).toBe(declaredCrc);
    expect(integrity.crcMatches).toBe(true);
  });

  it('says when the bytes pass the declared size, and keeps counting', () => {
    const integrity = new MemberIntegrity(bytes.length - 1, declaredCrc);
    expect(integrity.add(bytes)).toBe(false);
    expect(integrity.size).toBe(bytes.length);
  });

  it('finds one flipped byte, and compares a CRC-32 with the high bit set as unsigned', () => {
    const flipped = Buffer.from(bytes);
    flipped[10] = flipped[10]! ^ 1;
    const integrity = new MemberIntegrity(bytes.length, declaredCrc);
    integrity.add(flipped);
    expect(integrity.crcMatches).toBe(false);
    expect(integrity.crc).toBe(zlib.crc32(flipped));

    // a directory's CRC read as a signed 32-bit number is still the same CRC
    const high = Buffer.from('x');
    const crc = zlib.crc32(high);
    const signed = crc | 0;
    const asSigned = new MemberIntegrity(1, signed);
    asSigned.add(high);
    expect(asSigned.crcMatches).toBe(true);
  });
});
