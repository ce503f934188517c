/**
 * Delimited text (CMS's csv) → rows of cells, streamed: memory stays flat however large the
 * file. Line numbers are physical lines of the file, as an editor shows them.
 */
import type { Readable } from 'node:stream';
import { parse, CsvError } from 'csv-parse';
import { InputError } from '../errors.js';
import { cleanCell, cp1252DecoderStream } from './text.js';
import type { RawRow } from './rows.js';

export async function* readDelimited(bytes: Readable, file: string): AsyncGenerator<RawRow> {
  const parser = bytes.pipe(cp1252DecoderStream()).pipe(
    parse({
      relax_column_count: true,
      skip_empty_lines: false,
      info: true,
    }),
  );
  // A read error upstream (a corrupt zip member) must reach the consumer, not vanish.
  bytes.once('error', (error) => parser.destroy(error));
  try {
    for await (const record of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      yield { line: record.info.lines, cells: record.record.map(cleanCell) };
    }
  } catch (error) {
    if (error instanceof CsvError) {
      const line = (error as CsvError & { lines?: number }).lines;
      throw new InputError(`not valid delimited text (${error.code}: ${error.message})`, {
        file,
        ...(line !== undefined ? { line } : {}),
      });
    }
    throw error;
  }
}
