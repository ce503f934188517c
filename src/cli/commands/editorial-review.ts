/** `cms-ingest editorial review|resolve`: the editors' review queue. */
import type { Command } from 'commander';
import { REVIEW_FORMATS, REVIEW_REASONS, UsageError, renderResolve, renderReview, resolveReviewItems, reviewQueue, type ReviewFormat } from '../../index.js';
import { writeWholeFile } from '../../write-file.js';
import { contextOf, withDatabase } from '../context.js';

export function registerReview(editorial: Command): void {
  editorial
    .command('review')
    .description('the open items of the review queue: what the loaded releases and imports made stale')
    .option('--reason <reason>', `only one reason: ${REVIEW_REASONS.join(', ')}`)
    .option('--release <code>', 'only items raised by this release')
    .option('--format <format>', `${REVIEW_FORMATS.join(', ')} (default table; --json means json; xlsx needs --out)`)
    .option('--out <file>', 'write to this file instead of stdout')
    .action(async (flags: { reason?: string; release?: string; format?: string; out?: string }, command: Command) => {
      const context = contextOf(command);
      const json = command.optsWithGlobals<{ json?: boolean }>().json === true;
      if (flags.format !== undefined && !(REVIEW_FORMATS as readonly string[]).includes(flags.format)) {
        throw new UsageError(`--format ${flags.format}: expected ${REVIEW_FORMATS.join(', ')}`);
      }
      if (json && flags.format !== undefined && flags.format !== 'json') throw new UsageError(`--json and --format ${flags.format} ask for different outputs`);
      const format = (json ? 'json' : (flags.format ?? 'table')) as ReviewFormat;
      if (format === 'xlsx' && flags.out === undefined) throw new UsageError('--format xlsx writes a workbook: give --out FILE.xlsx');
      const queue = await withDatabase(context, (database) => reviewQueue(database, { reason: flags.reason, release: flags.release }));
      const rendered = renderReview(queue, format);
      if (flags.out !== undefined) {
        await writeWholeFile(flags.out, rendered);
        const open = Object.values(queue).reduce((sum, items) => sum + items.length, 0);
        context.output.info(`Wrote ${open} open review item${open === 1 ? '' : 's'} to ${flags.out}`);
      } else process.stdout.write(typeof rendered === 'string' && !rendered.endsWith('\n') ? `${rendered}\n` : rendered);
    });

  editorial
    .command('resolve')
    .description("record that an editor looked at these codes' open review items")
    .argument('<code...>', 'codes')
    .option('--reason <reason>', `only items of this reason: ${REVIEW_REASONS.join(', ')}`)
    .option('--note <text>', 'what the editor decided')
    .option('--by <name>', 'who (default: the OS user)')
    .action(async (codes: string[], flags: { reason?: string; note?: string; by?: string }, command: Command) => {
      const context = contextOf(command);
      const result = await withDatabase(context, (database) =>
        resolveReviewItems(database, codes.map((code) => code.trim().toUpperCase()), flags),
      );
      context.output.result(result, () => renderResolve(result));
      if (result.resolved.length === 0) process.exitCode = 1;
    });
}
