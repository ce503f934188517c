/**
 * Line and field bounds (src/parse/limits.ts), enforced while streaming in every reader: a line
 * longer than any CMS file's stops at the bound with file and line, whatever comes after it.
 * (Time and memory of the real 250 MB case: bench/oversized.ts.)
 */
import { Readable } from 'node:stream';
import * as XLSX from 'xlsx';
import { describe, expect, it } from 'vitest';
import { hcpcsCodeDataset } from '../../pipelines/hcpcs/datasets.js';
import { InputError } from '../../src/errors.js';
import { readTextLines } from '../../src/parse/fixed-width.js';
import { MAX_FIELD_CHARS, MAX_LINE_CHARS } from '../../src/parse/limits.js';
import { readWorkbookRows } from '../../src/parse/xlsx.js';
import { fixturePath, memberFromBytes, readAll } from '../hcpcs/support.js';
import { readFileSync } from 'node:fs';
import { unzipSync, zipSync } from 'fflate';

/** An endless stream of `x` without a newline, after `prefix`: reading it to the end would never finish. */
function endless(prefix: string): Readable {
  let sent = 0;
  return new Readable({
    read() {
      if (sent === 0) this.push(Buffer.from(prefix, 'latin1'));
      sent++;
      this.push(Buffer.alloc(64 * 1024, 'x'));
    },
  });
}

describe('line bound in fixed-width text', () => {
  it('stops an endless line at the bound, naming file and line', async () => {
    const stream = endless('first line\r\n');
    const read = async () => {
      for await (const _line of readTextLines(stream, 'HCPC2025_OCT_ANWEB.txt')) void _line;
    };
    const error = (await read().catch((caught: unknown) => caught)) as InputError;
    expect(error).toBeInstanceOf(InputError);
    expect(error).toMatchObject({ file: 'HCPC2025_OCT_ANWEB.txt', line: 2, problem: 'a line longer than 65,536 characters' });
    expect(stream.destroyed).toBe(true);
  });

  it('accepts a line of exactly the bound', async () => {
    const lines: number[] = [];
    for await (const line of readTextLines(Readable.from([Buffer.alloc(MAX_LINE_CHARS, 'y'), Buffer.from('\r\nz')]), 'f.txt')) {
      lines.push(line.text.length);
    }
    expect(lines).toEqual([MAX_LINE_CHARS, 1]);
  });

  it('refuses an ANWEB txt holding one enormous line, with its line', async () => {
    const txt = readFileSync(fixturePath('2025-oct', 'HCPC2025_OCT_ANWEB.txt')).toString('latin1').split('\n');
    txt.splice(3, 0, 'q'.repeat(2 * 1024 * 1024));
    const member = memberFromBytes('HCPC2025_OCT_ANWEB.txt', Buffer.from(txt.join('\n'), 'latin1'), 64 * 1024);
    const error = (await readAll(hcpcsCodeDataset, member).catch((caught: unknown) => caught)) as InputError;
    expect(error).toMatchObject({ file: 'HCPC2025_OCT_ANWEB.txt', line: 4, problem: 'a line longer than 65,536 characters' });
  });
});

describe('field bound in workbooks', () => {
  it('refuses a cell longer than Excel allows, naming sheet row and column', () => {
    // No writer makes such a workbook (Excel and SheetJS stop at 32,767): write a short cell and
    // lengthen it in the sheet's XML, so the reader's own check is what is under test.
    const workbook = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(workbook, XLSX.utils.aoa_to_sheet([['HCPC', 'LONG DESCRIPTION'], ['A0021', 'PLACEHOLDER']]), 'A');
    const parts = unzipSync(new Uint8Array(XLSX.write(workbook, { type: 'buffer', bookType: 'xlsx' }) as Buffer));
    const name = Object.keys(parts).find((part) => new TextDecoder().decode(parts[part]).includes('PLACEHOLDER'))!;
    parts[name] = new TextEncoder().encode(new TextDecoder().decode(parts[name]).replace('PLACEHOLDER', 'w'.repeat(MAX_FIELD_CHARS + 1)));
    const bytes = Buffer.from(zipSync(parts));
    let error: unknown;
    try {
      readWorkbookRows(bytes, 'HCPC_ANWEB.xlsx');
    } catch (caught) {
      error = caught;
    }
    expect(error).toMatchObject({ file: 'HCPC_ANWEB.xlsx', line: 2, column: '#2', problem: 'a value of 32,768 characters' });
  });
});
