/** `cms-ingest catalog <code>` and `catalog search <text>`: the merged per-code catalog. */
import type { Command } from 'commander';
import { UsageError, catalogRecord, renderCatalogRecord, renderSearch, searchCatalog } from '../../index.js';
import { contextOf, withDatabase } from '../context.js';

const collect = (value: string, previous: string[]): string[] => [...previous, value];

export function registerCatalog(program: Command): void {
  program
    .command('catalog')
    .description('the merged record of one code (CMS data + editorial), or `catalog search <text>`')
    .usage('<code> [--release R] | search <text...> [--limit N]')
    .argument('<code>', 'a HCPCS/CPT code, or `search`')
    .argument('[text...]', 'with `search`: the words to look for')
    .option('--release <code>', 'as of this PFS or HCPCS release instead of the current one (repeatable: one per family)', collect, [])
    .option('--limit <count>', 'search: how many codes at most', '20')
    .action(async (code: string, words: string[], flags: { release: string[]; limit: string }, command: Command) => {
      const context = contextOf(command);
      if (code === 'search') {
        const limit = Number(flags.limit);
        if (!Number.isInteger(limit) || limit < 1) throw new UsageError(`--limit ${flags.limit}: expected a whole number of 1 or more`);
        const result = await withDatabase(context, (database) => searchCatalog(database, words.join(' '), { limit, releases: flags.release }));
        context.output.result(result, () => renderSearch(result));
        return;
      }
      if (words.length > 0) throw new UsageError(`catalog ${code}: one code at a time (or \`catalog search ${[code, ...words].join(' ')}\`)`);
      const record = await withDatabase(context, (database) => catalogRecord(database, code, { releases: flags.release }));
      if (!record) throw new Error(`${code} is not in the catalog: no loaded PFS or HCPCS release carries it (the catalog's records come from those; the other schedules are shown beside them) and it has no editorial entry`);
      context.output.result(record, () => renderCatalogRecord(record));
    });
}
