/**
 * The ANWEB fixed-width txt → records. The file opens with disclaimer prose, which is skipped
 * up to the first code record; after that every line must be a record (blank lines aside),
 * except prose or filler after the last record.
 */
import { InputError } from '../../src/errors.js';
import { fieldText, readTextLines, sliceFields, type TextLine } from '../../src/parse/fixed-width.js';
import type { MemberFile } from '../../src/pipeline.js';
import { RECID } from './codes.js';
import { CONTINUATION_LENGTH, DATA_FIELDS, FILLER_FIELDS, RECORD_LENGTH, txtColumn } from './layout.js';
import type { AnwebRecord } from './record.js';

const LONG_DESCRIPTION_FIELD = DATA_FIELDS.find((field) => field.name === 'LONG_DESCRIPTION')!;

/** A code record: code field, 5-digit SEQNUM, known RECID. */
const CODE_RECORD = /^.{5}\d{5}[3478]/;
/** Record-shaped, whatever its RECID: once the records have begun, an unknown RECID is an error. */
const RECORD_SHAPED = /^.{5}\d{5}/;

export async function* readAnwebText(file: MemberFile): AsyncGenerator<AnwebRecord> {
  let started = false;
  let stray: TextLine | undefined;
  for await (const line of readTextLines(await file.open(), file.path)) {
    if (!started) {
      if (!CODE_RECORD.test(line.text)) continue;
      started = true;
    } else if (!RECORD_SHAPED.test(line.text)) {
      if (line.text.trim() !== '') stray ??= line;
      continue;
    }
    // Text after the last record is filler; text between records would be lost data.
    if (stray) {
      throw new InputError('a line that is not a code record, between code records', {
        file: file.path,
        line: stray.line,
        value: stray.text.length > 60 ? `${stray.text.slice(0, 60)}…` : stray.text,
        expected: `a record: code, 5-digit sequence number and record id, as on line ${line.line}`,
      });
    }
    yield toRecord(line, file.path);
  }
  if (!started) {
    throw new InputError('no code records found', {
      file: file.path,
      expected: `${RECORD_LENGTH}-character records: code (5), sequence number (5 digits), record id 3, 4, 7 or 8`,
    });
  }
}

function toRecord({ line, text }: TextLine, file: string): AnwebRecord {
  const recid = text.charAt(10);
  const first = recid === RECID.codeFirst || recid === RECID.modifierFirst;
  const continuation = recid === RECID.codeContinuation || recid === RECID.modifierContinuation;
  if ((first && text.length !== RECORD_LENGTH) || (continuation && text.length > RECORD_LENGTH)) {
    throw new InputError('a record of the wrong length', {
      file,
      line,
      value: `${text.length} characters`,
      expected: first
        ? `${RECORD_LENGTH} characters for a first record (record id ${recid})`
        : `${CONTINUATION_LENGTH} to ${RECORD_LENGTH} characters for a continuation record`,
    });
  }
  for (const filler of FILLER_FIELDS) {
    const value = fieldText(text, filler);
    if (value.trim() !== '') {
      throw new InputError('a value outside every field of the record layout', {
        file,
        line,
        column: txtColumn(filler.name),
        value,
        expected: 'blank (the layout may have moved)',
      });
    }
  }
  const fields = sliceFields(text, DATA_FIELDS);
  // The description keeps its leading spaces: only the field's right-hand padding is not CMS's text.
  fields.LONG_DESCRIPTION = fieldText(text, LONG_DESCRIPTION_FIELD).trimEnd();
  return { line, fields, column: txtColumn };
}
