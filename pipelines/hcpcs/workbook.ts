/**
 * The ANWEB workbook (xlsx, and the older xls): one row per record, 48 columns named like the
 * txt fields. Columns are found by header name; the header is on row 1 (2025) or below a block
 * of notes (2020's xls: row 11). Rows come out as the same records the txt gives.
 */
import type { MemberFile, OutputRow, ParseContext } from '../../src/pipeline.js';
import { normalizeHeader, readTabular, type ColumnSpec, type TableContract } from '../../src/parse/tabular.js';
import { ANWEB_FIELDS, type AnwebField } from './fields.js';
import type { AnwebRecord } from './record.js';

/** `LONG_DESCRIPTION` → /^LONG[ _]DESCRIPTION$/: CMS writes some headers with spaces, some with underscores. */
function headerPattern(field: AnwebField): RegExp {
  if (field === 'HCPC') return /^HCPCS?$/;
  return new RegExp(`^${field.split('_').join('[ _]')}$`);
}

/** Headers the workbooks write with underscores; the others have spaces (`LONG DESCRIPTION`, `ADD DT`). */
const UNDERSCORED: ReadonlySet<AnwebField> = new Set(['MULT_PI', 'ASC_GRP', 'ASC_DT', 'OPPS_PI', 'OPPS_DT', 'ANEST_BU']);

/** The header as the 2020 and 2025 workbooks write it: what errors name as the column. */
function label(field: AnwebField): string {
  return UNDERSCORED.has(field) ? field : field.replace(/_/g, ' ');
}

const COLUMNS: readonly ColumnSpec[] = ANWEB_FIELDS.map((field) => ({
  field,
  label: label(field),
  header: headerPattern(field),
}));

export const ANWEB_WORKBOOK: TableContract = {
  // A cell that is exactly HCPC(S) and one that is LONG DESCRIPTION: note rows never are.
  isHeaderRow: (cells) => {
    const headers = cells.map(normalizeHeader);
    return headers.some((text) => headerPattern('HCPC').test(text)) && headers.some((text) => headerPattern('LONG_DESCRIPTION').test(text));
  },
  headerHint: 'HCPC, SEQNUM, RECID, LONG DESCRIPTION',
  searchRows: 40,
  columns: COLUMNS,
  eras: [{ name: 'ANWEB 48 columns (2020-2025)', fields: ANWEB_FIELDS }],
  // The record as read; validation happens on records, the same for every format.
  normalize: (row) => Object.fromEntries(ANWEB_FIELDS.map((field) => [field, row.raw(field)])) as OutputRow,
};

export async function* readAnwebWorkbook(file: MemberFile, ctx: ParseContext): AsyncGenerator<AnwebRecord> {
  for await (const row of readTabular(ANWEB_WORKBOOK, file, ctx)) {
    yield { line: row.line, fields: row.values as Record<AnwebField, string>, column: label };
  }
}
