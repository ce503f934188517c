/**
 * The client's read path of an import, without a database: `npx tsx bench/read-path.ts [--runs 5]
 * [--rounds 3] <release zip, folder or file>`.
 *
 * Each run is a fresh process that reads every dataset of the release as an import does (inflate,
 * decode, split, validate and normalise, the key check, COPY text encoding) and throws the text
 * away, `--rounds` times in a row. The first round runs with a cold JIT, as in a `cms-ingest
 * import` process; the later ones with a warm one, as in a long-lived API caller. Their difference
 * is what V8's warm-up costs a one-shot process (issue 14: the whole-process import against
 * `psql \copy`). Prints min and median of the cold round and of the warm rounds, per dataset.
 */
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { families } from '../pipelines/index.js';
import { openArchive } from '../src/archive/archive.js';
import { keyedText, type LoadReporter } from '../src/releases/load.js';
import { planRelease } from '../src/releases/plan.js';
import { machine } from './support.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { runs: { type: 'string', default: '5' }, rounds: { type: 'string', default: '3' }, child: { type: 'boolean', default: false } },
});
const source = positionals[0];
if (!source) {
  console.error('usage: npx tsx bench/read-path.ts [--runs 5] [--rounds 3] <release zip, folder or file>');
  process.exit(2);
}

/** One round: every dataset's first file read to COPY text, by the load's own code; ms per dataset. */
async function readRelease(): Promise<Record<string, number>> {
  const archive = await openArchive(source!);
  const plan = planRelease(archive, families);
  const reporter: LoadReporter = { warn: () => undefined, fact: () => undefined, release: plan.identity.code };
  const times: Record<string, number> = {};
  for (const { dataset, files } of plan.datasets) {
    const started = performance.now();
    // the text as the COPY would get it, turned into the bytes it sends
    for await (const chunk of keyedText(dataset, files[0]!, reporter, '1', false, { rows: 0 })) Buffer.from(chunk);
    times[dataset.name] = performance.now() - started;
  }
  await archive.close();
  return times;
}

if (values.child) {
  const rounds: Record<string, number>[] = [];
  for (let round = 0; round < Number(values.rounds); round++) rounds.push(await readRelease());
  process.stdout.write(JSON.stringify(rounds));
} else {
  const cold: Record<string, number>[] = [];
  const warm: Record<string, number>[] = [];
  for (let run = 0; run < Number(values.runs); run++) {
    const child = spawnSync(process.execPath, [...process.execArgv, import.meta.filename, '--child', '--rounds', values.rounds!, source], { encoding: 'utf8' });
    if (child.status !== 0) throw new Error(`the read failed: ${child.stderr}`);
    const rounds = JSON.parse(child.stdout) as Record<string, number>[];
    cold.push(rounds[0]!);
    warm.push(...rounds.slice(1));
  }
  const total = (times: Record<string, number>): number => Object.values(times).reduce((sum, ms) => sum + ms, 0);
  const summary = (samples: number[]): string => {
    const sorted = [...samples].sort((a, b) => a - b);
    return `min ${sorted[0]!.toFixed(0).padStart(4)} ms  median ${sorted[Math.floor((sorted.length - 1) / 2)]!.toFixed(0).padStart(4)} ms`;
  };
  console.log(`machine: ${machine()}`);
  console.log(`${source}: ${values.runs} processes, ${values.rounds} rounds each`);
  for (const [label, samples] of [['cold (first round)', cold], ['warm (later rounds)', warm]] as const) {
    if (samples.length === 0) continue;
    const datasets = Object.keys(samples[0]!).map((name) => `${name} ${summary(samples.map((times) => times[name]!)).replace(/ {2,}/g, ' ')}`);
    console.log(`  ${label.padEnd(20)} all ${summary(samples.map(total))}   (${datasets.join('; ')})`);
  }
}
