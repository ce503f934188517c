/**
 * `price --all` for one locality of a full release, on PostgreSQL, run on demand (never in tests):
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
 *     npx tsx bench/price.ts <release zip>... [--locality 01112-05] [--runs 5] [--compare <other>/bin/cms-ingest.js]
 *
 * Loads the releases, in order, into a fresh database on that server (the last one is priced: a
 * database with its predecessors kept, as a user's is, plans differently from one with a single
 * release), then measures, each as the median of `--runs`:
 * - the process: `node bin/cms-ingest.js price --all --locality L --format csv > /dev/null`, wall
 *   time from spawn to exit, as a user sees it (start-up, connect, migrations check, query, csv);
 * - the query alone: `cms.pfs_payment_rows` for that locality (EXPLAIN ANALYZE: planning + execution);
 * - `priceSchedule()` in this process, warm (registry, locality lookup, query, rows decoded);
 * - with `--compare`, that build's process too, in the same rounds.
 * Target: the process under 1 s.
 */
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { importRelease, openDatabase, priceSchedule, resolveConfig } from '../src/index.js';
import { machine, median, timed, withScratchDatabase } from './support.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { locality: { type: 'string', default: '01112-05' }, runs: { type: 'string', default: '5' }, compare: { type: 'string' } },
});
if (positionals.length === 0) throw new Error('usage: npx tsx bench/price.ts <release zip>... [--locality 01112-05] [--runs 5] [--compare <other>/bin/cms-ingest.js]');
const runs = Number(values.runs);

await withScratchDatabase(async (url) => {
  const database = await openDatabase(resolveConfig({ databaseUrl: url }));
  try {
    let loaded!: Awaited<ReturnType<typeof importRelease>>;
    for (const zip of positionals) loaded = await importRelease(database, zip);
    await sql`analyze`.execute(database.db);
    const [mac, locality] = values.locality!.split('-');
    const { rows: gpci } = await sql<{ state: string }>`
      select state from cms.pfs_gpci where release_id = ${loaded.releaseId} and mac = ${mac} and locality = ${locality}`.execute(database.db);
    const state = gpci[0]!.state;

    const processes: number[] = [];
    const compared: number[] = [];
    let lines = 0;
    const priceProcess = (cli: string): { ms: number; lines: number } => {
      const started = performance.now();
      const child = spawnSync(process.execPath, [cli, 'price', '--all', '--locality', values.locality!, '--release', loaded.code, '--format', 'csv'], {
        env: { ...process.env, DATABASE_URL: url },
        maxBuffer: 64 * 2 ** 20,
      });
      const ms = performance.now() - started;
      if (child.status !== 0) throw new Error(`price --all failed (${cli}): ${child.stderr.toString()}`);
      return { ms, lines: child.stdout.toString().trimEnd().split('\n').length - 1 };
    };
    for (let run = 0; run < runs; run += 1) {
      const measured = priceProcess('bin/cms-ingest.js');
      processes.push(measured.ms);
      lines = measured.lines;
      if (values.compare) compared.push(priceProcess(values.compare).ms);
    }

    const queries: number[] = [];
    for (let run = 0; run < runs; run += 1) {
      const { rows } = await sql<{ 'QUERY PLAN': [{ 'Planning Time': number; 'Execution Time': number }] }>`
        explain (analyze, format json) select * from cms.pfs_payment_rows(${loaded.releaseId}::bigint, ${state}, ${locality})`.execute(database.db);
      const plan = rows[0]!['QUERY PLAN'][0];
      queries.push(plan['Planning Time'] + plan['Execution Time']);
    }

    const calls: number[] = [];
    for (let run = 0; run < runs; run += 1) {
      calls.push((await timed(() => priceSchedule(database, { locality: values.locality!, release: loaded.code }))).ms);
    }

    console.log(machine());
    console.log(`${loaded.code} (${positionals.length} release${positionals.length === 1 ? '' : 's'} loaded): ${lines} rows for ${values.locality} (median of ${runs})`);
    console.log(`  price --all process (csv to /dev/null)  ${Math.round(median(processes))} ms   (${processes.map(Math.round).join(', ')})`);
    if (values.compare) console.log(`  …${values.compare}  ${Math.round(median(compared))} ms   (${compared.map(Math.round).join(', ')})`);
    console.log(`  cms.pfs_payment_rows, all columns       ${Math.round(median(queries))} ms   (planning + execution)`);
    console.log(`  priceSchedule() in process, warm        ${Math.round(median(calls))} ms`);
  } finally {
    await database.close();
  }
});
