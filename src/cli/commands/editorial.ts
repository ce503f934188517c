/** `cms-ingest editorial import|export` (review and resolve: editorial-review.ts): the editors' side of the catalog. */
import type { Command } from 'commander';
import { TEXT_ENCODINGS, UsageError, exportEditorial, importEditorial, renderImportResult, type TextEncoding } from '../../index.js';
import { contextOf, withDatabase } from '../context.js';
import { registerReview } from './editorial-review.js';

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

  registerReview(editorial);
}
