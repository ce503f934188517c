import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { checkLayout, fieldText, readTextLines, sliceFields, type FixedField } from '../../src/parse/fixed-width.js';

const LAYOUT: FixedField<'code' | 'seq' | 'text'>[] = [
  { name: 'code', start: 1, end: 5 },
  { name: 'seq', start: 6, end: 8 },
  { name: 'text', start: 9, end: 14 },
];

async function lines(...chunks: (string | Buffer)[]) {
  const out: { line: number; text: string }[] = [];
  for await (const line of readTextLines(Readable.from(chunks.map((chunk) => Buffer.from(chunk as string, 'latin1'))))) {
    out.push(line);
  }
  return out;
}

describe('sliceFields', () => {
  it('cuts 1-based inclusive positions and trims each value', () => {
    expect(sliceFields('   GA001 hello ', LAYOUT)).toEqual({ code: 'GA', seq: '001', text: 'hello' });
  });

  it('gives empty strings for fields beyond the end of a short line', () => {
    expect(sliceFields('A0021', LAYOUT)).toEqual({ code: 'A0021', seq: '', text: '' });
    expect(fieldText('A0021', LAYOUT[2]!)).toBe('');
  });
});

describe('checkLayout', () => {
  it('accepts contiguous fields that end at the record width', () => {
    expect(() => checkLayout(LAYOUT, 14)).not.toThrow();
  });

  it('refuses gaps, overlaps, duplicates and a wrong total width', () => {
    expect(() => checkLayout([LAYOUT[0]!, LAYOUT[2]!], 14)).toThrow(/text is 9-14; expected it to start at 6/);
    expect(() => checkLayout([LAYOUT[0]!, { name: 'seq', start: 5, end: 8 }], 8)).toThrow(/expected it to start at 6/);
    expect(() => checkLayout([LAYOUT[0]!, LAYOUT[0]!], 10)).toThrow(/appears twice/);
    expect(() => checkLayout(LAYOUT, 20)).toThrow(/end at 14; expected 20/);
  });
});

describe('readTextLines', () => {
  it('splits CRLF and LF lines with 1-based numbers and no extra empty last line', async () => {
    expect(await lines('one\r\ntwo\nthree\r\n')).toEqual([
      { line: 1, text: 'one' },
      { line: 2, text: 'two' },
      { line: 3, text: 'three' },
    ]);
  });

  it('keeps a last line without a line break, and empty lines in between', async () => {
    expect(await lines('a\r\n\r\nb')).toEqual([
      { line: 1, text: 'a' },
      { line: 2, text: '' },
      { line: 3, text: 'b' },
    ]);
  });

  it('joins lines split across chunks, including a CR and its LF in different chunks', async () => {
    expect(await lines('ab', 'c\r', '\nde', 'f\r\n')).toEqual([
      { line: 1, text: 'abc' },
      { line: 2, text: 'def' },
    ]);
  });

  it('decodes cp1252 (0x92 is a right single quote) and drops the DOS end-of-file byte', async () => {
    const bytes = Buffer.from([0x43, 0x4d, 0x53, 0x92, 0x0d, 0x0a, 0x1a]);
    expect(await lines(bytes)).toEqual([{ line: 1, text: 'CMS\u2019' }]);
  });
});
