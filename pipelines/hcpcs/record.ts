/**
 * One ANWEB record as read from any format: its line, its trimmed field values, and how an
 * error names each field's column (txt positions or the workbook's header).
 */
import { InputError } from '../../src/errors.js';
import type { AnwebField } from './fields.js';

export interface AnwebRecord {
  /** 1-based line in the txt, or the sheet row */
  readonly line: number;
  readonly fields: Readonly<Record<AnwebField, string>>;
  column(field: AnwebField): string;
}

/** Checks on one record's fields that fail with file, line, column, value and what was expected. */
export class RecordReader {
  constructor(
    readonly file: string,
    readonly record: AnwebRecord,
  ) {}

  get line(): number {
    return this.record.line;
  }

  raw(field: AnwebField): string {
    return this.record.fields[field];
  }

  /** trimmed text, null when blank */
  text(field: AnwebField): string | null {
    const value = this.raw(field);
    return value === '' ? null : value;
  }

  fail(field: AnwebField, problem: string, expected?: string): never {
    throw new InputError(problem, {
      file: this.file,
      line: this.record.line,
      column: this.record.column(field),
      value: this.raw(field),
      expected,
    });
  }
}
