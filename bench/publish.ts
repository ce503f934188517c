/**
 * Publish benchmark: `npx tsx bench/publish.ts <older zip> <newer zip> [MAC-LOC]`
 *
 * Loads both releases into a fresh PostgreSQL source database, then times `cms-ingest publish`
 * as a user runs it — one whole process — into a fresh target database: the first publish, a
 * second one with nothing new (a no-op), and a forced rebuild. Reports each process's wall time
 * and the swap (how long readers' views were locked), as the command reports it.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { importRelease, openDatabase, resolveConfig, type PublishTargetResult } from '../src/index.js';
import { machine, withScratchDatabase } from './support.js';

const BIN = fileURLToPath(new URL('../bin/cms-ingest.js', import.meta.url));

function publishProcess(source: string, target: string, extra: string[]): { ms: number; result: PublishTargetResult } {
  const started = performance.now();
  const stdout = execFileSync(process.execPath, [BIN, 'publish', '--to', target, '--json', ...extra], {
    env: { ...process.env, DATABASE_URL: source },
    encoding: 'utf8',
  });
  const ms = performance.now() - started;
  return { ms, result: (JSON.parse(stdout) as PublishTargetResult[])[0]! };
}

const [older, newer, locality] = process.argv.slice(2);
if (!older || !newer) {
  console.error('usage: npx tsx bench/publish.ts <older release zip> <newer release zip> [MAC-LOCALITY]');
  process.exit(2);
}
console.log(`machine: ${machine()}`);
await withScratchDatabase((source) =>
  withScratchDatabase(async (target) => {
    const database = await openDatabase(resolveConfig({ databaseUrl: source }));
    try {
      await importRelease(database, older);
      await importRelease(database, newer);
    } finally {
      await database.close();
    }
    const extra = locality ? ['--payment-localities', locality] : [];
    for (const [label, flags] of [['first publish', extra], ['nothing new', extra], ['--force', [...extra, '--force']]] as const) {
      const { ms, result } = publishProcess(source, target, [...flags]);
      const rows = result.tables.map((table) => `${table.name} ${table.rows}`).join(', ');
      console.log(`${label.padEnd(14)} ${result.outcome.padEnd(10)} process ${ms.toFixed(0)} ms, swap ${result.swapMs.toFixed(1)} ms  (${rows})`);
    }
  }),
);
