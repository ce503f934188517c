/**
 * Entries → snapshot rows. Values are checked against the code tables and shapes; empty fields
 * are NULL, and a group of numbered fields (PRICE1-4, TOS1-5, ...) becomes one text array of
 * its non-blank values in field order, NULL when all are blank.
 */
import type { CodeTable } from '../../src/parse/fields.js';
import { normalizeDecimal } from '../../src/parse/values.js';
import type { OutputRow } from '../../src/pipeline.js';
import {
  ACTION_CODES,
  ASC_GROUPS,
  COVERAGE_CODES,
  MULT_PRICING_INDICATORS,
  PRICING_INDICATORS,
  SHAPES,
  type Shape,
} from './codes.js';
import {
  CIM_FIELDS,
  LABCERT_FIELDS,
  MCM_FIELDS,
  PRICE_FIELDS,
  TOS_FIELDS,
  XREF_FIELDS,
  type AnwebField,
} from './fields.js';
import type { AnwebEntry } from './group.js';
import type { RecordReader } from './record.js';

export const CODE_COLUMNS = [
  'hcpcs',
  'long_description',
  'short_description',
  'pricing_ind',
  'mult_pricing_ind',
  'cim',
  'mcm',
  'statute',
  'lab_cert',
  'xref',
  'coverage',
  'asc_group',
  'asc_date',
  'opps',
  'opps_pi',
  'opps_date',
  'proc_note',
  'betos',
  'tos',
  'anes_base_units',
  'add_date',
  'action_effective_date',
  'termination_date',
  'action_code',
] as const;

export const MODIFIER_COLUMNS = [
  'modifier',
  'long_description',
  'short_description',
  'cim',
  'mcm',
  'statute',
  'xref',
  'coverage',
  'proc_note',
  'add_date',
  'action_effective_date',
  'termination_date',
  'action_code',
] as const;

/** Fields that modifier records leave blank in every file seen; a value there has no column to go to. */
const NOT_FOR_MODIFIERS: readonly AnwebField[] = [
  ...PRICE_FIELDS,
  'MULT_PI',
  ...LABCERT_FIELDS,
  'ASC_GRP',
  'ASC_DT',
  'OPPS',
  'OPPS_PI',
  'OPPS_DT',
  'BETOS',
  ...TOS_FIELDS,
  'ANEST_BU',
];

type CodeRow = Record<(typeof CODE_COLUMNS)[number], OutputRow[string]>;
type ModifierRow = Record<(typeof MODIFIER_COLUMNS)[number], OutputRow[string]>;

const DATE = 'a date as YYYYMMDD';

export function normalizeCode(entry: AnwebEntry): OutputRow {
  const r = entry.first;
  const row: CodeRow = {
    hcpcs: shaped(r, 'HCPC', SHAPES.hcpcs),
    long_description: longDescription(entry),
    short_description: r.required('SHORT_DESCRIPTION', 'a short description'),
    pricing_ind: listOneOf(r, PRICE_FIELDS, PRICING_INDICATORS),
    mult_pricing_ind: r.oneOf('MULT_PI', MULT_PRICING_INDICATORS, true),
    cim: listRaw(r, CIM_FIELDS),
    mcm: listRaw(r, MCM_FIELDS),
    statute: r.text('STATUTE'),
    lab_cert: listShaped(r, LABCERT_FIELDS, SHAPES.labCert),
    xref: listShaped(r, XREF_FIELDS, SHAPES.xref),
    coverage: r.oneOf('COV', COVERAGE_CODES, true),
    asc_group: r.oneOf('ASC_GRP', ASC_GROUPS, true),
    asc_date: r.compactDate('ASC_DT', DATE, true),
    opps: r.text('OPPS'),
    opps_pi: r.text('OPPS_PI'),
    opps_date: r.compactDate('OPPS_DT', DATE, true),
    proc_note: shaped(r, 'PROCNOTE', SHAPES.procNote, true),
    betos: shaped(r, 'BETOS', SHAPES.betos, true),
    tos: listShaped(r, TOS_FIELDS, SHAPES.tos),
    anes_base_units: anesBaseUnits(r),
    add_date: r.compactDate('ADD_DT', DATE, true),
    action_effective_date: r.compactDate('ACT_EFF_DT', DATE, true),
    termination_date: r.compactDate('TERM_DT', DATE, true),
    action_code: r.oneOf('ACTION_CD', ACTION_CODES),
  };
  return row;
}

export function normalizeModifier(entry: AnwebEntry): OutputRow {
  const r = entry.first;
  for (const field of NOT_FOR_MODIFIERS) {
    if (r.raw(field) !== '') r.fail(field, 'a value in a modifier record', 'blank: modifiers carry no pricing, lab, ASC, OPPS, BETOS, TOS or anesthesia data');
  }
  const row: ModifierRow = {
    modifier: upperCaseModifier(r),
    long_description: longDescription(entry),
    short_description: r.required('SHORT_DESCRIPTION', 'a short description'),
    cim: listRaw(r, CIM_FIELDS),
    mcm: listRaw(r, MCM_FIELDS),
    statute: r.text('STATUTE'),
    xref: listShaped(r, XREF_FIELDS, SHAPES.xref),
    coverage: r.oneOf('COV', COVERAGE_CODES, true),
    proc_note: shaped(r, 'PROCNOTE', SHAPES.procNote, true),
    add_date: r.compactDate('ADD_DT', DATE, true),
    action_effective_date: r.compactDate('ACT_EFF_DT', DATE, true),
    termination_date: r.compactDate('TERM_DT', DATE, true),
    action_code: r.oneOf('ACTION_CD', ACTION_CODES),
  };
  return row;
}

/** The joined description; blank only when every segment is. */
function longDescription(entry: AnwebEntry): string {
  return entry.longDescription === '' ? entry.first.fail('LONG_DESCRIPTION', 'missing value', 'a description') : entry.longDescription;
}

function shaped(r: RecordReader, field: AnwebField, shape: Shape, optional: true): string | null;
function shaped(r: RecordReader, field: AnwebField, shape: Shape): string;
function shaped(r: RecordReader, field: AnwebField, shape: Shape, optional = false): string | null {
  return optional ? r.match(field, shape.pattern, shape.expected, true) : r.match(field, shape.pattern, shape.expected);
}

// Numbered fields (PRICE1-4, TOS1-5, ...): the non-blank values in field order, null when all are blank.

function listRaw(r: RecordReader, fields: readonly AnwebField[]): string[] | null {
  let values: string[] | null = null;
  for (const field of fields) {
    const value = r.raw(field);
    if (value !== '') (values ??= []).push(value);
  }
  return values;
}

function listShaped(r: RecordReader, fields: readonly AnwebField[], shape: Shape): string[] | null {
  let values: string[] | null = null;
  for (const field of fields) if (r.raw(field) !== '') (values ??= []).push(shaped(r, field, shape));
  return values;
}

function listOneOf(r: RecordReader, fields: readonly AnwebField[], codes: CodeTable): string[] | null {
  let values: string[] | null = null;
  for (const field of fields) if (r.raw(field) !== '') (values ??= []).push(r.oneOf(field, codes));
  return values;
}

/** `  0` → `0`: a whole number, kept as a decimal string for a numeric column. */
function anesBaseUnits(r: RecordReader): string | null {
  const value = r.raw('ANEST_BU');
  if (value === '') return null;
  shaped(r, 'ANEST_BU', SHAPES.anesBaseUnits);
  return normalizeDecimal(value);
}

/** The modifier record's code: upper case, as CMS writes it (a lower-case one is named as such). */
function upperCaseModifier(r: RecordReader): string {
  const value = r.raw('HCPC');
  if (/^[a-z0-9]{2}$/i.test(value) && value !== value.toUpperCase()) {
    r.fail('HCPC', `\`${value}\`: modifiers are upper case`, `\`${value.toUpperCase()}\``);
  }
  return shaped(r, 'HCPC', SHAPES.modifier);
}
