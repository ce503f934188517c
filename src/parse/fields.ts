/**
 * One field reader for every format (a csv or workbook row through its header, an ANWEB record
 * through its layout): the checks a normalizer runs on a record's fields, each failing with an
 * InputError naming file, line, column, value and what was expected. A format says only how a
 * field's text is found and how its column is named; the checks and their messages live here.
 */
import { InputError } from '../errors.js';
import { compactDateToIso, normalizeDecimal } from './values.js';

/** A code table: a set of codes, or a map from each code to what it means. */
export type CodeTable = ReadonlySet<string> | ReadonlyMap<string, unknown>;

export abstract class FieldReader<F extends string = string> {
  abstract readonly file: string;
  /** 1-based line of the file, or the sheet row */
  abstract readonly line: number;
  /** trimmed text of the field; '' when blank (or absent from this file's layout) */
  abstract raw(field: F): string;
  /** the field's column as errors name it (the header as found, or the txt positions) */
  abstract column(field: F): string;

  /** trimmed text, null when blank */
  text(field: F): string | null {
    const value = this.raw(field);
    return value === '' ? null : value;
  }

  /** a value that must be present */
  required(field: F, expected: string): string {
    const value = this.raw(field);
    if (value === '') this.fail(field, 'missing value', expected);
    return value;
  }

  /** a value that must match a shape (blank allowed only when `optional`) */
  match(field: F, pattern: RegExp, expected: string, optional: true): string | null;
  match(field: F, pattern: RegExp, expected: string, optional?: false): string;
  match(field: F, pattern: RegExp, expected: string, optional = false): string | null {
    const value = this.raw(field);
    if (value === '' && optional) return null;
    if (!pattern.test(value)) this.fail(field, value === '' ? 'missing value' : 'unexpected value', expected);
    return value;
  }

  /** one of a code table's codes (blank allowed only when `optional`) */
  oneOf(field: F, allowed: CodeTable, optional: true): string | null;
  oneOf(field: F, allowed: CodeTable, optional?: false): string;
  oneOf(field: F, allowed: CodeTable, optional = false): string | null {
    const value = this.raw(field);
    if (value === '' && optional) return null;
    if (!allowed.has(value)) {
      this.fail(field, value === '' ? 'missing value' : 'unknown code', `one of ${[...allowed.keys()].join(', ')}`);
    }
    return value;
  }

  /** an exact decimal, normalized (`.10` → `0.10`); blank is null only when `optional` */
  decimal(field: F, optional: true): string | null;
  decimal(field: F, optional?: false): string;
  decimal(field: F, optional = false): string | null {
    const value = this.raw(field);
    if (value === '' && optional) return null;
    const normalized = normalizeDecimal(value);
    if (normalized === null) this.fail(field, value === '' ? 'missing number' : 'not a number', 'a decimal number');
    return normalized;
  }

  /** a `yyyymmdd` date as ISO; blank is null only when `optional` */
  compactDate(field: F, expected: string, optional: true): string | null;
  compactDate(field: F, expected: string, optional?: false): string;
  compactDate(field: F, expected: string, optional = false): string | null {
    const value = this.raw(field);
    if (value === '' && optional) return null;
    return compactDateToIso(value) ?? this.fail(field, 'not a date', expected);
  }

  /** a yes/no flag written as `marker` or blank */
  flag(field: F, marker: string): boolean {
    const value = this.raw(field);
    if (value === '') return false;
    if (value !== marker) this.fail(field, 'unexpected flag', `"${marker}" or blank`);
    return true;
  }

  fail(field: F, problem: string, expected?: string): never {
    throw new InputError(problem, {
      file: this.file,
      line: this.line,
      column: this.column(field),
      value: this.raw(field),
      expected,
    });
  }
}
