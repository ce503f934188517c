/**
 * Records → entries: a first record (RECID 3 or 7) and the continuation records after it
 * (4 or 8, same code, rising SEQNUM) make one code or modifier. The long description is CMS's
 * text as the file gives it: each segment right-stripped (the padding of an 80-character txt
 * field is CMS's wrapping, not its text) and the segments joined with one space; whitespace
 * inside a segment stays as CMS wrote it (the double spaces of G0503). A workbook cell is one
 * segment. Where two sources of the same text are compared (txt and workbook; one release and
 * the next), runs of whitespace count as one space (CrossCheck / DiffSpec.whitespaceInsensitive).
 */
import { InputError } from '../../src/errors.js';
import { RECID, RECIDS, SHAPES } from './codes.js';
import { ANWEB_FIELDS, CONTINUATION_FIELDS, type AnwebField } from './fields.js';
import { RecordReader, type AnwebRecord } from './record.js';

export type EntryKind = 'code' | 'modifier';

export interface AnwebEntry {
  readonly kind: EntryKind;
  /** the first record; its LONG_DESCRIPTION is only the first segment */
  readonly first: RecordReader;
  /** all segments, right-stripped and joined with one space */
  readonly longDescription: string;
  /** lines of the continuation records, in order */
  readonly continuationLines: readonly number[];
}

const CONTINUATION_OF: Readonly<Record<string, string>> = {
  [RECID.codeFirst]: RECID.codeContinuation,
  [RECID.modifierFirst]: RECID.modifierContinuation,
};

const OTHER_FIELDS: readonly AnwebField[] = ANWEB_FIELDS.filter((field) => !CONTINUATION_FIELDS.includes(field));

export function joinDescription(segments: readonly string[]): string {
  return segments
    .map((segment) => segment.trimEnd())
    .filter((segment) => segment !== '')
    .join(' ');
}

export async function* groupRecords(records: AsyncIterable<AnwebRecord>, file: string): AsyncGenerator<AnwebEntry> {
  let open: { first: RecordReader; kind: EntryKind; segments: string[]; lines: number[]; seq: number } | undefined;

  const close = (): AnwebEntry | undefined => {
    if (!open) return undefined;
    const entry: AnwebEntry = {
      kind: open.kind,
      first: open.first,
      longDescription: joinDescription(open.segments),
      continuationLines: open.lines,
    };
    open = undefined;
    return entry;
  };

  for await (const record of records) {
    const reader = new RecordReader(file, record);
    const recid = reader.raw('RECID');
    if (!RECIDS.has(recid)) {
      reader.fail('RECID', 'unknown record id', `one of ${[...RECIDS].join(', ')}`);
    }
    const seq = reader.raw('SEQNUM');
    if (!SHAPES.seqnum.pattern.test(seq)) reader.fail('SEQNUM', 'not a sequence number', SHAPES.seqnum.expected);

    if (recid === RECID.codeFirst || recid === RECID.modifierFirst) {
      const done = close();
      if (done) yield done;
      open = {
        first: reader,
        kind: recid === RECID.codeFirst ? 'code' : 'modifier',
        segments: [reader.raw('LONG_DESCRIPTION')],
        lines: [],
        seq: Number(seq),
      };
      continue;
    }

    // A continuation: it extends the open entry of the same code and kind, in SEQNUM order.
    if (!open || CONTINUATION_OF[open.first.raw('RECID')] !== recid || open.first.raw('HCPC') !== reader.raw('HCPC')) {
      const expected = open
        ? `a continuation of ${open.first.raw('HCPC')} (line ${open.first.line}) with record id ${CONTINUATION_OF[open.first.raw('RECID')]}, or a first record (3 or 7)`
        : 'a first record (3 or 7) before its continuations';
      throw new InputError('a continuation record without its first record', {
        file,
        line: record.line,
        column: record.column('HCPC'),
        value: `${reader.raw('HCPC')} ${seq} ${recid}`,
        expected,
      });
    }
    if (Number(seq) <= open.seq) {
      reader.fail('SEQNUM', 'sequence number out of order', `a number above ${String(open.seq).padStart(seq.length, '0')}, the previous record of ${open.first.raw('HCPC')}`);
    }
    for (const field of OTHER_FIELDS) {
      if (reader.raw(field) !== '') reader.fail(field, 'a value in a continuation record', 'blank: continuations carry only the long description');
    }
    open.seq = Number(seq);
    open.segments.push(reader.raw('LONG_DESCRIPTION'));
    open.lines.push(record.line);
  }
  const last = close();
  if (last) yield last;
}
