/** `cms-ingest import <zip|dir|file>...` */
import type { Command } from 'commander';
import { UsageError, importRelease, type Database, type ImportResult } from '../../index.js';
import { contextOf, withDatabase } from '../context.js';
import { codeExamples } from '../help.js';
import { describeImport } from '../render/import.js';
import { loadProgress } from '../progress.js';
import { untilSignalled } from '../signals.js';

interface ImportFlags {
  code?: string;
  effectiveFrom?: string;
  allowShrink?: boolean;
}

export function registerImport(program: Command): void {
  program
    .command('import')
    .description('load CMS releases from disk: a zip as CMS publishes it, the folder it unzips to, or one file from it')
    .argument('<sources...>', 'zip files, folders or data files')
    .option('--code <code>', `the release code when names do not tell (${codeExamples()})`)
    .option('--effective-from <date>', 'first day the release applies (YYYY-MM-DD); default: first day of its quarter')
    .option('--allow-shrink', 'load a dataset even when it has under half the rows of the previous release')
    .addHelpText(
      'after',
      '\nExit codes: 0 loaded (also nothing changed), 1 a source failed (the others still load), 2 usage error,\n' +
        '3 another process holds the embedded database, 130/143 interrupted by SIGINT/SIGTERM (nothing half-loaded).',
    )
    .action(async (sources: string[], flags: ImportFlags, command: Command) => {
      const context = contextOf(command);
      // --code and --effective-from are checked by importRelease
      if (flags.code !== undefined && sources.length > 1) {
        throw new UsageError('--code names one release: import one source at a time with it');
      }
      const { output } = context;
      const results: (ImportResult | { status: 'failed'; source: string; error: string })[] = [];
      // SIGINT / SIGTERM: the load in progress rolls back, the sources after it are not started,
      // and the database closes (the embedded one cleanly, its lock file removed); exit 130 / 143.
      // A signal that comes once every source is done (while the database closes) undoes nothing:
      // the loads stand, and so does the exit code they give.
      await untilSignalled(
        output.errorStream,
        'a load in progress is rolled back',
        (signal) =>
          withDatabase(context, async (database) => {
            let interrupted = false;
            for (const source of sources) {
              if (signal.aborted) {
                interrupted = true;
                break;
              }
              await importOne(database, source, signal);
              if (signal.aborted) interrupted = true;
            }
            return { interrupted };
          }),
        ({ interrupted }) => !interrupted,
      );
      output.result(results, () => '');
      if (results.some((result) => result.status === 'failed')) process.exitCode ??= 1;

      async function importOne(database: Database, source: string, signal: AbortSignal): Promise<void> {
        const progress = loadProgress(output, source);
        try {
          const result = await importRelease(database, source, {
            code: flags.code,
            effectiveFrom: flags.effectiveFrom,
            allowShrink: flags.allowShrink,
            onEvent: (event) => progress.onEvent(event),
            signal,
          });
          progress.stop();
          results.push(result);
          output.info(describeImport(result));
        } catch (error) {
          progress.stop();
          if (error instanceof UsageError) throw error;
          output.error(error);
          results.push({ status: 'failed', source, error: (error as Error).message });
        }
      }
    });
}
