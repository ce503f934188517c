/**
 * Start-up benchmark, as a user waits for it: `npx tsx bench/startup.ts [--runs 7]`.
 *
 * Each command is a whole `node bin/cms-ingest.js …` process (the build in dist/; run
 * `npm run build` first), timed from spawn to exit, against `node -e 0`:
 * `--help`, `releases` on PostgreSQL (a migrated scratch database) and on the
 * embedded database (as a command leaves it, and with nothing remembered: src/releases/remembered.ts),
 * and `sync` when nothing is new on the demo site (fixtures/cms-site served
 * locally; everything already loaded and cached, so every file answers 304), on both databases.
 * `--compare <other checkout>/bin/cms-ingest.js` adds the same commands of another build (each with
 * its own database), timed in the same rounds. Prints min and median of `--runs` (default 7), and
 * the ratio of each median to `node -e 0`.
 * Targets (issue 14): `--help` and `releases` within 4× of `node -e 0`; a no-op sync under 0.6 s.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DEMO_SITE, startSiteServer } from '../src/index.js';
import { machine, withScratchDatabase } from './support.js';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '7' }, compare: { type: 'string' } } });
const runs = Number(values.runs);
const CLI = path.join(import.meta.dirname, '..', 'bin', 'cms-ingest.js');
/** `--compare <other checkout>/bin/cms-ingest.js`: the same commands of another build, timed in the same rounds. */
const sides: { label: string; cli: string }[] = [{ label: '', cli: CLI }, ...(values.compare ? [{ label: ` [${values.compare}]`, cli: values.compare }] : [])];
/** One whole process, spawn to exit (asynchronously: the demo site it talks to is served by this process). */
function run(args: string[], env: NodeJS.ProcessEnv = {}): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, args, { env: { ...process.env, DATABASE_URL: '', ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(performance.now() - started);
      else reject(new Error(`${args.join(' ')} exited ${code}: ${stderr}`));
    });
  });
}

function stats(samples: number[]): { min: number; median: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  return { min: sorted[0]!, median: sorted[Math.floor(sorted.length / 2)]! };
}

const site = await startSiteServer({ root: DEMO_SITE, port: 0 });
const homes: string[] = [];
try {
  /** label, node's arguments, environment, and what to do before each run (untimed) */
  const cases: [string, string[], NodeJS.ProcessEnv, (() => Promise<void>)?][] = [['node -e 0', ['-e', '0'], {}]];
  const scratch: Promise<void>[] = [];
  let ready!: () => void;
  const allReady = new Promise<void>((resolve) => (ready = resolve));
  let pending = sides.length;
  let finish!: () => void;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  for (const side of sides) {
    // each side gets its own database and home: two builds may know different migrations
    scratch.push(
      withScratchDatabase(async (url) => {
        const home = await mkdtemp(path.join(tmpdir(), 'cms-bench-startup-'));
        homes.push(home);
        const sync = ['sync', '--mirror', site.url, '--since', '2000', '--cache', path.join(home, 'cache'), '--quiet'];
        // Everything loaded and cached once, on both databases, before anything is timed.
        await run([side.cli, ...sync], { CMS_INGEST_HOME: home });
        await run([side.cli, ...sync, '--database-url', url], { CMS_INGEST_HOME: home });
        cases.push(
          [`cms-ingest --help${side.label}`, [side.cli, '--help'], {}],
          [`cms-ingest releases (PostgreSQL)${side.label}`, [side.cli, 'releases', '--database-url', url], {}],
          [`cms-ingest releases (embedded)${side.label}`, [side.cli, 'releases'], { CMS_INGEST_HOME: home }],
          // as after a program other than the CLI (the API) opened the database: nothing remembered
          [`cms-ingest releases (embedded, nothing remembered)${side.label}`, [side.cli, 'releases'], { CMS_INGEST_HOME: home }, () => rm(path.join(home, 'releases.json'), { force: true })],
          [`cms-ingest sync, nothing new (PostgreSQL)${side.label}`, [side.cli, ...sync, '--database-url', url], { CMS_INGEST_HOME: home }],
          [`cms-ingest sync, nothing new (embedded)${side.label}`, [side.cli, ...sync], { CMS_INGEST_HOME: home }],
        );
        if (--pending === 0) ready();
        await finished;
      }),
    );
  }
  await allReady;
  try {
    const samples = new Map(cases.map(([label]) => [label, [] as number[]]));
    // Interleaved, so that a busy moment of a shared machine does not fall on one command only.
    for (let round = 0; round < runs; round++) {
      for (const [label, args, env, before] of cases) {
        await before?.();
        samples.get(label)!.push(await run(args, env));
      }
    }
    const baseline = stats(samples.get('node -e 0')!).median;
    console.log(`machine: ${machine()}; ${runs} runs each, interleaved\n`);
    for (const [label] of [...cases].sort(([a], [b]) => (a === 'node -e 0' ? -1 : b === 'node -e 0' ? 1 : a.localeCompare(b)))) {
      const { min, median } = stats(samples.get(label)!);
      console.log(`${label.padEnd(60)} min ${min.toFixed(0).padStart(5)} ms  median ${median.toFixed(0).padStart(5)} ms  ${(median / baseline).toFixed(1).padStart(5)}× node -e 0`);
    }
  } finally {
    finish();
    await Promise.all(scratch);
  }
} finally {
  await site.close();
  for (const home of homes) await rm(home, { recursive: true, force: true });
}
