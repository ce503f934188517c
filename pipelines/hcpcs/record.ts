/**
 * One ANWEB record as read from any format: its line, its trimmed field values, and how an
 * error names each field's column (txt positions or the workbook's header).
 */
import { FieldReader } from '../../src/parse/fields.js';
import type { AnwebField } from './fields.js';

export interface AnwebRecord {
  /** 1-based line in the txt, or the sheet row */
  readonly line: number;
  readonly fields: Readonly<Record<AnwebField, string>>;
  column(field: AnwebField): string;
}

/** A record's fields through the one field reader (its checks and messages are FieldReader's). */
export class RecordReader extends FieldReader<AnwebField> {
  constructor(
    readonly file: string,
    readonly record: AnwebRecord,
  ) {
    super();
  }

  get line(): number {
    return this.record.line;
  }

  raw(field: AnwebField): string {
    return this.record.fields[field];
  }

  column(field: AnwebField): string {
    return this.record.column(field);
  }
}
