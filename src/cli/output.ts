/**
 * Everything the CLI prints goes through here: results to stdout (a table or text for people,
 * JSON with --json), warnings and progress to stderr. Non-TTY output has no colour or bars.
 * Every line is redacted (passwords in any form pg accepts) on its way out, stack traces included.
 */
import { redactDeep, redactSecrets } from '../db/redact.js';
import { errorMessage } from '../errors.js';

export interface OutputOptions {
  json: boolean;
  quiet: boolean;
  verbose: boolean;
}

export class Output {
  constructor(
    readonly options: OutputOptions,
    private readonly stdout: NodeJS.WritableStream = process.stdout,
    private readonly stderr: NodeJS.WritableStream & { isTTY?: boolean } = process.stderr,
  ) {}

  /** progress bars only for a person watching a terminal */
  get interactive(): boolean {
    return Boolean(this.stderr.isTTY) && !this.options.json && !this.options.quiet;
  }

  /** The command's result: JSON with --json, else the human rendering. */
  result(data: unknown, human: () => string): void {
    if (this.options.json) this.stdout.write(`${JSON.stringify(redactDeep(data), null, 2)}\n`);
    else {
      const text = redactSecrets(human());
      if (text !== '') this.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
    }
  }

  /** Narration for people (not with --json or --quiet). */
  info(message: string): void {
    if (!this.options.json && !this.options.quiet) this.stdout.write(`${redactSecrets(message)}\n`);
  }

  warn(message: string): void {
    if (!this.options.quiet) this.stderr.write(`warning: ${redactSecrets(message)}\n`);
  }

  debug(message: string): void {
    if (this.options.verbose) this.stderr.write(`${redactSecrets(message)}\n`);
  }

  error(error: unknown): void {
    this.stderr.write(`error: ${errorMessage(error)}\n`);
    if (this.options.verbose && error instanceof Error && error.stack) this.stderr.write(`${redactSecrets(error.stack)}\n`);
  }

  get errorStream(): NodeJS.WritableStream {
    return this.stderr;
  }
}

export { formatCount, formatDuration, formatTable, orList } from '../text-table.js';
