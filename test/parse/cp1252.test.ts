/** cp1252 text: the bytes 0x80–0x9F are cp1252's characters, not Latin-1 control codes. */
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { decodeText } from '../../src/parse/encoding.js';
import { cp1252DecoderStream, decodeCp1252 } from '../../src/parse/text.js';
import { InputError } from '../../src/errors.js';

const C1 = Buffer.from(Array.from({ length: 32 }, (_, index) => 0x80 + index));
const EXPECTED = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008DŽ\u008F\u0090‘’“”•–—˜™š›œ\u009DžŸ';

describe('cp1252 decoding', () => {
  it('maps 0x80–0x9F to their cp1252 characters (Node 20 decodes them as Latin-1)', () => {
    expect(decodeCp1252(C1)).toBe(EXPECTED);
    expect(decodeCp1252(Buffer.from([0x43, 0x4d, 0x53, 0x92, 0xe9, 0x1a]))).toBe('CMS’é');
  });

  it('the streaming decoder does the same across chunk boundaries', async () => {
    const chunks: string[] = [];
    for await (const chunk of Readable.from([C1.subarray(0, 7), C1.subarray(7)]).pipe(cp1252DecoderStream())) chunks.push(chunk as string);
    expect(chunks.join('')).toBe(EXPECTED);
  });

  it('UTF-8 input: a BOM is dropped; an invalid byte names its line and suggests cp1252', () => {
    expect(decodeText(Buffer.from('\uFEFFcafé\n', 'utf8'), 'a.csv')).toBe('café\n');
    const bytes = Buffer.concat([Buffer.from('ok\nstill ok é\nbad '), Buffer.from([0x92]), Buffer.from('\n')]);
    expect(() => decodeText(bytes, 'b.csv')).toThrow(InputError);
    try {
      decodeText(bytes, 'b.csv');
    } catch (error) {
      expect(error).toMatchObject({ file: 'b.csv', line: 3, value: 'byte 0x92' });
      expect((error as Error).message).toContain('--encoding cp1252');
    }
    expect(decodeText(bytes, 'b.csv', 'cp1252')).toBe('ok\nstill ok Ã©\nbad ’\n');
  });
});
