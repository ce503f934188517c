/**
 * Delimited text (CMS's csv) → rows of cells, streamed: memory stays flat however large the
 * file. Line numbers are physical lines of the file, as an editor shows them. A line or a field
 * beyond the bounds of limits.ts fails as soon as it is read; a caller that already holds the
 * whole text (an editorial csv) reads it without them (`bounds: 'none'`).
 *
 * Two readers, one behaviour. The fast one cuts the decoded text into chunks at record ends
 * (outside quotes: a quoted field may hold a line break) and, after a scan that every quote and
 * line break in it is regular CSV, splits each record without a quote at its commas and parses
 * the records with quotes with papaparse. Anything else
 * (a stray or unclosed quote, mixed line breaks, a record over the bound, a byte-order mark)
 * hands the file to the reference reader, csv-parse streamed, from the first record not yet
 * read: it decides what such a file holds and words its errors, as it always has.
 */
import type { Readable } from 'node:stream';
import type { CsvError } from 'csv-parse';
import Papa from 'papaparse';
import { InputError } from '../errors.js';
import { utf8DecoderStream } from './encoding.js';
import { MAX_FIELD_CHARS, MAX_LINE_CHARS, fieldTooLong, formatChars, nulInValue } from './limits.js';
import { cleanCell, cp1252DecoderStream } from './text.js';
import type { RawRow } from './rows.js';

export type DelimitedEncoding = 'cp1252' | 'utf-8';

/**
 * `cms`: the line and field bounds of limits.ts, which keep memory flat while a CMS file streams.
 * `none`: no bound, for text the caller has already read whole (memory is the text's own size):
 * there a bound protects nothing and only refuses long values. A NUL character is left to the
 * caller's validation too, which names the field (CMS files refuse it here: their values go to COPY).
 */
export type DelimitedBounds = 'cms' | 'none';

interface Bounds {
  readonly line: number;
  readonly field: number;
  /** refuse a NUL character here (CMS files); else the caller's validation names it by its field */
  readonly nul: boolean;
}

const BOUNDS: Record<DelimitedBounds, Bounds> = {
  cms: { line: MAX_LINE_CHARS, field: MAX_FIELD_CHARS, nul: true },
  none: { line: Infinity, field: Infinity, nul: false },
};

/**
 * The rows in batches (one per chunk), so that consumers loop over rows without an await each.
 * `open` gives the bytes from the start (called again if the reference reader takes over).
 * `encoding`: cp1252 for CMS's files (the default); utf-8 for text already checked by decodeText.
 * `bounds`: CMS's (the default), or none for text already held whole.
 */
export async function* readDelimited(
  open: () => Promise<Readable>,
  file: string,
  encoding: DelimitedEncoding = 'cp1252',
  bounds: DelimitedBounds = 'cms',
): AsyncGenerator<readonly RawRow[]> {
  const fast = new ChunkedReader(file, BOUNDS[bounds]);
  const bytes = await open();
  let handedOver = false;
  try {
    for await (const text of decode(bytes, file, encoding) as AsyncIterable<string>) {
      const rows = fast.push(text, false);
      if (rows === IRREGULAR) {
        handedOver = true;
        break;
      }
      if (rows.length > 0) yield rows;
      if (fast.failure) throw fast.failure;
    }
    if (!handedOver) {
      const rows = fast.push('', true);
      if (rows === IRREGULAR) handedOver = true;
      else if (rows.length > 0) yield rows;
      if (fast.failure) throw fast.failure;
    }
  } finally {
    // Stop inflating or reading the rest of a member nobody will read (the error case).
    bytes.destroy();
  }
  if (handedOver) yield* readReference(await open(), file, encoding, fast.records, BOUNDS[bounds]);
}

function decode(bytes: Readable, file: string, encoding: DelimitedEncoding): Readable {
  const decoded = bytes.pipe(encoding === 'utf-8' ? utf8DecoderStream() : cp1252DecoderStream(file));
  // A read error upstream (a corrupt zip member) must reach the consumer, not vanish.
  bytes.once('error', (error) => decoded.destroy(error));
  return decoded;
}

const IRREGULAR = Symbol('irregular');
const QUOTE = 0x22;
const COMMA = 0x2c;
const CR = 0x0d;
const LF = 0x0a;

/** The fast reader: decoded text in, the rows of every complete record out. */
class ChunkedReader {
  /** records read so far: where the reference reader would resume */
  records = 0;
  /** a value over the field bound: thrown once the rows before it are read */
  failure: InputError | undefined;
  private nextLine = 1;
  private pending = '';
  /** the file's record delimiter, from its first line break outside quotes */
  private newline: '\r\n' | '\n' | undefined;
  private started = false;
  /** Text left over after the last complete record, at most: beyond it the reference reader decides. */
  private readonly maxPending: number;

  constructor(
    private readonly file: string,
    private readonly bounds: Bounds,
  ) {
    this.maxPending = 2 * bounds.line;
  }

  push(chunk: string, final: boolean): RawRow[] | typeof IRREGULAR {
    const text = this.pending + chunk;
    if (!this.started && text.length > 0) {
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) return IRREGULAR;
    }
    // A NUL (which PostgreSQL text cannot hold): the reference reader finds its line and column.
    if (this.bounds.nul && chunk.includes('\u0000')) return IRREGULAR;
    const end = this.scan(text, final);
    if (end === IRREGULAR) return IRREGULAR;
    if (end < 0) {
      this.pending = text;
      return this.pending.length > this.maxPending ? IRREGULAR : [];
    }
    // The records, without the line break that ends the last one.
    const body = final && end === text.length ? stripFinalBreak(text) : text.slice(0, end - (this.newline === '\r\n' ? 1 : 0));
    this.pending = final ? '' : text.slice(end + 1);
    if (this.pending.length > this.maxPending) return IRREGULAR;
    if (final && text.length === 0) return [];
    return this.rows(body);
  }

  /**
   * The index of the line feed that ends the last complete record of `text` (text.length when
   * `final` and all of it is complete), -1 when no record is complete yet, or IRREGULAR.
   */
  private scan(text: string, final: boolean): number | typeof IRREGULAR {
    this.cr = -1;
    this.lf = -1;
    let lastEnd = -1;
    let region = 0;
    let quote = text.indexOf('"');
    while (quote !== -1) {
      // An opening quote: the unquoted text before it must be regular, the quote must start a field.
      const before = this.checkRegion(text, region, quote, final);
      if (before === IRREGULAR) return IRREGULAR;
      if (before >= 0) lastEnd = before;
      if (quote > 0) {
        const previous = text.charCodeAt(quote - 1);
        if (previous !== COMMA && previous !== LF) return IRREGULAR;
      }
      // Its closing quote: a doubled quote is an escaped one.
      let close = text.indexOf('"', quote + 1);
      while (close !== -1 && text.charCodeAt(close + 1) === QUOTE) close = text.indexOf('"', close + 2);
      if (close === -1 || (close === text.length - 1 && !final)) {
        // The record is not complete in this text (or, at the end of the file, never closed).
        return final ? IRREGULAR : lastEnd;
      }
      const after = text.charCodeAt(close + 1);
      if (close + 1 < text.length && after !== COMMA && after !== CR && after !== LF) return IRREGULAR;
      region = close + 1;
      quote = text.indexOf('"', region);
    }
    const rest = this.checkRegion(text, region, text.length, final);
    if (rest === IRREGULAR) return IRREGULAR;
    if (rest >= 0) lastEnd = rest;
    return final ? text.length : lastEnd;
  }

  /** Where the next CR and LF of the text being scanned are (cursors only move forward). */
  private cr = -1;
  private lf = -1;

  /** Line breaks in unquoted text [from, to): all the file's own; returns the last LF in it, or -1. */
  private checkRegion(text: string, from: number, to: number, final: boolean): number | typeof IRREGULAR {
    if (this.cr < from) this.cr = indexOrEnd(text, '\r', from);
    if (this.lf < from) this.lf = indexOrEnd(text, '\n', from);
    if (this.newline === undefined) {
      const first = Math.min(this.cr, this.lf);
      if (first >= to) return -1;
      if (first === this.lf) this.newline = '\n';
      else if (text.charCodeAt(first + 1) === LF) this.newline = '\r\n';
      else if (first + 1 < text.length || final) return IRREGULAR; // CR-only line breaks
      else return -1; // a CR at the very end of the text: decided by the next chunk
    }
    if (this.newline === '\n') {
      if (this.cr < to) return IRREGULAR;
    } else {
      // Every CR followed by its LF (a CR ending the text waits for the next chunk), every LF after its CR.
      for (; this.cr < to; this.cr = indexOrEnd(text, '\r', this.cr + 1)) {
        if (text.charCodeAt(this.cr + 1) !== LF && !(this.cr === text.length - 1 && !final)) return IRREGULAR;
      }
    }
    let last = -1;
    for (; this.lf < to; this.lf = indexOrEnd(text, '\n', this.lf + 1)) {
      if (this.newline === '\r\n' && (this.lf === from || text.charCodeAt(this.lf - 1) !== CR)) return IRREGULAR;
      last = this.lf;
    }
    return last;
  }

  private rows(body: string): RawRow[] | typeof IRREGULAR {
    const split = splitRecords(body, this.newline ?? '\r\n', this.bounds.field);
    if (split === IRREGULAR) return IRREGULAR;
    const { records, toCheck } = split;
    // cleanCell only where there is something to clean (a cp1252 file's EOF bytes are already gone).
    const clean = body.includes('_x001') || body.includes('\u001a');
    const rows: RawRow[] = [];
    let line = this.nextLine;
    let nextCheck = 0;
    for (let index = 0; index < records.length; index++) {
      const record = records[index]!;
      const first = line;
      // Only a record with quotes can hold a line break, and only one longer than a value may be
      // can hold a value (or be a record) over the bounds: the others skip the per-cell checks.
      if (toCheck[nextCheck] === index) {
        nextCheck++;
        let length = 0;
        for (const cell of record) {
          length += cell.length;
          if (cell.includes('\n')) line += cell.split('\n').length - 1;
        }
        // The reference reader's bound is on a record's characters: it words that error.
        if (length > this.bounds.line) return IRREGULAR;
        for (let column = 0; column < record.length; column++) {
          const length = record[column]!.length;
          if (length > this.bounds.field) {
            // The rows before it are still read, as the reference reader would have read them.
            this.failure = fieldTooLong(this.file, first, column, length);
            return rows;
          }
        }
      }
      line++;
      rows.push({ line: first, cells: clean ? record.map(cleanCell) : record, width: record.length });
    }
    this.records += rows.length;
    this.nextLine = line;
    return rows;
  }
}

/**
 * The records of a body that scan() found regular. A record without a quote is its fields
 * split at commas, which is all CSV makes of it; records with quotes (one line in twenty of
 * CMS's PPRRVU; every line of some files) go to papaparse, each run of them in one call. A
 * record ends at the first line break outside quotes: scan() checked that every quote opens or
 * closes a field or doubles an escaped one. `toCheck`: the records (in order) that may hold a
 * line break or a value over the bounds — those with quotes, and those longer than a value may be.
 */
function splitRecords(body: string, newline: '\r\n' | '\n', maxField: number): { records: string[][]; toCheck: number[] } | typeof IRREGULAR {
  const records: string[][] = [];
  const toCheck: number[] = [];
  let start = 0;
  // the first quote at or after `start`, kept so that the body is searched for quotes once
  let quote = body.indexOf('"');
  for (;;) {
    let end = indexOrEnd(body, newline, start);
    if (quote === -1 || quote >= end) {
      if (end - start > maxField) toCheck.push(records.length);
      records.push(body.slice(start, end).split(','));
    } else {
      let count = 0;
      for (;;) {
        [end, quote] = quotedRecordEnd(body, quote, newline);
        count++;
        if (end >= body.length || quote === -1) break;
        // The run goes on while the next record has a quote too.
        if (quote > indexOrEnd(body, newline, end + newline.length)) break;
      }
      const parsed = Papa.parse<string[]>(body.slice(start, end), { delimiter: ',', newline, quoteChar: '"', escapeChar: '"' });
      if (parsed.errors.length > 0 || parsed.data.length !== count) return IRREGULAR;
      for (const record of parsed.data) {
        toCheck.push(records.length);
        records.push(record);
      }
    }
    if (end >= body.length) return { records, toCheck };
    start = end + newline.length;
  }
}

/**
 * Where the record whose first quote is at `quote` ends, and the first quote after it (-1: none).
 * Every search moves forward (the line break is searched again only when a quoted value held it),
 * so a record of thousands of quoted values costs one pass, not one per value.
 */
function quotedRecordEnd(body: string, quote: number, newline: string): [end: number, nextQuote: number] {
  let at = quote + 1;
  let lineBreak = indexOrEnd(body, newline, at);
  for (;;) {
    // inside quotes: the closing one (a doubled quote closes and reopens)
    const close = body.indexOf('"', at);
    if (close === -1) return [body.length, -1];
    at = close + 1;
    if (lineBreak < at) lineBreak = indexOrEnd(body, newline, at);
    // outside: the line break that ends the record, unless another value opens first
    const next = body.indexOf('"', at);
    if (next === -1 || lineBreak < next) return [lineBreak, next];
    at = next + 1;
  }
}

function indexOrEnd(text: string, search: string, from: number): number {
  const index = text.indexOf(search, from);
  return index === -1 ? text.length : index;
}

function stripFinalBreak(text: string): string {
  if (text.endsWith('\r\n')) return text.slice(0, -2);
  if (text.endsWith('\n')) return text.slice(0, -1);
  return text;
}

/** The reference reader: csv-parse over the stream, from record `skip` on (a batch of one row each). */
async function* readReference(bytes: Readable, file: string, encoding: DelimitedEncoding, skip: number, bounds: Bounds): AsyncGenerator<readonly RawRow[]> {
  // csv-parse loads only for the files that need it: most are read by the fast reader alone.
  const { parse, CsvError } = await import('csv-parse');
  const decoded = decode(bytes, file, encoding);
  const parser = decoded.pipe(
    parse({
      relax_column_count: true,
      skip_empty_lines: false,
      // csv-parse counts a record's characters as it buffers them: an endless line stops here (0: no bound).
      max_record_size: Number.isFinite(bounds.line) ? bounds.line : 0,
    }),
  );
  decoded.once('error', (error) => parser.destroy(error));
  // Line numbers are counted here rather than with csv-parse's `info` (a third of the parse
  // time): every record is one line, plus the line breaks quoted inside its fields.
  let nextLine = 1;
  let records = 0;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      const line = nextLine;
      nextLine += 1;
      for (const [index, cell] of record.entries()) {
        if (cell.includes('\n')) nextLine += cell.split('\n').length - 1;
        if (records >= skip && cell.length > bounds.field) throw fieldTooLong(file, line, index, cell.length);
        if (records >= skip && bounds.nul && cell.includes('\u0000')) throw nulInValue(file, line, `#${index + 1}`, cell);
      }
      if (records++ < skip) continue;
      yield [{ line, cells: record.map(cleanCell), width: record.length }];
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
    bytes.destroy();
  }
}
