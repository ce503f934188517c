/** `cms-ingest price <hcpcs> --locality L` and `price --all --locality L --format csv|json`. */
import type { Command } from 'commander';
import { SCHEDULE_FORMATS, UsageError, priceCode, priceSchedule, renderPrice, renderSchedule, type ScheduleFormat } from '../../index.js';
import { contextOf, withDatabase } from '../context.js';

interface PriceFlags {
  locality?: string;
  modifier?: string;
  release?: string;
  date?: string;
  qpp?: boolean;
  baseUnits?: string;
  minutes?: string;
  all?: boolean;
  format?: string;
}

export function registerPrice(program: Command): void {
  program
    .command('price')
    .description('what Medicare pays for a code in a locality, and how it is computed; --all: the locality\'s whole fee schedule')
    .argument('[hcpcs]', 'HCPCS code, e.g. 99213 (not with --all)')
    .option('--locality <locality>', 'MAC-LOCALITY (01112-05), STATE-LOCALITY (CA-05), or part of a locality or county name')
    .option('--modifier <modifier>', 'the row with this modifier (26, TC, 53); default: the code without one')
    .option('--release <release>', 'release code (RVU25D), CODE@REVISION for a superseded revision, or latest')
    .option('--date <date>', 'the release in effect on this day (YYYY-MM-DD)')
    .option('--qpp', 'use the QPP conversion factor (2026 on); --json always carries both')
    .option('--base-units <n>', 'anesthesia: base units of the code')
    .option('--minutes <m>', 'anesthesia: minutes of anesthesia time')
    .option('--all', 'every code of the release in the locality')
    .option('--format <format>', `with --all: ${SCHEDULE_FORMATS.join(' or ')} (default csv; --json means json)`)
    .action(async (hcpcs: string | undefined, flags: PriceFlags, command: Command) => {
      const context = contextOf(command);
      const json = context.output.options.json;
      if (flags.locality === undefined) throw new UsageError('--locality is required: MAC-LOCALITY (01112-05), STATE-LOCALITY (CA-05) or a name');
      if (flags.all) {
        if (hcpcs !== undefined) throw new UsageError('price --all prices every code: leave out the code');
        for (const [set, flag] of [[flags.modifier, '--modifier'], [flags.qpp, '--qpp'], [flags.baseUnits, '--base-units'], [flags.minutes, '--minutes']] as const) {
          if (set !== undefined) throw new UsageError(`${flag} prices one code; it does not go with --all`);
        }
        const format = scheduleFormat(flags.format, json);
        const schedule = await withDatabase(context, (database) =>
          priceSchedule(database, { locality: flags.locality!, release: flags.release, date: flags.date }),
        );
        process.stdout.write(renderSchedule(schedule, format));
        return;
      }
      if (hcpcs === undefined) throw new UsageError('price needs a code (price 99213 --locality 01112-05), or --all');
      if (flags.format !== undefined) throw new UsageError('--format goes with --all; for one code use --json');
      const result = await withDatabase(context, (database) =>
        priceCode(database, {
          hcpcs,
          locality: flags.locality!,
          modifier: flags.modifier,
          release: flags.release,
          date: flags.date,
          qpp: flags.qpp,
          baseUnits: flags.baseUnits,
          minutes: flags.minutes,
        }),
      );
      context.output.result(result, () => renderPrice(result));
    });
}

function scheduleFormat(requested: string | undefined, json: boolean): ScheduleFormat {
  if (requested !== undefined && !(SCHEDULE_FORMATS as readonly string[]).includes(requested)) {
    throw new UsageError(`--format ${requested}: expected ${SCHEDULE_FORMATS.join(' or ')}`);
  }
  if (json && requested !== undefined && requested !== 'json') throw new UsageError(`--json and --format ${requested} ask for different outputs`);
  return json ? 'json' : ((requested ?? 'csv') as ScheduleFormat);
}
