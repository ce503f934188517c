/**
 * What an editor does to a CMS text file (UTF-16, UTF-8 with a byte-order mark), refused from its
 * first bytes with the one message for each; the DOS end-of-file byte and its spreadsheet escape
 * removed from cells; the UTF-8 decoder of text people write.
 */
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { TEXT_ENCODINGS, decodeText, utf8DecoderStream } from '../../src/parse/encoding.js';
import { checkTextEncoding, cleanCell, cp1252DecoderStream, decodeCp1252 } from '../../src/parse/text.js';

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

/** A UTF-8 file without a byte-order mark (a CMS file re-saved by an editor, a mirror or a script). */
const UTF8 = {
  problem: 'saved as UTF-8 without a byte-order mark; CMS files are cp1252',
  expected:
    'the file as CMS published it (cp1252 text): a copy re-saved as UTF-8 (by an editor, a mirror or a script) changes every non-ASCII character; download it again from CMS',
};

/** The decoder's text, or the error it stopped with. */
async function decodeChunks(chunks: Uint8Array[], file: string | null = 'HCPC2026_JAN_ANWEB.txt'): Promise<string | InputError> {
  const parts: string[] = [];
  try {
    for await (const part of Readable.from(chunks.map((chunk) => Buffer.from(chunk))).pipe(cp1252DecoderStream(file ?? undefined))) parts.push(part as string);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return error as InputError;
  }
  return parts.join('');
}

/** Every way to cut `bytes` into two chunks, and into one-byte chunks. */
function splits(bytes: Buffer): Uint8Array[][] {
  const cuts = Array.from({ length: bytes.length - 1 }, (_, at) => [bytes.subarray(0, at + 1), bytes.subarray(at + 1)]);
  return [...cuts, [...bytes].map((byte) => Uint8Array.of(byte))];
}

const latin1 = (text: string) => Buffer.from(text, 'latin1');

describe('a UTF-8 file without a byte-order mark', () => {
  const resaved = Buffer.from('HCPCS\r\nA0021 Ambulance\r\nA0080 Café transport, per mile\r\nA0090 next\r\n', 'utf8');

  it('is refused at its first multi-byte sequence, naming the file, the line and the text as UTF-8 reads it', async () => {
    const error = await decodeChunks([resaved]);
    expect(error).toMatchObject({
      file: 'HCPC2026_JAN_ANWEB.txt',
      line: 3,
      value: 'bytes C3 A9: UTF-8 for `é`, cp1252 would read `Ã©`, in `A0080 Café transport, per mile`',
      ...UTF8,
    });
    expect((error as Error).message).toBe(
      'HCPC2026_JAN_ANWEB.txt, line 3: saved as UTF-8 without a byte-order mark; CMS files are cp1252: ' +
        'found "bytes C3 A9: UTF-8 for `é`, cp1252 would read `Ã©`, in `A0080 Café transport, per mile`"; ' +
        `expected ${UTF8.expected}`,
    );
  });

  it.each([
    ['2-byte é', 'é', 'C3 A9', 'Ã©'],
    ['3-byte ’ (CMS’s 0x92 re-saved)', '’', 'E2 80 99', 'â€™'],
    ['3-byte €', '€', 'E2 82 AC', 'â‚¬'],
    ['3-byte U+FFFD', '\uFFFD', 'EF BF BD', 'ï¿½'],
    ['4-byte 😀', '😀', 'F0 9F 98 80', 'ðŸ˜€'],
    ['4-byte U+10FFFF', '\u{10FFFF}', 'F4 8F BF BF', 'ô\u008F¿¿'],
    ['2-byte NBSP (CMS’s 0xA0 re-saved)', '\u00A0', 'C2 A0', 'Â\u00A0'],
  ])('%s is refused', async (_case, char, hex, cp1252) => {
    const error = await decodeChunks([Buffer.from(`code\nA${char}B\n`, 'utf8')]);
    expect(error).toMatchObject({ line: 2, value: `bytes ${hex}: UTF-8 for \`${char}\`, cp1252 would read \`${cp1252}\`, in \`A${char}B\`` });
  });

  it.each([
    ['é (2 bytes)', Buffer.from('ab\ncd\r\nef é gh\r\n', 'utf8'), 3, 'é', 'C3 A9'],
    ['😀 (4 bytes)', Buffer.from('a\n\n😀\n', 'utf8'), 3, '😀', 'F0 9F 98 80'],
    ['’ (3 bytes) on line 1', Buffer.from('It’s', 'utf8'), 1, '’', 'E2 80 99'],
  ])('a sequence split across chunks is found at every cut, and in one-byte chunks: %s', async (_case, bytes, line, char, hex) => {
    for (const chunks of splits(bytes)) {
      const error = await decodeChunks(chunks);
      const label = chunks.map((chunk) => Buffer.from(chunk).toString('hex')).join('|');
      expect(error, label).toMatchObject({ line, ...UTF8 });
      expect((error as InputError).value, label).toMatch(new RegExp(`^bytes ${hex}: UTF-8 for \`${char}\`, cp1252 would read \`${decodeCp1252(Buffer.from(char, 'utf8'))}\`, in \`[^\`]*${char}`));
    }
  });

  it('cut inside the sequence, the context still has the text on both sides', async () => {
    const bytes = Buffer.from('A0080 Café transport\r\n', 'utf8');
    const cut = bytes.indexOf(0xa9);
    const error = (await decodeChunks([bytes.subarray(0, cut), bytes.subarray(cut)])) as InputError;
    expect(error.value).toBe('bytes C3 A9: UTF-8 for `é`, cp1252 would read `Ã©`, in `A0080 Café transport`');
  });

  it('the context is the sequence’s own line, at most 40 bytes either side, not cut inside a character', async () => {
    const before = `${'x'.repeat(50)}é${'y'.repeat(37)}`; // é is two bytes: 40 back lands on its second byte
    const error = (await decodeChunks([Buffer.from(`line one\n${before}’${'z'.repeat(50)}\r\nnext\n`, 'utf8')])) as InputError;
    expect(error.line).toBe(2);
    // the first sequence (é) is what is refused; its context runs 40 bytes on, to the ’
    expect(error.value).toBe(`bytes C3 A9: UTF-8 for \`é\`, cp1252 would read \`Ã©\`, in \`${'x'.repeat(40)}é${'y'.repeat(37)}’\``);
    const late = (await decodeChunks([Buffer.from(`${'y'.repeat(37)}é${'x'.repeat(3)}’z\r\n`, 'utf8')])) as InputError;
    expect(late.value).toBe(`bytes C3 A9: UTF-8 for \`é\`, cp1252 would read \`Ã©\`, in \`${'y'.repeat(37)}é${'x'.repeat(3)}’z\``);
  });

  it('the first chunk’s BOM check comes first: a UTF-8 file with a BOM keeps its own message', async () => {
    expect(await decodeChunks([Buffer.from('\uFEFFCafé', 'utf8')])).toMatchObject(BOM);
  });

  it('through the fixed-width line reader, the file and line are named', async () => {
    const { readTextLines } = await import('../../src/parse/fixed-width.js');
    const error = await (async () => {
      for await (const _line of readTextLines(Readable.from([resaved]), 'HCPC2026_JAN_ANWEB.txt')) void _line;
    })().catch((caught: unknown) => caught);
    expect(error).toMatchObject({ file: 'HCPC2026_JAN_ANWEB.txt', line: 3, ...UTF8 });
  });
});

describe('genuine cp1252 text still decodes', () => {
  it('0x92, 0xA0 (NBSP), 0xFF, 0x96, é as 0xE9, £ as 0xA3, and the EOF byte', async () => {
    const bytes = Buffer.from([
      ...latin1('CMS'), 0x92, ...latin1('s rule'), 0xa0, 0x96, 0xa0, ...latin1('A4341'), 0xff, 0x0d, 0x0a,
      ...latin1('Caf'), 0xe9, ...latin1(' au lait '), 0xa3, ...latin1('5'), 0x1a,
    ]);
    const expected = 'CMS’s rule\u00A0–\u00A0A4341ÿ\r\nCafé au lait £5';
    expect(await decodeChunks([bytes])).toBe(expected);
    for (const chunks of splits(bytes)) expect(await decodeChunks(chunks)).toBe(expected);
  });

  it.each([
    ['overlong 2-byte (C0 80, C1 BF)', [0xc0, 0x80, 0x20, 0xc1, 0xbf], 'À€ Á¿'],
    ['overlong 3-byte (E0 80 80, E0 9F BF)', [0xe0, 0x80, 0x80, 0x20, 0xe0, 0x9f, 0xbf], 'à€€ àŸ¿'],
    ['overlong 4-byte (F0 80 80 80, F0 8F BF BF)', [0xf0, 0x80, 0x80, 0x80, 0x20, 0xf0, 0x8f, 0xbf, 0xbf], 'ð€€€ ð\u008F¿¿'],
    ['a surrogate (ED A0 80)', [0xed, 0xa0, 0x80], 'í\u00A0€'],
    ['above U+10FFFF (F4 90 80 80, F5 80 80 80)', [0xf4, 0x90, 0x80, 0x80, 0x20, 0xf5, 0x80, 0x80, 0x80], 'ô\u0090€€ õ€€€'],
    ['a lead byte before ASCII (É then a space)', [0xc9, 0x20, 0x41], 'É A'],
    ['a lead byte cut short (E2 80 then ASCII)', [0xe2, 0x80, 0x41], 'â€A'],
    ['a lone continuation byte (0x92 after ASCII)', [0x41, 0x92], 'A’'],
    ['a lead byte at the very end', [0x41, 0xc3], 'AÃ'],
    ['a cut-short 4-byte lead at the very end', [0x41, 0xf0, 0x9f, 0x98], 'AðŸ˜'],
  ])('%s is not UTF-8: decoded as cp1252', async (_case, bytes, text) => {
    const buffer = Buffer.from(bytes);
    expect(await decodeChunks([buffer])).toBe(text);
    for (const chunks of splits(buffer)) expect(await decodeChunks(chunks)).toBe(text);
  });

  it('without a file name nothing is checked (as for the BOM)', async () => {
    expect(await decodeChunks([Buffer.from('Café', 'utf8')], null)).toBe('CafÃ©');
  });
});

describe('the UTF-8 check agrees with a regular expression over the whole file, however it is chunked', () => {
  // RFC 3629's well-formed multi-byte sequences, over the bytes read as Latin-1
  const WELL_FORMED =
    /[\xC2-\xDF][\x80-\xBF]|\xE0[\xA0-\xBF][\x80-\xBF]|[\xE1-\xEC\xEE\xEF][\x80-\xBF]{2}|\xED[\x80-\x9F][\x80-\xBF]|\xF0[\x90-\xBF][\x80-\xBF]{2}|[\xF1-\xF3][\x80-\xBF]{3}|\xF4[\x80-\x8F][\x80-\xBF]{2}/;
  const ALPHABET = [0x41, 0x0a, 0x0a, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xc2, 0xdf, 0xe0, 0xe1, 0xed, 0xef, 0xf0, 0xf1, 0xf4, 0xf5, 0xff];

  it('600 pseudo-random byte strings, each cut into random chunks', async () => {
    let seed = 20250911;
    const random = (below: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % below;
    };
    let refused = 0;
    for (let round = 0; round < 600; round++) {
      const bytes = Buffer.from(Array.from({ length: 1 + random(12) }, () => ALPHABET[random(ALPHABET.length)]!));
      const chunks: Uint8Array[] = [];
      for (let at = 0; at < bytes.length; ) {
        const size = 1 + random(4);
        chunks.push(bytes.subarray(at, at + size));
        at += size;
      }
      const text = bytes.toString('latin1');
      const match = WELL_FORMED.exec(text);
      const result = await decodeChunks(chunks);
      const label = `${bytes.toString('hex')} in ${chunks.length} chunks`;
      if (match === null) expect(result, label).toBe(decodeCp1252(bytes));
      else {
        refused++;
        const line = text.slice(0, match.index).split('\n').length;
        expect(result, label).toMatchObject({ line, ...UTF8 });
        expect((result as InputError).value, label).toMatch(new RegExp(`^bytes ${[...latin1(match[0])].map((byte) => byte.toString(16).toUpperCase()).join(' ')}:`));
      }
    }
    // both outcomes are exercised
    expect(refused).toBeGreaterThan(50);
    expect(refused).toBeLessThan(550);
  });
});
