/**
 * Oversized-input benchmark: `npx tsx bench/oversized.ts [MB]` (default 250).
 *
 * Builds two zips in a temporary folder and imports each into a fresh PostgreSQL database in a
 * child process of its own, printing how long the import took to fail and that process's peak
 * RSS: a PPRRVU member that is one line of MB megabytes without a newline (issue 8: 367 KB
 * zipped), and the RVU25D excerpt with one 50 MB description. Both must fail at the line or
 * field bound (src/parse/limits.ts) within a second or two, with memory flat.
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

if (process.argv[2] === '--child') {
  await withScratchDatabase(async (url) => {
    const database = await openDatabase(resolveConfig({ databaseUrl: url }));
    const load = await timed(() => importRelease(database, process.argv[3]!).then(() => 'loaded (!)', (error: Error) => error.message));
    await database.close();
    console.log(`  ${load.ms.toFixed(0).padStart(6)} ms  peak RSS ${peakRssMb()} MB  ${load.value.slice(0, 110)}`);
  });
} else {
  const megabytes = Number(process.argv[2] ?? 250);
  const dir = await mkdtemp(path.join(tmpdir(), 'cms-ingest-oversized-'));
  try {
    console.log(machine());
    const line = path.join(dir, 'line', 'rvu25d.zip');
    const field = path.join(dir, 'field', 'rvu25d.zip');
    execFileSync('mkdir', ['-p', path.dirname(line), path.dirname(field)]);
    await writeFile(line, zipSync({ 'PPRRVU2025_Oct.csv': Buffer.alloc(megabytes * 1024 * 1024, 'x') }, { level: 9 }));
    const csv = (await readFile(EXCERPT)).toString('latin1').replace('CPT descriptor withheld 99213', `"${'z'.repeat(50 * 1024 * 1024)}"`);
    await writeFile(field, zipSync({ 'PPRRVU2025_Oct.csv': Buffer.from(csv, 'latin1') }, { level: 9 }));
    for (const [label, zip] of [[`one ${megabytes} MB line`, line], ['one 50 MB field', field]] as const) {
      const { size } = await import('node:fs').then((fs) => fs.statSync(zip));
      console.log(`${label} (${(size / 1024).toFixed(0)} KB zipped):`);
      process.stdout.write(execFileSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--child', zip], { env: process.env }));
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
