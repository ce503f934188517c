/** What a publish or an export reports. */

export type PublishStep = 'staged' | 'swapped';

export interface PublishedTableResult {
  readonly name: string;
  readonly rows: number;
  /** sha256 of the table's rows as COPY text in key order (PostgreSQL), or of the file (export) */
  readonly sha256: string;
  readonly columns: readonly string[];
}
