/**
 * Delimited text (CMS's csv) → rows of cells, streamed: memory stays flat however large the
 * file. Line numbers are physical lines of the file, as an editor shows them. A line or a field
 * beyond the bounds of limits.ts fails as soon as it is read.
 */
import type { Readable } from 'node:stream';
import { parse, CsvError } from 'csv-parse';
import { InputError } from '../errors.js';
import { utf8DecoderStream } from './encoding.js';
import { MAX_FIELD_CHARS, MAX_LINE_CHARS, fieldTooLong, formatChars } from './limits.js';
import { cleanCell, cp1252DecoderStream } from './text.js';
import type { RawRow } from './rows.js';

/** `encoding`: cp1252 for CMS's files (the default); utf-8 for text already checked by decodeText. */
export async function* readDelimited(bytes: Readable, file: string, encoding: 'cp1252' | 'utf-8' = 'cp1252'): AsyncGenerator<RawRow> {
  const decoded = bytes.pipe(encoding === 'utf-8' ? utf8DecoderStream() : cp1252DecoderStream(file));
  const parser = decoded.pipe(
    parse({
      relax_column_count: true,
      skip_empty_lines: false,
      // csv-parse counts a record's characters as it buffers them: an endless line stops here.
      max_record_size: MAX_LINE_CHARS,
    }),
  );
  // A read error upstream (a corrupt zip member) must reach the consumer, not vanish.
  bytes.once('error', (error) => parser.destroy(error));
  decoded.once('error', (error) => parser.destroy(error));
  // Line numbers are counted here rather than with csv-parse's `info` (a third of the parse
  // time): every record is one line, plus the line breaks quoted inside its fields.
  let nextLine = 1;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      const line = nextLine;
      nextLine += 1;
      for (const [index, cell] of record.entries()) {
        if (cell.includes('\n')) nextLine += cell.split('\n').length - 1;
        if (cell.length > MAX_FIELD_CHARS) throw fieldTooLong(file, line, index, cell.length);
      }
      yield { line, cells: record.map(cleanCell), width: record.length };
    }
  } catch (error) {
    if (error instanceof CsvError) {
      const line = (error as CsvError & { lines?: number }).lines;
      if (error.code === 'CSV_MAX_RECORD_SIZE') {
        throw new InputError(`a line longer than ${formatChars(MAX_LINE_CHARS)}`, {
          file,
          ...(line !== undefined ? { line } : {}),
          expected: `lines of at most ${formatChars(MAX_LINE_CHARS)} (CMS's are a few hundred); an unclosed quote also reads on to the end of the file`,
        });
      }
      throw new InputError(`not valid delimited text (${error.code}: ${error.message})`, {
        file,
        ...(line !== undefined ? { line } : {}),
      });
    }
    throw error;
  } finally {
    // Stop inflating or reading the rest of a member nobody will read (the error case).
    bytes.destroy();
  }
}
