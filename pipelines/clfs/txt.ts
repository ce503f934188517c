/**
 * The CLFS zip's `~`-delimited txt (`CLFS 2025 Q1V1.txt`): `HDR~` copyright lines, then records
 * `YEAR~HCPCS~MOD~EFF_DATE~INDICATOR~RATE~SHORTDESC` with no header row of their own, padded with
 * spaces (`  ` for no modifier, the descriptor to its width), CRLF, cp1252. It has no long
 * descriptors. Read only when the zip has no csv (the csv is preferred: it has all nine columns).
 *
 * The rows are handed to the csv's contract: HDR lines as the preamble, then a header row of the
 * csv's names for these seven fields, then the records split on `~`; so every check of the csv
 * (codes, indicator, zero-padded rates, one YEAR per file, row width) holds for the txt too.
 */
import type { MemberFile } from '../../src/pipeline.js';
import { readTextLines } from '../../src/parse/fixed-width.js';
import type { RawRow } from '../../src/parse/rows.js';

/** The csv's header names of the txt's fields, in the txt's order. */
export const TXT_FIELDS = ['YEAR', 'HCPCS', 'MOD', 'EFF_DATE', 'INDICATOR', 'RATE', 'SHORTDESC'] as const;

const HDR = /^HDR~/;

export async function* clfsTxtRows(file: MemberFile): AsyncGenerator<RawRow> {
  let headed = false;
  let last = 0;
  for await (const { line, text } of readTextLines(await file.open(), file.path)) {
    last = line;
    if (HDR.test(text)) {
      yield { line, cells: [text] };
      continue;
    }
    if (text.trim() === '') {
      yield { line, cells: [] };
      continue;
    }
    if (!headed) {
      // the header the file does not have, on the line of its first record
      yield { line, cells: TXT_FIELDS };
      headed = true;
    }
    const cells = text.split('~');
    yield { line, cells, width: cells.length };
  }
  // no record at all: a header with nothing under it, so the refusal says "no data rows"
  if (!headed && last > 0) yield { line: last, cells: TXT_FIELDS };
}
