/**
 * What an editor does to a CMS text file (UTF-16, UTF-8 with a byte-order mark), refused from its
 * first bytes with the one message for each; the DOS end-of-file byte and its spreadsheet escape
 * removed from cells; the UTF-8 decoder of text people write.
 */
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { TEXT_ENCODINGS, decodeText, utf8DecoderStream } from '../../src/parse/encoding.js';
import { checkTextEncoding, cleanCell, cp1252DecoderStream } from '../../src/parse/text.js';

const UTF16 = {
  problem: 'saved as UTF-16; CMS files are cp1252',
  expected: 'the file as CMS published it (cp1252 text), or saved again as "CSV" / ANSI, not "Unicode text"',
};
const BOM = {
  problem: 'saved as UTF-8 with a byte-order mark; CMS files are cp1252',
  expected: 'the file as CMS published it (cp1252 text), or saved again as "CSV" (not "CSV UTF-8")',
};

function refusal(head: number[]) {
  try {
    checkTextEncoding(Uint8Array.from(head), 'PPRRVU25_OCT.csv');
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    const { file, problem, expected } = error as InputError;
    return { file, problem, expected };
  }
  return undefined;
}

const bytes = (text: string) => [...Buffer.from(text, 'latin1')];

describe('checkTextEncoding', () => {
  it.each([
    ['UTF-16 LE with its mark', [0xff, 0xfe, 0x48, 0x00]],
    ['UTF-16 BE with its mark', [0xfe, 0xff, 0x00, 0x48]],
    ['UTF-16 LE without a mark', bytes('H\0C\0')],
    ['UTF-16 BE without a mark', bytes('\0H\0C')],
    ['a mark alone', [0xff, 0xfe]],
  ])('%s is refused as UTF-16', (_case, head) => {
    expect(refusal(head)).toEqual({ file: 'PPRRVU25_OCT.csv', ...UTF16 });
  });

  it('UTF-8 with a byte-order mark is refused as such', () => {
    expect(refusal([0xef, 0xbb, 0xbf, 0x48])).toEqual({ file: 'PPRRVU25_OCT.csv', ...BOM });
  });

  it.each([
    ['cp1252 text', bytes('HCPC')],
    ['a short file with a NUL', bytes('H\0')],
    ['NUL bytes not in a UTF-16 pattern', bytes('HC\0\0')],
    ['a lone 0xFF (cp1252 ÿ) first', [0xff, 0x41, 0x42, 0x43]],
    ['0xEF 0xBB without 0xBF', [0xef, 0xbb, 0x41, 0x42]],
    ['nothing', []],
  ])('%s passes', (_case, head) => {
    expect(refusal(head)).toBeUndefined();
  });

  it('the streaming decoder refuses a UTF-16 file on its first chunk, naming the file', async () => {
    const stream = Readable.from([Buffer.from('\uFEFFHCPCS', 'utf16le')]).pipe(cp1252DecoderStream('HCPC2026_JAN_ANWEB.txt'));
    const error = await (async () => {
      for await (const _chunk of stream) void _chunk;
    })().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InputError);
    expect(error).toMatchObject({ file: 'HCPC2026_JAN_ANWEB.txt', ...UTF16 });
  });

  it('without a file name the streaming decoder checks nothing', async () => {
    const chunks: string[] = [];
    for await (const chunk of Readable.from([Buffer.from([0xef, 0xbb, 0xbf, 0x41])]).pipe(cp1252DecoderStream())) chunks.push(chunk as string);
    expect(chunks.join('')).toBe('ï»¿A');
  });

  it('the streaming decoder checks only the first chunk', async () => {
    const chunks: string[] = [];
    const source = Readable.from([Buffer.from('HCPC'), Buffer.from([0xff, 0xfe, 0x41, 0x00])]);
    for await (const chunk of source.pipe(cp1252DecoderStream('a.csv'))) chunks.push(chunk as string);
    expect(chunks.join('')).toBe('HCPCÿþA\u0000');
  });
});

describe('cleanCell', () => {
  it.each([
    ['A9606_x001A_', 'A9606'],
    ['_x001a_A9606', 'A9606'],
    ['A96\u001a06', 'A9606'],
    ['A_x001A_B\u001aC', 'ABC'],
    ['A_x0010_B', 'A_x0010_B'],
    ['plain text', 'plain text'],
  ])('%j → %j', (cell, clean) => {
    expect(cleanCell(cell)).toBe(clean);
  });
});

describe('text people write', () => {
  it('UTF-8 and cp1252 are the encodings offered', () => {
    expect(TEXT_ENCODINGS).toEqual(['utf-8', 'cp1252']);
  });

  it('cp1252 is decoded as cp1252, its BOM-looking bytes kept as text; a UTF-8 BOM is dropped either way', () => {
    expect(decodeText(Buffer.from([0x93, 0x41, 0x94]), 'notes.csv', 'cp1252')).toBe('“A”');
    expect(decodeText(Buffer.from('\uFEFFA', 'utf8'), 'notes.csv', 'utf-8')).toBe('A');
  });

  it('an invalid byte on the first line is named with line 1', () => {
    const error = (() => {
      try {
        decodeText(Buffer.from([0x41, 0xc3, 0x28, 0x0a, 0x42]), 'notes.csv');
      } catch (caught) {
        return caught as InputError;
      }
      return undefined;
    })();
    expect(error).toMatchObject({
      file: 'notes.csv', line: 1, value: 'byte 0xC3', problem: 'not valid UTF-8',
      expected: 'UTF-8 text (a file saved by Excel as "CSV" on Windows is cp1252: import it with --encoding cp1252)',
    });
  });

  it('the streaming UTF-8 decoder joins a character split across chunks and keeps a BOM for the caller', async () => {
    const euro = Buffer.from('\uFEFFa€b', 'utf8');
    const chunks: string[] = [];
    for await (const chunk of Readable.from([euro.subarray(0, 5), euro.subarray(5)]).pipe(utf8DecoderStream())) chunks.push(chunk as string);
    expect(chunks.join('')).toBe('\uFEFFa€b');
  });
});
