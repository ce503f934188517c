/** What every editorial reader produces: records of named values, each with where it was read. */

export type RawValue = string | readonly string[] | null;

export interface RawField {
  /** the field name as matched (lower case, `_` for spaces) */
  readonly field: string;
  /** the column header or key as written, for messages */
  readonly column: string;
  readonly line: number;
  readonly value: RawValue;
  /** true when the format has lists of its own (json/yaml), false when a list is a `;`-separated cell */
  readonly structured: boolean;
}

export interface RawRecord {
  readonly file: string;
  readonly line: number;
  readonly fields: readonly RawField[];
}

/** `Plain Language`, `plain-language`, ` plain_language ` → `plain_language`. */
export function fieldName(header: string): string {
  return header.trim().toLowerCase().replace(/[\s-]+/g, '_');
}
