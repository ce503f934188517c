/**
 * Import benchmark: `npm run bench -- [--runs 5] <release zip, folder or file>...`
 *
 * For each source, `--runs` times (default 5), each time into a fresh PostgreSQL database
 * (DATABASE_URL, else TEST_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/postgres):
 * - process: `node bin/cms-ingest.js import <source>` (the build in dist/: `npm run build`
 *   first) timed as a whole process, start-up included, into a migrated empty database — what a
 *   user waits for; its peak RSS (from /usr/bin/time);
 * - in process: importRelease() through the API in this process (open, parse, validate, COPY,
 *   commit; the first run with a cold JIT, later ones warm);
 * - baseline: one `psql` process running `\copy` of the very same normalized rows (exported from
 *   the loaded tables) into empty tables of the same definition (keys, checks), its start included.
 * Prints min and median of each, and the ratios of the medians to psql's.
 *
 * `--compare <other checkout>/bin/cms-ingest.js`: that build's whole-process import too, in the same
 * rounds (each side into its own fresh database), and how many rounds each side was the faster:
 * the way to judge a change on a machine whose speed drifts.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { importRelease, openDatabase, resolveConfig, type ImportResult } from '../src/index.js';
import { machine, peakRssMb, timed, withScratchDatabase } from './support.js';

const { values, positionals: sources } = parseArgs({
  allowPositionals: true,
  options: { runs: { type: 'string', default: '5' }, compare: { type: 'string' } },
});
const runs = Number(values.runs);
const CLI = path.join(import.meta.dirname, '..', 'bin', 'cms-ingest.js');
const TIME = '/usr/bin/time';

/** The CLI importing `source` into `url` (already migrated): wall ms and peak RSS (MB, when /usr/bin/time exists). */
function processImport(source: string, url: string, cli = CLI): { ms: number; rssMb?: number } {
  // what the migration and the database's creation left to write is not the import's to wait for
  execFileSync('psql', [url, '-qc', 'checkpoint']);
  const command = [process.execPath, cli, 'import', '--quiet', '--database-url', url, source];
  const withTime = existsSync(TIME);
  const started = performance.now();
  const result = spawnSync(withTime ? TIME : command[0]!, withTime ? ['-f', 'peak-rss-kb %M', ...command] : command.slice(1), {
    env: { ...process.env, DATABASE_URL: '' },
    encoding: 'utf8',
  });
  const ms = performance.now() - started;
  if (result.status !== 0) throw new Error(`cms-ingest import exited ${result.status}: ${result.stderr}`);
  const rss = /peak-rss-kb (\d+)/.exec(result.stderr);
  return { ms, ...(rss ? { rssMb: Math.round(Number(rss[1]) / 1024) } : {}) };
}

/** One psql process `\copy`ing the rows `result` loaded (exported to files first) into empty twins of the tables. */
async function psqlCopy(url: string, result: ImportResult, database: Awaited<ReturnType<typeof openDatabase>>, work: string): Promise<number> {
  await sql`create schema bench`.execute(database.db);
  const copies: string[] = [];
  for (const dataset of result.datasets) {
    const file = path.join(work, `${dataset.table}.tsv`);
    execFileSync('psql', [url, '-qc', `\\copy (select * from cms.${dataset.table} where release_id = ${result.releaseId}) to '${file}'`]);
    await sql.raw(`create table bench.${dataset.table} (like cms.${dataset.table} including all)`).execute(database.db);
    copies.push('-c', `\\copy bench.${dataset.table} from '${file}'`);
  }
  const started = performance.now();
  execFileSync('psql', [url, '-q', '-v', 'ON_ERROR_STOP=1', ...copies]);
  return performance.now() - started;
}

function stats(samples: number[]): { min: number; median: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  return { min: sorted[0]!, median: sorted[Math.floor(sorted.length / 2)]! };
}

async function benchOne(source: string): Promise<void> {
  const samples = { process: [] as number[], compared: [] as number[], inProcess: [] as number[], psql: [] as number[], rss: [] as number[] };
  let last: ImportResult | undefined;
  for (let run = 0; run < runs; run++) {
    await withScratchDatabase(async (url) => {
      execFileSync(process.execPath, [CLI, 'migrate', '--quiet', '--database-url', url]);
      const measured = processImport(source, url);
      samples.process.push(measured.ms);
      if (measured.rssMb !== undefined) samples.rss.push(measured.rssMb);
    });
    if (values.compare) {
      await withScratchDatabase(async (url) => {
        execFileSync(process.execPath, [values.compare!, 'migrate', '--quiet', '--database-url', url]);
        samples.compared.push(processImport(source, url, values.compare).ms);
      });
    }
    await withScratchDatabase(async (url) => {
      const database = await openDatabase(resolveConfig({ databaseUrl: url }));
      const work = await mkdtemp(path.join(tmpdir(), 'cms-bench-'));
      try {
        const load = await timed(() => importRelease(database, source));
        samples.inProcess.push(load.ms);
        last = load.value;
        samples.psql.push(await psqlCopy(url, load.value, database, work));
      } finally {
        await database.close();
        await rm(work, { recursive: true, force: true });
      }
    });
  }
  const result = last!;
  const rows = result.datasets.reduce((sum, dataset) => sum + dataset.rows, 0);
  const psql = stats(samples.psql);
  const line = (label: string, values: number[], ratio = true) => {
    const { min, median } = stats(values);
    return `  ${label.padEnd(26)} min ${min.toFixed(0).padStart(5)} ms  median ${median.toFixed(0).padStart(5)} ms` +
      (ratio ? `  ${(median / psql.median).toFixed(2)}× psql  (${Math.round(rows / (median / 1000))} rows/s)` : '');
  };
  console.log(`${result.code} (${source}), ${runs} runs`);
  console.log(`  datasets       ${result.datasets.map((d) => `${d.dataset} ${d.rows}`).join(', ')} (${rows} rows)`);
  console.log(line('cms-ingest import, process', samples.process));
  if (values.compare) {
    const faster = samples.process.filter((ms, run) => ms < samples.compared[run]!).length;
    console.log(line(`  ${values.compare}`, samples.compared));
    console.log(`  this build faster in ${faster} of ${runs} rounds`);
  }
  console.log(line('importRelease(), in process', samples.inProcess));
  console.log(line('psql \\copy, one process', samples.psql, false));
  if (samples.rss.length > 0) console.log(`  peak RSS of the process    max ${Math.max(...samples.rss)} MB`);
  console.log(`  peak RSS of this bench      ${peakRssMb()} MB (cumulative)`);
}

if (sources.length === 0) {
  console.error('usage: npm run bench -- [--runs N] [--compare <other>/bin/cms-ingest.js] <release zip, folder or file>...');
  process.exit(2);
}
console.log(`machine: ${machine()}`);
for (const source of sources) await benchOne(source);
