/** `cms-ingest diff <from> <to>`: what changed between two releases of one family. */
import type { Command } from 'commander';
import { DIFF_FORMATS, UsageError, diffReleases, renderDiff, type DiffFormat } from '../../index.js';
import { contextOf, withDatabase } from '../context.js';
import { codeExamples, datasetChoices } from '../help.js';

interface DiffFlags {
  format?: string;
  dataset?: string;
  family?: string;
  code: string[];
  field: string[];
  change: string[];
  minDelta?: string;
  moves?: string;
}

/** Repeatable, comma-separated values: `--code 99213,99214 --code G0008`. */
const collect = (value: string, previous: string[]): string[] => [
  ...previous,
  ...value.split(',').map((part) => part.trim()).filter((part) => part !== ''),
];

export function registerDiff(program: Command): void {
  program
    .command('diff')
    .description('what changed between two loaded releases of one family: a summary, then every change')
    .argument('<from>', `release code (${codeExamples()}), CODE@REVISION, latest or previous`)
    .argument('<to>', 'release code, CODE@REVISION, latest or previous')
    .option('--format <format>', `output format: ${DIFF_FORMATS.join(', ')} (default: table; --json means json)`)
    .option('--dataset <name>', `dataset to compare (${datasetChoices()})`)
    .option('--family <family>', 'the family latest and previous refer to, when several are loaded')
    .option('--code <code>', 'only these codes (repeatable, comma-separated)', collect, [])
    .option('--field <field>', 'only changes in these fields (repeatable, comma-separated)', collect, [])
    .option('--change <kind>', 'only added, removed or changed (repeatable, comma-separated)', collect, [])
    .option('--min-delta <decimal>', 'only numeric fields whose absolute change is at least this')
    .option('--moves <count>', 'how many of the largest moves the summary lists (0 to 1000; default 10)')
    .action(async (from: string, to: string, flags: DiffFlags, command: Command) => {
      const context = contextOf(command);
      const format = chooseFormat(flags.format, command.optsWithGlobals<{ json?: boolean }>().json === true);
      const diff = await withDatabase(context, (database) =>
        diffReleases(database, from, to, {
          dataset: flags.dataset,
          family: flags.family,
          codes: flags.code,
          fields: flags.field,
          changes: flags.change,
          minDelta: flags.minDelta,
          // checked by diffReleases
          moves: flags.moves,
        }),
      );
      context.output.result(diff, () => renderDiff(diff, format));
    });
}

function chooseFormat(requested: string | undefined, json: boolean): DiffFormat {
  if (requested !== undefined && !(DIFF_FORMATS as readonly string[]).includes(requested)) {
    throw new UsageError(`--format ${requested}: expected ${DIFF_FORMATS.join(', ')}`);
  }
  if (json && requested !== undefined && requested !== 'json') throw new UsageError(`--json and --format ${requested} ask for different outputs`);
  return json ? 'json' : ((requested ?? 'table') as DiffFormat);
}
