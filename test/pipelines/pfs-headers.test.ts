/**
 * Each PFS column is recognised by its whole header, never by part of it: the header of every
 * column of each fixture file, with a word put before it (above a stacked header, in its top
 * row) or after it, is an unknown column on the header's line, and the file is refused.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { anes } from '../../pipelines/pfs/anes.js';
import { gpci } from '../../pipelines/pfs/gpci.js';
import { locco } from '../../pipelines/pfs/locco.js';
import { oppscap } from '../../pipelines/pfs/oppscap.js';
import { pprrvu } from '../../pipelines/pfs/pprrvu.js';
import type { Dataset } from '../../src/pipeline.js';
import { fixture } from '../support/fixtures.js';
import { editedMember, refusal } from './support.js';

interface HeaderCase {
  dataset: Dataset;
  file: string;
  /** 1-based line of the header row, and of the top row of its stack (the same when not stacked) */
  headerLine: number;
  topLine: number;
  columns: number;
  /** the header row is the one whose first cell is that column's header (else: found by other cells) */
  firstCellFindsHeader: boolean;
}

// Lines and column counts as in the fixture files (RVU25D, excerpts of CMS's own).
const CASES: HeaderCase[] = [
  { dataset: pprrvu, file: 'PPRRVU2025_Oct.csv', headerLine: 10, topLine: 6, columns: 31, firstCellFindsHeader: true },
  { dataset: oppscap, file: 'OPPSCAP_Oct.csv', headerLine: 1, topLine: 1, columns: 7, firstCellFindsHeader: true },
  { dataset: gpci, file: 'GPCI2025.csv', headerLine: 3, topLine: 3, columns: 7, firstCellFindsHeader: false },
  { dataset: locco, file: '25LOCCO.csv', headerLine: 3, topLine: 3, columns: 5, firstCellFindsHeader: false },
  { dataset: anes, file: 'ANES2025.csv', headerLine: 1, topLine: 1, columns: 4, firstCellFindsHeader: true },
];

function editCell(text: string, line: number, column: number, edit: (cell: string) => string): string {
  const lines = text.split('\r\n');
  const cells = lines[line - 1]!.split(',');
  cells[column] = edit(cells[column] ?? '');
  lines[line - 1] = cells.join(',');
  return lines.join('\r\n');
}

describe.each(CASES)('$dataset.name headers ($file)', ({ dataset, file, headerLine, topLine, columns, firstCellFindsHeader }) => {
  const source = fixture('pfs', 'rvu25d', file);
  it.each(Array.from({ length: columns }, (_, index) => index))('column %i with a word before or after its header is unknown', async (index) => {
    const before = (cell: string) => (cell.trim() === '' ? 'X' : `X ${cell}`);
    const after = (cell: string) => `${cell} X`;
    for (const [line, edit] of [[topLine, before], [headerLine, after]] as const) {
      const member = await editedMember(source, (text) => editCell(text, line, index, edit), path.basename(file));
      const error = await refusal(dataset, member);
      if (firstCellFindsHeader && index === 0 && line === headerLine) {
        // the first column's header is also what finds the header row: without it there is none
        expect(error.problem).toMatch(/^header row not found in the first \d+ rows$/);
        continue;
      }
      expect(error.line).toBe(headerLine);
      expect(error.problem).toMatch(new RegExp(`^unknown column "(X .*|.* X)" \\(column ${index + 1}\\)`));
    }
  });
});
