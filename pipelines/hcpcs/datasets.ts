/**
 * The two HCPCS datasets: codes (RECID 3/4) and modifiers (RECID 7/8), both read from the one
 * ANWEB member, in whichever format it came.
 */
import type { Dataset, MemberFile, ParseContext, SourceRow } from '../../src/pipeline.js';
import { groupRecords, type AnwebEntry, type EntryKind } from './group.js';
import { hcpcsCodeDiff, hcpcsModifierDiff } from './diff.js';
import { ANWEB_MEMBERS } from './members.js';
import { CODE_COLUMNS, MODIFIER_COLUMNS, normalizeCode, normalizeModifier } from './normalize.js';
import { RecordReader, type AnwebRecord } from './record.js';
import { HCPCS_ERRATA } from './errata.js';
import { applyErrata } from '../../src/parse/errata.js';
import { readAnwebText } from './txt.js';
import { readAnwebWorkbook } from './workbook.js';

function readRecords(file: MemberFile, ctx: ParseContext): AsyncIterable<AnwebRecord> {
  return file.format === 'txt' ? readAnwebText(file) : readAnwebWorkbook(file, ctx);
}

/** Every entry of an ANWEB member, codes and modifiers, with continuations joined. */
export function readAnwebEntries(file: MemberFile, ctx: ParseContext): AsyncIterable<AnwebEntry> {
  return groupRecords(readRecords(file, ctx), file.path);
}

function reader(kind: EntryKind, normalize: (entry: AnwebEntry) => SourceRow['values']): Dataset['read'] {
  return async function* read(file, ctx) {
    for await (const entry of readAnwebEntries(file, ctx)) {
      if (entry.kind === kind) yield { line: entry.first.line, values: normalize(corrected(entry, ctx)) };
    }
  };
}

/** The entry with the declared errata of its release applied to its first record (errata.ts). */
function corrected(entry: AnwebEntry, ctx: ParseContext): AnwebEntry {
  const record = entry.first.record;
  const fields = applyErrata(HCPCS_ERRATA, ctx, { key: record.fields.HCPC, line: record.line, fields: record.fields, column: record.column });
  return fields === record.fields ? entry : { ...entry, first: new RecordReader(entry.first.file, { ...record, fields }) };
}

export const hcpcsCodeDataset: Dataset = {
  name: 'hcpcs_code',
  table: 'hcpcs_code',
  columns: CODE_COLUMNS,
  key: ['hcpcs'],
  diff: hcpcsCodeDiff,
  members: ANWEB_MEMBERS,
  // The workbooks carry every txt field: nothing to leave out of the comparison. The txt wraps
  // long descriptions over continuation records, the workbooks hold them in one cell.
  crossCheck: { formats: ['xlsx', 'xls'], whitespaceInsensitive: ['long_description'] },
  read: reader('code', normalizeCode),
};

export const hcpcsModifierDataset: Dataset = {
  name: 'hcpcs_modifier',
  table: 'hcpcs_modifier',
  columns: MODIFIER_COLUMNS,
  key: ['modifier'],
  diff: hcpcsModifierDiff,
  members: ANWEB_MEMBERS,
  crossCheck: { formats: ['xlsx', 'xls'], whitespaceInsensitive: ['long_description'] },
  read: reader('modifier', normalizeModifier),
};
