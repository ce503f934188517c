/** Helpers for the pipelines/ unit tests: a field reader over named cells, and catching an InputError. */
import { InputError } from '../../src/errors.js';
import { FieldReader } from '../../src/parse/fields.js';
import type { RowReader } from '../../src/parse/tabular.js';

/** A row of named cells at line 7 of `test.csv`; errors name a column by its field in upper case. */
class StubRow extends FieldReader {
  readonly file = 'test.csv';
  readonly line = 7;
  constructor(private readonly cells: Readonly<Record<string, string>>) {
    super();
  }
  raw(field: string): string {
    return (this.cells[field] ?? '').trim();
  }
  column(field: string): string {
    return field.toUpperCase();
  }
}

/** What a normalizer is handed, for readers that use only a row's cells and its checks. */
export function stubRow(cells: Readonly<Record<string, string>>): RowReader {
  return new StubRow(cells) as unknown as RowReader;
}

/** The InputError `run` throws (fails the test if it throws anything else, or nothing). */
export function inputError(run: () => unknown): InputError {
  try {
    run();
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error('expected an InputError');
}

/** The same, for a promise. */
export async function inputErrorOf(promise: Promise<unknown>): Promise<InputError> {
  const error = await promise.then(
    () => new Error('expected an InputError'),
    (caught: unknown) => caught,
  );
  if (error instanceof InputError) return error;
  throw error;
}
