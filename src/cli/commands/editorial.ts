/** `cms-ingest editorial import|export|review|resolve`: the editors' side of the catalog. */
import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import {
  REVIEW_FORMATS, REVIEW_REASONS, TEXT_ENCODINGS, UsageError, exportEditorial, importEditorial, renderImportResult, renderResolve, renderReview,
  resolveReviewItems, reviewQueue, type ReviewFormat, type TextEncoding,
} from '../../index.js';
import { contextOf, withDatabase } from '../context.js';

export function registerEditorial(program: Command): void {
  const editorial = program.command('editorial').description('editorial content: import, export, the review queue');

  editorial
    .command('import')
    .description('load editorial entries from csv, xlsx, json, jsonl or yaml files (or folders of them), in one transaction')
    .argument('<path...>', 'files or folders')
    .option('--replace', 'retire the entries absent from the inputs (they stay in the history)')
    .option('--allow-unknown-codes', 'accept codes no loaded release has carried (the review queue lists them)')
    .option('--encoding <encoding>', `of csv, json, jsonl and yaml files: ${TEXT_ENCODINGS.join(' or ')}`, 'utf-8')
    .option('--by <name>', 'who is importing (default: the OS user)')
    .action(async (paths: string[], flags: { replace?: boolean; allowUnknownCodes?: boolean; encoding: string; by?: string }, command: Command) => {
      const context = contextOf(command);
      const encoding = flags.encoding.toLowerCase().replace(/^utf8$/, 'utf-8').replace(/^(windows-1252|win1252)$/, 'cp1252');
      if (!(TEXT_ENCODINGS as readonly string[]).includes(encoding)) throw new UsageError(`--encoding ${flags.encoding}: expected ${TEXT_ENCODINGS.join(' or ')}`);
      const result = await withDatabase(context, (database) =>
        importEditorial(database, paths, { replace: flags.replace, allowUnknownCodes: flags.allowUnknownCodes, encoding: encoding as TextEncoding, by: flags.by }),
      );
      context.output.result(result, () => renderImportResult(result));
    });

  editorial
    .command('export')
    .description('write the current entries in the import layout, to edit and import again')
    .requiredOption('--to <file>', 'FILE.xlsx, FILE.csv or FILE.json')
    .action(async (flags: { to: string }, command: Command) => {
      const context = contextOf(command);
      const result = await withDatabase(context, (database) => exportEditorial(database, flags.to));
      context.output.result(result, () => `Wrote ${result.entries} entries to ${result.file}`);
    });

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
        await writeFile(flags.out, rendered);
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
