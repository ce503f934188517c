/**
 * Start-up benchmark, as a user waits for it: `npx tsx bench/startup.ts [--runs 7]`.
 *
 * Each command is a whole `node bin/cms-ingest.js …` process (the build in dist/; run
 * `npm run build` first), timed from spawn to exit, against `node -e 0`:
 * `--help`, `--version`, `releases` on PostgreSQL (a migrated scratch database) and on the
 * embedded database, and `sync` when nothing is new on the demo site (fixtures/cms-site served
 * locally; everything already loaded and cached, so every file answers 304), on both databases.
 * Prints min and median of `--runs` (default 7), and the ratio of each median to `node -e 0`.
 * Targets (issue 14): `--help` and `releases` within 4× of `node -e 0`; a no-op sync under 0.6 s.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DEMO_SITE, startSiteServer } from '../src/index.js';
import { machine, withScratchDatabase } from './support.js';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '7' } } });
const runs = Number(values.runs);
const CLI = path.join(import.meta.dirname, '..', 'bin', 'cms-ingest.js');

function run(args: string[], env: NodeJS.ProcessEnv = {}): number {
  const started = performance.now();
  const result = spawnSync(process.execPath, args, { env: { ...process.env, DATABASE_URL: '', ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = performance.now() - started;
  if (result.status !== 0) throw new Error(`${args.join(' ')} exited ${result.status}: ${result.stderr.toString()}`);
  return ms;
}

function stats(samples: number[]): { min: number; median: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  return { min: sorted[0]!, median: sorted[Math.floor(sorted.length / 2)]! };
}

const home = await mkdtemp(path.join(tmpdir(), 'cms-bench-startup-'));
const site = await startSiteServer({ root: DEMO_SITE, port: 0 });
try {
  await withScratchDatabase(async (url) => {
    const cache = path.join(home, 'cache');
    const sync = ['sync', '--mirror', site.url, '--since', '2000', '--cache', cache, '--quiet'];
    // Everything loaded and cached once, on both databases, before anything is timed.
    run([CLI, ...sync], { CMS_INGEST_HOME: home });
    run([CLI, ...sync, '--database-url', url], { CMS_INGEST_HOME: home });

    const cases: [string, string[], NodeJS.ProcessEnv][] = [
      ['node -e 0', ['-e', '0'], {}],
      ['cms-ingest --help', [CLI, '--help'], {}],
      ['cms-ingest --version', [CLI, '--version'], {}],
      ['cms-ingest releases (PostgreSQL)', [CLI, 'releases', '--database-url', url], {}],
      ['cms-ingest releases (embedded)', [CLI, 'releases'], { CMS_INGEST_HOME: home }],
      ['cms-ingest sync, nothing new (PostgreSQL)', [CLI, ...sync, '--database-url', url], { CMS_INGEST_HOME: home }],
      ['cms-ingest sync, nothing new (embedded)', [CLI, ...sync], { CMS_INGEST_HOME: home }],
    ];
    const samples = new Map(cases.map(([label]) => [label, [] as number[]]));
    // Interleaved, so that a busy moment of a shared machine does not fall on one command only.
    for (let round = 0; round < runs; round++) {
      for (const [label, args, env] of cases) samples.get(label)!.push(run(args, env));
    }
    const baseline = stats(samples.get('node -e 0')!).median;
    console.log(`machine: ${machine()}; ${runs} runs each, interleaved\n`);
    for (const [label] of cases) {
      const { min, median } = stats(samples.get(label)!);
      console.log(`${label.padEnd(44)} min ${min.toFixed(0).padStart(5)} ms  median ${median.toFixed(0).padStart(5)} ms  ${(median / baseline).toFixed(1).padStart(5)}× node -e 0`);
    }
  });
} finally {
  await site.close();
  await rm(home, { recursive: true, force: true });
}
