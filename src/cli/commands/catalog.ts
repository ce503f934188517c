/** `cms-ingest catalog <code>` and `catalog search <text>`: the merged per-code catalog. */
import type { Command } from 'commander';
import { UsageError, catalogRecord, releasesCarrying, renderCatalogRecord, renderSearch, searchCatalog } from '../../index.js';
import { contextOf, withDatabase } from '../context.js';

const collect = (value: string, previous: string[]): string[] => [...previous, value];

export function registerCatalog(program: Command): void {
  const catalog = program
    .command('catalog')
    .description('the merged record of one code (CMS data + editorial), or `catalog search <text>`')
    .usage('<code> [--release R] | search [--limit N] [--] <text...>')
    .argument('<code>', 'a HCPCS/CPT code, or `search`')
    .argument('[text...]', 'with `search`: the words to look for (after `--` when one starts with -: `-word` excludes it)')
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
      const { record, carrying } = await withDatabase(context, async (database) => {
        const found = await catalogRecord(database, code, { releases: flags.release });
        return { record: found, carrying: found ? [] : await releasesCarrying(database, code) };
      });
      if (!record) throw new Error(notInCatalog(code, flags.release, carrying));
      context.output.result(record, () => renderCatalogRecord(record));
    });
  catalog.configureOutput({ outputError: (text, write) => write(withSearchHint(text, catalog.args)) });
}

/**
 * `unknown option '-arthroscopy'`, for `catalog search knee -arthroscopy` (websearch's "not"):
 * says that words starting with "-" go after `--`, with the command line that does it.
 */
export function withSearchHint(text: string, args: readonly string[]): string {
  const flag = /^error: unknown option '(-[^-'][^']*)'\n$/.exec(text)?.[1];
  if (flag === undefined || args[0] !== 'search') return text;
  const words = args.slice(1);
  const plain = words.length > 0 && words.every((word) => /^-?[\w.]+$/.test(word));
  const example = `cms-ingest catalog search -- ${plain ? words.join(' ') : `knee ${flag}`}`;
  return `error: unknown option '${flag}'; a search word that starts with "-" (${flag}: codes without ${flag.slice(1)}) goes after --, options before it: ${example}\n`;
}

/** Why a code has no record, and where it is if an older release carries it. */
function notInCatalog(code: string, asOf: readonly string[], carrying: readonly string[]): string {
  const which = asOf.length > 0 ? `the PFS or HCPCS release asked for (${asOf.join(', ')}) does not carry it` : 'no current PFS or HCPCS release carries it';
  const elsewhere =
    carrying.length > 0
      ? `; ${carrying.slice(0, 3).join(', ')}${carrying.length > 3 ? ` and ${carrying.length - 3} more` : ''} ${carrying.length === 1 ? 'does' : 'do'}: cms-ingest catalog ${code} --release ${carrying[0]!.replace(/@\d+$/, '')}`
      : '';
  return `${code} is not in the catalog: ${which} (the catalog's records come from those; the other schedules are shown beside them) and it has no editorial entry${elsewhere}`;
}
