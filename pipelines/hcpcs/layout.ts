/**
 * The ANWEB fixed-width record: 320 characters, positions from the 2020 file (cms-formats.md §3).
 * Continuation records carry only positions 1-91 and may stop there.
 */
import { checkLayout, type FixedField } from '../../src/parse/fixed-width.js';
import { CIM_FIELDS, LABCERT_FIELDS, MCM_FIELDS, PRICE_FIELDS, TOS_FIELDS, XREF_FIELDS, type AnwebField } from './fields.js';

export const RECORD_LENGTH = 320;
/** where a continuation record's data ends (the long description's last position) */
export const CONTINUATION_LENGTH = 91;

/** Positions no field uses; they must be blank (a value there means the layout moved). */
export type FillerField = 'FILLER_260' | 'FILLER_294';

/** `count` fields of `width` characters from `start`. */
function repeated<N extends string>(names: readonly N[], start: number, width: number): FixedField<N>[] {
  return names.map((name, index) => ({ name, start: start + index * width, end: start + (index + 1) * width - 1 }));
}

export const ANWEB_LAYOUT: readonly FixedField<AnwebField | FillerField>[] = [
  { name: 'HCPC', start: 1, end: 5 },
  { name: 'SEQNUM', start: 6, end: 10 },
  { name: 'RECID', start: 11, end: 11 },
  { name: 'LONG_DESCRIPTION', start: 12, end: 91 },
  { name: 'SHORT_DESCRIPTION', start: 92, end: 119 },
  ...repeated(PRICE_FIELDS, 120, 2),
  { name: 'MULT_PI', start: 128, end: 128 },
  ...repeated(CIM_FIELDS, 129, 6),
  ...repeated(MCM_FIELDS, 147, 8),
  { name: 'STATUTE', start: 171, end: 180 },
  ...repeated(LABCERT_FIELDS, 181, 3),
  ...repeated(XREF_FIELDS, 205, 5),
  { name: 'COV', start: 230, end: 230 },
  { name: 'ASC_GRP', start: 231, end: 232 },
  { name: 'ASC_DT', start: 233, end: 240 },
  { name: 'OPPS', start: 241, end: 243 },
  { name: 'OPPS_PI', start: 244, end: 244 },
  { name: 'OPPS_DT', start: 245, end: 252 },
  { name: 'PROCNOTE', start: 253, end: 256 },
  { name: 'BETOS', start: 257, end: 259 },
  { name: 'FILLER_260', start: 260, end: 260 },
  ...repeated(TOS_FIELDS, 261, 1),
  { name: 'ANEST_BU', start: 266, end: 268 },
  { name: 'ADD_DT', start: 269, end: 276 },
  { name: 'ACT_EFF_DT', start: 277, end: 284 },
  { name: 'TERM_DT', start: 285, end: 292 },
  { name: 'ACTION_CD', start: 293, end: 293 },
  { name: 'FILLER_294', start: 294, end: 320 },
];
checkLayout(ANWEB_LAYOUT, RECORD_LENGTH);

export const FILLER_FIELDS: readonly FixedField<FillerField>[] = ANWEB_LAYOUT.filter(
  (field): field is FixedField<FillerField> => field.name.startsWith('FILLER'),
);

export const DATA_FIELDS: readonly FixedField<AnwebField>[] = ANWEB_LAYOUT.filter(
  (field): field is FixedField<AnwebField> => !field.name.startsWith('FILLER'),
);

const POSITIONS = new Map(ANWEB_LAYOUT.map((field) => [field.name, field]));

/** How an error names a txt field: its name and positions, `ACTION_CD (pos 293)`. */
export function txtColumn(name: AnwebField | FillerField): string {
  const field = POSITIONS.get(name);
  if (!field) return name;
  const where = field.start === field.end ? `${field.start}` : `${field.start}-${field.end}`;
  return `${name} (pos ${where})`;
}
