/**
 * Raw records → editorial entries, refusing what does not fit: unknown fields, a missing or
 * misshapen code, an unknown category, per-code fields on a category entry, a list where text is
 * expected (or the reverse), a list item twice, a NUL character (PostgreSQL text cannot hold
 * one), half of a surrogate pair (no character: UTF-8 cannot hold it). Text is kept as written
 * except for surrounding whitespace, which is trimmed in every format alike (so a round trip
 * through a workbook is exact; a workbook reads CRLF inside a cell as LF, which the import
 * compares as the same line break: import.ts).
 */
import { InputError } from '../errors.js';
import { nulInValue } from '../parse/limits.js';
import {
  CATEGORY_FIELDS, KNOWN_FIELDS, LIST_FIELDS, LIST_SEPARATOR, TEXT_FIELDS, emptyContent, specialtyKey,
  type EntryContent, type InputEntry, type ListField, type TextField,
} from './fields.js';
import type { RawField, RawRecord } from './read/record.js';
import type { CatalogRules } from './rules.js';

export function toEntry(record: RawRecord, rules: CatalogRules): InputEntry {
  const byField = new Map<string, RawField>();
  for (const field of record.fields) {
    if (!KNOWN_FIELDS.has(field.field)) {
      throw new InputError(`unknown field "${field.column}"`, {
        file: record.file,
        line: field.line,
        column: field.column,
        expected: `the fields ${[...KNOWN_FIELDS].join(', ')}`,
      });
    }
    const before = byField.get(field.field);
    if (before) {
      // `title` and `Title` (or `plain language` and `plain_language`) in one json/yaml object: one
      // of the two values would be dropped.
      throw new InputError(`the field ${field.field} twice in one entry (keys "${before.column}" and "${field.column}")`, {
        file: record.file,
        line: field.line,
        column: field.column,
        expected: 'each field once per entry (which of the two values is meant?)',
      });
    }
    byField.set(field.field, field);
    refuseNul(record.file, field);
  }
  const fail = (field: RawField | undefined, problem: string, expected: string, value?: string): never => {
    throw new InputError(problem, {
      file: record.file,
      line: field?.line ?? record.line,
      column: field?.column ?? 'code',
      ...(value !== undefined ? { value } : {}),
      expected,
    });
  };

  const code = textOf(byField.get('code'), fail);
  const category = textOf(byField.get('category'), fail);
  if (code !== null && category !== null) {
    fail(byField.get('category'), 'an entry with both a code and a category', 'one of code (an entry for one code) or category (billing notes for a whole category)');
  }
  if (code === null && category === null) fail(byField.get('code'), 'missing code', 'a code (or a category, for billing notes shared by a category)');
  if (code !== null && !rules.codeShape.test(code)) fail(byField.get('code'), `not a code${invisibleIn(code)}`, rules.codeShapeExpected, code);
  if (category !== null && !rules.categoryIds.includes(category)) {
    fail(byField.get('category'), `unknown category${invisibleIn(category)}`, `one of ${rules.categoryIds.join(', ')}`, category);
  }

  const content: EntryContent = emptyContent();
  for (const name of TEXT_FIELDS) content[name as TextField] = textOf(byField.get(name), fail);
  for (const name of LIST_FIELDS) content[name as ListField] = listOf(byField.get(name), name, fail);

  if (category !== null) {
    for (const name of [...TEXT_FIELDS, ...LIST_FIELDS]) {
      const value = content[name];
      const empty = value === null || (Array.isArray(value) && value.length === 0);
      if (!empty && !CATEGORY_FIELDS.has(name)) {
        fail(byField.get(name), `${name} on a category entry`, `only ${[...CATEGORY_FIELDS].join(' and ')} on a category entry; ${name} belongs to a code`);
      }
    }
  }

  const columns = new Map([...byField].map(([name, field]) => [name, { column: field.column, line: field.line }]));
  return code !== null
    ? { type: 'code', key: code, content, file: record.file, line: record.line, columns }
    : { type: 'category', key: category!, content, file: record.file, line: record.line, columns };
}

/**
 * `: it holds U+200B (an invisible character) at character 6`, for a value whose fault cannot be
 * seen in a message: a zero-width space or a no-break space pasted with a code from a web page.
 */
function invisibleIn(value: string): string {
  const at = value.search(/[\p{Cf}\p{Zs}\p{Cc}]/u);
  if (at === -1 || value[at] === ' ') return '';
  const point = value.codePointAt(at)!.toString(16).toUpperCase().padStart(4, '0');
  return `: it holds U+${point} (an invisible character) at character ${at + 1}`;
}

type Fail = (field: RawField | undefined, problem: string, expected: string, value?: string) => never;

function textOf(field: RawField | undefined, fail: Fail): string | null {
  if (!field || field.value === null) return null;
  if (typeof field.value !== 'string') return fail(field, 'a list where text is expected', 'text');
  const text = field.value.trim();
  return text === '' ? null : text;
}

function listOf(field: RawField | undefined, name: string, fail: Fail): string[] {
  if (!field || field.value === null) return [];
  let items: readonly string[];
  if (typeof field.value === 'string') {
    if (field.structured && field.value.trim() !== '') return fail(field, 'text where a list is expected', `a list of ${name}`, field.value);
    items = field.value.split(LIST_SEPARATOR);
  } else {
    for (const item of field.value) {
      if (item.includes(LIST_SEPARATOR)) fail(field, `a list item with "${LIST_SEPARATOR}" in it`, `items without "${LIST_SEPARATOR}" (it separates items in csv and xlsx)`, item);
    }
    items = field.value;
  }
  const list = items.map((item) => item.trim()).filter((item) => item !== '');
  const seen = new Map<string, string>();
  for (const item of list) {
    const key = name === 'specialties' ? specialtyKey(item) : item.toLowerCase();
    const before = seen.get(key);
    if (before !== undefined) fail(field, `"${item}" twice in one list`, before === item ? 'each item once' : `each item once ("${before}" is the same)`, item);
    seen.set(key, item);
  }
  return list;
}

/** A NUL character (PostgreSQL text and jsonb cannot hold one) in any value of the field: refused with its place. */
function refuseNul(file: string, field: RawField): void {
  const values = field.value === null ? [] : typeof field.value === 'string' ? [field.value] : field.value;
  const withNul = values.find((value) => value.includes('\u0000'));
  if (withNul !== undefined) throw nulInValue(file, field.line, field.column, withNul);
  // Half of a UTF-16 surrogate pair (`\ud83d` without its `\ude00`, in json or yaml escapes) is no
  // character: UTF-8 cannot hold it (text columns would store U+FFFD, jsonb refuses it whole).
  for (const value of values) {
    const at = value.search(LONE_SURROGATE);
    if (at === -1) continue;
    throw new InputError(`half of a UTF-16 surrogate pair (\\u${value.charCodeAt(at).toString(16)}) at character ${at + 1} of the value, which is no character`, {
      file,
      line: field.line,
      column: field.column,
      value: value.slice(Math.max(0, at - 20), at).concat('\uFFFD', value.slice(at + 1, at + 21)),
      expected: 'the whole pair (an emoji is two escapes, \\ud83d\\ude00), or the character itself',
    });
  }
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
