/**
 * The error types a user can act on. Each carries what it needs to be reported precisely;
 * the CLI maps them to exit codes (UsageError → 2, everything else → 1).
 */
import { redactSecrets } from './db/redact.js';

/** Where in an input file something was found. `line` is 1-based (a sheet row for xlsx). */
export interface InputLocation {
  file: string;
  line?: number;
  column?: string;
}

/** `file, line 3, column MOD`: where in an input, as every message about it says it. */
export function formatPlace(where: InputLocation): string {
  let place = where.file;
  if (where.line !== undefined) place += `, line ${where.line}`;
  if (where.column !== undefined) place += `, column ${where.column}`;
  return place;
}

/**
 * Bad input: a file whose content does not meet its contract. Always names the file, and the
 * line, column, offending value and what was expected when they are known, so that a user can
 * fix the file without guessing and a test can assert on the location, not on message text.
 */
export class InputError extends Error {
  readonly file: string;
  readonly line: number | undefined;
  readonly column: string | undefined;
  readonly value: string | undefined;
  readonly expected: string | undefined;
  readonly problem: string;

  constructor(
    problem: string,
    where: InputLocation & { value?: string | undefined; expected?: string | undefined },
  ) {
    super(InputError.format(problem, where));
    this.name = 'InputError';
    this.problem = problem;
    this.file = where.file;
    this.line = where.line;
    this.column = where.column;
    this.value = where.value;
    this.expected = where.expected;
  }

  private static format(
    problem: string,
    where: InputLocation & { value?: string | undefined; expected?: string | undefined },
  ): string {
    let message = `${formatPlace(where)}: ${problem}`;
    if (where.value !== undefined) message += `: found ${JSON.stringify(where.value)}`;
    if (where.expected !== undefined) message += `; expected ${where.expected}`;
    return message;
  }
}

/** The command line was wrong (unknown release code, bad option value). Exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Another process holds the lock (embedded database lock file, or the sync advisory lock). */
export class LockHeldError extends Error {
  override readonly name = 'LockHeldError';
}

/**
 * Remove credentials from a connection string, URL or any message before it is printed, logged
 * or stored: every password form `pg` accepts (see redactSecrets in src/db/redact.ts, the one
 * redaction function).
 */
export function redactUrl(text: string): string {
  return redactSecrets(text);
}

/** The message of any thrown value, with credentials removed. */
export function errorMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return redactSecrets(message);
}
