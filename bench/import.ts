/**
 * Import benchmark: `npm run bench -- <release zip, folder or file>...`
 *
 * For each source: import it into a fresh PostgreSQL database (DATABASE_URL, else
 * TEST_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/postgres) through the API, end to
 * end (open, parse, validate, COPY, commit); then, as the baseline, `psql \copy` the very same
 * normalized rows (exported from the loaded tables) into empty tables of the same definition.
 * Prints both times, their ratio, rows/s and this process's peak RSS.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { importRelease, openDatabase, resolveConfig } from '../src/index.js';
import { machine, peakRssMb, timed, withScratchDatabase } from './support.js';

async function benchOne(source: string): Promise<void> {
  await withScratchDatabase(async (url) => {
    const database = await openDatabase(resolveConfig({ databaseUrl: url }));
    const work = await mkdtemp(path.join(tmpdir(), 'cms-bench-'));
    try {
      const load = await timed(() => importRelease(database, source));
      const result = load.value;
      const rows = result.datasets.reduce((sum, dataset) => sum + dataset.rows, 0);

      // Baseline: the same normalized rows, bulk-loaded by one psql process into empty twins of
      // the tables (same columns, keys and checks).
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
      const copyMs = performance.now() - started;

      console.log(`${result.code} (${source})`);
      console.log(`  datasets       ${result.datasets.map((d) => `${d.dataset} ${d.rows}`).join(', ')}`);
      console.log(`  cms-ingest     ${load.ms.toFixed(0)} ms  (${Math.round(rows / (load.ms / 1000))} rows/s)`);
      console.log(`  psql \\copy     ${copyMs.toFixed(0)} ms  (${Math.round(rows / (copyMs / 1000))} rows/s; one psql process, its start included)`);
      console.log(`  ratio          ${(load.ms / copyMs).toFixed(2)}x`);
      console.log(`  peak RSS       ${peakRssMb()} MB (this process, cumulative)`);
    } finally {
      await database.close();
      await rm(work, { recursive: true, force: true });
    }
  });
}

const sources = process.argv.slice(2);
if (sources.length === 0) {
  console.error('usage: npm run bench -- <release zip, folder or file>...');
  process.exit(2);
}
console.log(`machine: ${machine()}`);
for (const source of sources) await benchOne(source);
