/**
 * The command line: flags → options → the programmatic API (src/index.ts) → formatted output.
 * Exit codes and signals: src/cli/signals.ts.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Command, CommanderError } from 'commander';
import { LockHeldError, UsageError } from '../errors.js';
import { PROJECT_ROOT } from '../locations.js';
import { registerCatalog } from './commands/catalog.js';
import { registerDiff } from './commands/diff.js';
import { registerEditorial } from './commands/editorial.js';
import { registerDemo } from './commands/demo.js';
import { registerImport } from './commands/import.js';
import { registerMigrate } from './commands/migrate.js';
import { registerPublish } from './commands/publish.js';
import { registerPrice } from './commands/price.js';
import { registerReleases } from './commands/releases.js';
import { registerSchedule } from './commands/schedule.js';
import { registerSync } from './commands/sync.js';
import { familyTitles } from './help.js';
import { Output } from './output.js';
import { EXIT } from './signals.js';

export function buildProgram(): Command {
  const program = new Command('cms-ingest')
    .description(`Load CMS releases (${familyTitles()}) into versioned Postgres snapshots`)
    .option('--database-url <url>', 'PostgreSQL connection string (default: $DATABASE_URL, else the embedded database)')
    .option('--home <dir>', 'embedded database and download cache (default: $CMS_INGEST_HOME or ./.cms-ingest)')
    .option('--json', 'machine-readable output on stdout')
    .option('--quiet', 'print only results and errors')
    .option('--verbose', 'print diagnostics to stderr')
    .version(packageVersion(), '--version', 'print the version')
    .showHelpAfterError()
    .exitOverride();
  registerImport(program);
  registerReleases(program);
  registerMigrate(program);
  registerSync(program);
  registerSchedule(program);
  registerDemo(program);
  registerDiff(program);
  registerPublish(program);
  registerPrice(program);
  registerEditorial(program);
  registerCatalog(program);
  for (const command of program.commands) {
    command.exitOverride();
    for (const sub of command.commands) sub.exitOverride();
  }
  return program;
}

function packageVersion(): string {
  return (JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
}

export async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.exitCode === 0
        ? EXIT.ok
        : EXIT.usage;
    }
    const output = new Output({ json: false, quiet: false, verbose: argv.includes('--verbose') });
    output.error(error);
    if (error instanceof UsageError) return EXIT.usage;
    if (error instanceof LockHeldError) return EXIT.locked;
    // A command stopped by a signal failed because of it: 128 + its number (signals.ts).
    if (typeof process.exitCode === 'number' && process.exitCode > 128) return process.exitCode;
    return EXIT.failure;
  }
}
