/**
 * Memory benchmark: `npx tsx bench/memory.ts [rows...]` (default 19000 and 190000).
 *
 * Builds a synthetic PPRRVU release of each size from the committed RVU25D excerpt (its real
 * preamble and header, the 99213 row cloned under new codes), imports it into a fresh PostgreSQL
 * database in a child process of its own, and prints that process's peak RSS: csv is streamed
 * from the zip into COPY, so the peak must not grow with the file.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { zipSync } from 'fflate';
import { importRelease, openDatabase, resolveConfig } from '../src/index.js';
import { machine, peakRssMb, timed, withScratchDatabase } from './support.js';

const EXCERPT = fileURLToPath(new URL('../fixtures/pfs/rvu25d/PPRRVU2025_Oct.csv', import.meta.url));

async function writeSyntheticRelease(dir: string, rows: number): Promise<string> {
  const lines = (await readFile(EXCERPT)).toString('latin1').split('\r\n');
  const template = lines.find((line) => line.startsWith('99213,'))!;
  const body = Array.from({ length: rows }, (_, index) => {
    const code = `${String.fromCharCode(65 + Math.floor(index / 10_000))}${String(index % 10_000).padStart(4, '0')}`;
    return template.replace(/^99213,,[^,]*,/, `${code},,Synthetic ${code},`);
  });
  const csv = Buffer.from([...lines.slice(0, 10), ...body, ''].join('\r\n'), 'latin1');
  const zip = path.join(dir, 'rvu25d.zip');
  await writeFile(zip, zipSync({ 'PPRRVU2025_Oct.csv': csv }));
  return zip;
}

if (process.argv[2] === '--child') {
  // One import in this process; report its peak RSS.
  await withScratchDatabase(async (url) => {
    const database = await openDatabase(resolveConfig({ databaseUrl: url }));
    const load = await timed(() => importRelease(database, process.argv[3]!));
    await database.close();
    const rows = load.value.datasets.reduce((sum, dataset) => sum + dataset.rows, 0);
    console.log(`  ${String(rows).padStart(7)} rows  ${load.ms.toFixed(0).padStart(6)} ms  peak RSS ${peakRssMb()} MB`);
  });
} else {
  const sizes = process.argv.slice(2).map(Number);
  console.log(`machine: ${machine()}`);
  const dir = await mkdtemp(path.join(tmpdir(), 'cms-bench-memory-'));
  try {
    for (const rows of sizes.length > 0 ? sizes : [19_000, 190_000]) {
      const zip = await writeSyntheticRelease(dir, rows);
      const script = fileURLToPath(import.meta.url);
      process.stdout.write(execFileSync(process.execPath, ['--import', 'tsx', script, '--child', zip]));
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
