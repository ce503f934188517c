/**
 * Entries → snapshot rows. Values are checked against the code tables and shapes; empty fields
 * are NULL, and a group of numbered fields (PRICE1-4, TOS1-5, ...) becomes one text array of
 * its non-blank values in field order, NULL when all are blank.
 */
import { compactDateToIso, normalizeDecimal } from '../../src/parse/values.js';
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

export function normalizeCode(entry: AnwebEntry): OutputRow {
  const r = entry.first;
  const row: CodeRow = {
    hcpcs: shaped(r, 'HCPC', SHAPES.hcpcs),
    long_description: longDescription(entry),
    short_description: required(r, 'SHORT_DESCRIPTION', 'a short description'),
    pricing_ind: list(r, PRICE_FIELDS, (field) => oneOf(r, field, PRICING_INDICATORS)),
    mult_pricing_ind: optionalOneOf(r, 'MULT_PI', MULT_PRICING_INDICATORS),
    cim: list(r, CIM_FIELDS, (field) => r.raw(field)),
    mcm: list(r, MCM_FIELDS, (field) => r.raw(field)),
    statute: r.text('STATUTE'),
    lab_cert: list(r, LABCERT_FIELDS, (field) => shaped(r, field, SHAPES.labCert)),
    xref: list(r, XREF_FIELDS, (field) => shaped(r, field, SHAPES.xref)),
    coverage: optionalOneOf(r, 'COV', COVERAGE_CODES),
    asc_group: optionalOneOf(r, 'ASC_GRP', ASC_GROUPS),
    asc_date: date(r, 'ASC_DT'),
    opps: r.text('OPPS'),
    opps_pi: r.text('OPPS_PI'),
    opps_date: date(r, 'OPPS_DT'),
    proc_note: optionalShaped(r, 'PROCNOTE', SHAPES.procNote),
    betos: optionalShaped(r, 'BETOS', SHAPES.betos),
    tos: list(r, TOS_FIELDS, (field) => shaped(r, field, SHAPES.tos)),
    anes_base_units: anesBaseUnits(r),
    add_date: date(r, 'ADD_DT'),
    action_effective_date: date(r, 'ACT_EFF_DT'),
    termination_date: date(r, 'TERM_DT'),
    action_code: oneOf(r, 'ACTION_CD', ACTION_CODES),
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
    short_description: required(r, 'SHORT_DESCRIPTION', 'a short description'),
    cim: list(r, CIM_FIELDS, (field) => r.raw(field)),
    mcm: list(r, MCM_FIELDS, (field) => r.raw(field)),
    statute: r.text('STATUTE'),
    xref: list(r, XREF_FIELDS, (field) => shaped(r, field, SHAPES.xref)),
    coverage: optionalOneOf(r, 'COV', COVERAGE_CODES),
    proc_note: optionalShaped(r, 'PROCNOTE', SHAPES.procNote),
    add_date: date(r, 'ADD_DT'),
    action_effective_date: date(r, 'ACT_EFF_DT'),
    termination_date: date(r, 'TERM_DT'),
    action_code: oneOf(r, 'ACTION_CD', ACTION_CODES),
  };
  return row;
}

/** The joined description; blank only when every segment is. */
function longDescription(entry: AnwebEntry): string {
  return entry.longDescription === '' ? entry.first.fail('LONG_DESCRIPTION', 'missing value', 'a description') : entry.longDescription;
}

function required(r: RecordReader, field: AnwebField, expected: string): string {
  return r.text(field) ?? r.fail(field, 'missing value', expected);
}

function shaped(r: RecordReader, field: AnwebField, shape: Shape): string {
  const value = r.raw(field);
  if (!shape.pattern.test(value)) r.fail(field, value === '' ? 'missing value' : 'unexpected value', shape.expected);
  return value;
}

function optionalShaped(r: RecordReader, field: AnwebField, shape: Shape): string | null {
  return r.raw(field) === '' ? null : shaped(r, field, shape);
}

function allowed(codes: ReadonlySet<string> | ReadonlyMap<string, string>): string {
  return `one of ${[...codes.keys()].join(', ')}`;
}

function oneOf(r: RecordReader, field: AnwebField, codes: ReadonlySet<string> | ReadonlyMap<string, string>): string {
  const value = r.raw(field);
  if (!codes.has(value)) r.fail(field, value === '' ? 'missing value' : 'unknown code', allowed(codes));
  return value;
}

function optionalOneOf(
  r: RecordReader,
  field: AnwebField,
  codes: ReadonlySet<string> | ReadonlyMap<string, string>,
): string | null {
  return r.raw(field) === '' ? null : oneOf(r, field, codes);
}

/** Non-blank values of numbered fields, in order; null when all are blank. */
function list(r: RecordReader, fields: readonly AnwebField[], read: (field: AnwebField) => string): string[] | null {
  const values = fields.filter((field) => r.raw(field) !== '').map(read);
  return values.length > 0 ? values : null;
}

/** YYYYMMDD → ISO; blank is NULL. */
function date(r: RecordReader, field: AnwebField): string | null {
  const value = r.raw(field);
  if (value === '') return null;
  return compactDateToIso(value) ?? r.fail(field, 'not a date', 'a date as YYYYMMDD');
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
