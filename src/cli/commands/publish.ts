/** `cms-ingest publish --to URL…` and `cms-ingest export --to DIR`: feed downstream databases and files. */
import type { Command } from 'commander';
import { DEFAULT_PUBLISH_SCHEMA, EXPORT_FORMATS, exportFiles, publish, type ExportFormat } from '../../index.js';
import { contextOf, withDatabase } from '../context.js';
import { describeExport, describePublish } from '../render/publish.js';
import { untilSignalled } from '../signals.js';

const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** `all`, `none`, or a comma-separated list of MAC-LOCALITY pairs. */
function localities(value: string | undefined): 'all' | 'none' | string[] | undefined {
  if (value === undefined || value === 'all' || value === 'none') return value;
  return value.split(',').map((part) => part.trim()).filter((part) => part !== '');
}

/**
 * Every locality's payments (the default) keep PGlite's queries running for minutes, long enough
 * for V8's optimised WebAssembly to pay back its compilation; anything less is quicker without it.
 */
function wasmFor(paymentLocalities: ReturnType<typeof localities>): 'baseline' | 'optimizing' {
  return paymentLocalities === undefined || paymentLocalities === 'all' ? 'optimizing' : 'baseline';
}

export function registerPublish(program: Command): void {
  program
    .command('publish')
    .description('publish the catalog, the change feed, payments and their releases into downstream PostgreSQL databases, atomically')
    .requiredOption('--to <url>', 'a downstream PostgreSQL connection string (repeatable: each target is published and reported on its own)', collect, [])
    .option('--schema <name>', 'the schema readers query in each target', DEFAULT_PUBLISH_SCHEMA)
    .option('--force', 'rebuild even when nothing is new since the last publish to a target')
    .option('--omit-cpt-descriptors', "publish CPT (numeric) codes without the AMA's descriptors")
    .option('--payment-localities <list>', 'payments for all localities (default), none, or MAC-LOC,…')
    .action(async (flags: { to: string[]; schema: string; force?: boolean; omitCptDescriptors?: boolean; paymentLocalities?: string }, command: Command) => {
      const context = contextOf(command);
      const paymentLocalities = localities(flags.paymentLocalities);
      const results = await untilSignalled(context.output.errorStream, 'the publish in progress is rolled back in its target', (signal) =>
        withDatabase(
          context,
          (database) =>
            publish(database, {
              targets: flags.to,
              schema: flags.schema,
              force: flags.force === true,
              omitCptDescriptors: flags.omitCptDescriptors === true,
              paymentLocalities,
              signal,
            }),
          { wasm: wasmFor(paymentLocalities) },
        ),
      );
      for (const result of results) if (result.outcome === 'failed') context.output.error(result.error);
      context.output.result(results, () => describePublish(results));
      if (results.some((result) => result.outcome === 'failed')) process.exitCode ??= 1;
    });

  program
    .command('export')
    .description('write the catalog, the change feed, payments and their releases as files with a manifest.json')
    .requiredOption('--to <dir>', 'the folder to write (new, empty, or an earlier export, which is replaced whole)')
    .option('--format <format>', `file format: ${EXPORT_FORMATS.join(', ')}`, 'csv')
    .option('--omit-cpt-descriptors', "export CPT (numeric) codes without the AMA's descriptors")
    .option('--payment-localities <list>', 'payments for all localities (default), none, or MAC-LOC,…')
    .action(async (flags: { to: string; format: string; omitCptDescriptors?: boolean; paymentLocalities?: string }, command: Command) => {
      const context = contextOf(command);
      const paymentLocalities = localities(flags.paymentLocalities);
      const manifest = await untilSignalled(context.output.errorStream, 'the export in progress is removed', (signal) =>
        withDatabase(
          context,
          (database) =>
            exportFiles(database, {
              dir: flags.to,
              format: flags.format as ExportFormat,
              omitCptDescriptors: flags.omitCptDescriptors === true,
              paymentLocalities,
              signal,
            }),
          { wasm: wasmFor(paymentLocalities) },
        ),
      );
      context.output.result(manifest, () => describeExport(flags.to, manifest));
    });
}
