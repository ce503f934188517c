/**
 * Database time of a full PPRRVU diff (≈ 19k × 19k rows), run on demand, never in the tests:
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
 *     npx tsx bench/diff.ts <older release zip> <newer release zip> [--runs 7] [--dataset pprrvu] [--keep]
 *
 * Creates a fresh database on the server of DATABASE_URL (or TEST_DATABASE_URL), loads the two
 * releases (the second load writes the change feed), then times each statement of the diff with
 * EXPLAIN (ANALYZE) — planning + execution, the median of `--runs` — and the whole `diffReleases`
 * call as the client sees it. Target: the statements of one full diff under 300 ms in total.
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { CompiledQuery, sql, type Kysely, type RawBuilder } from 'kysely';
import pg from 'pg';
import * as feedConstraints from '../migrations/0006_code_change_feed_speed.js';
import { families } from '../pipelines/index.js';
import { migrate } from '../src/db/migrate.js';
import { openPostgres } from '../src/db/postgres.js';
import type { Database } from '../src/db/database.js';
import { diffReleases } from '../src/diff/diff.js';
import { writeChangeFeed } from '../src/diff/feed.js';
import { chooseDataset } from '../src/diff/options.js';
import { planDiff } from '../src/diff/plan.js';
import { changesSelect } from '../src/diff/queries/changes.js';
import { countsSelect } from '../src/diff/queries/counts.js';
import { movesSelect } from '../src/diff/queries/moves.js';
import { importSetup } from '../src/index.js';
import { importRelease } from '../src/releases/import.js';
import { loadedReleases } from '../src/releases/registry.js';
import { writeChangeFeedBefore } from './feed-before.js';
import { backendCpu, mean, median, ms } from './support.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { runs: { type: 'string', default: '7' }, dataset: { type: 'string' }, keep: { type: 'boolean', default: false } },
});
if (positionals.length !== 2) {
  console.error('usage: npx tsx bench/diff.ts <older.zip> <newer.zip> [--runs N] [--dataset NAME] [--keep]');
  process.exit(2);
}
const admin = process.env.DATABASE_URL || process.env.TEST_DATABASE_URL;
if (!admin) {
  console.error('set DATABASE_URL (or TEST_DATABASE_URL) to a PostgreSQL server the bench may create a database on');
  process.exit(2);
}
const runs = Number(values.runs);
/** Thrown to roll a timing transaction back. */
class RollBack extends Error {}

const name = `cms_ingest_bench_${randomBytes(4).toString('hex')}`;
await adminQuery(`create database ${name}`);
const url = new URL(admin);
url.pathname = `/${name}`;
const database = await openPostgres(url.toString());
try {
  await migrate(database.db);
  const loaded = [];
  for (const source of positionals) {
    const started = performance.now();
    const result = await importRelease(database, importSetup, source);
    loaded.push(result);
    console.log(
      `loaded ${result.code} (${result.datasets.map((d) => `${d.dataset} ${d.rows}`).join(', ')}) in ${ms(performance.now() - started)}, change feed included`,
    );
  }
  const [older, newer] = loaded.map((result) => result.code) as [string, string];
  const feedRows = await database.db.executeQuery<{ dataset: string; change: string; rows: string }>(
    CompiledQuery.raw(`select dataset, change, count(*)::text as rows from cms.code_change group by 1, 2 order by 1, 2`),
  );
  console.log(`change feed written by the second load: ${feedRows.rows.map((row) => `${row.dataset} ${row.change} ${row.rows}`).join(', ')}`);

  const releases = await loadedReleases(database.db);
  const [from, to] = [older, newer].map((code) => releases.find((release) => release.code === code && release.status === 'active')!);
  const family = families.find((candidate) => candidate.name === from!.family)!;
  const dataset = chooseDataset(family, values.dataset);
  // What diffReleases does before the comparison: the registry, the table's columns and the
  // release-wide/layout column facts (timed as the client sees them, round trips included).
  const planWalls: number[] = [];
  let plan = await planDiff(database.db, dataset, from!.id, to!.id);
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    await loadedReleases(database.db);
    plan = await planDiff(database.db, dataset, from!.id, to!.id);
    planWalls.push(performance.now() - started);
  }
  const rows = await database.db.executeQuery<{ n: string }>(
    CompiledQuery.raw(`select count(*)::text as n from cms.${dataset.table} where release_id in ($1, $2) group by release_id order by release_id`, [from!.id, to!.id]),
  );
  console.log(`\n${dataset.table}: ${rows.rows.map((row) => row.n).join(' × ')} rows, ${plan.compared.length} compared columns, ${runs} runs (median)\n`);

  const statements: [string, RawBuilder<unknown>][] = [
    ['counts (added/removed/changed, per field)', countsSelect(plan, from!.id, to!.id)],
    ['largest moves', movesSelect(plan, from!.id, to!.id, 10)],
    ['changes (every key, its fields as JSON)', changesSelect(plan, from!.id, to!.id)],
  ];
  let total = median(planWalls);
  console.log(`${'registry, columns, release-wide values (wall)'.padEnd(44)} ${ms(total).padStart(9)}`);
  for (const [label, statement] of statements) {
    const timing = await explainAnalyze(database, statement, runs);
    total += timing.planning + timing.execution;
    console.log(`${label.padEnd(44)} planning ${ms(timing.planning).padStart(9)}  execution ${ms(timing.execution).padStart(9)}  rows ${timing.rows}`);
  }
  console.log(`${'database time of one full diff'.padEnd(44)} ${ms(total).padStart(9)} (target < 300 ms)`);

  // The change feed of the second load, written again inside a transaction that is rolled back;
  // alternately by the writer as it was before the feed statement was last reworked (bench/feed-before.ts)
  // and with the table's constraints as they were before migration 0006 (its `down`, in the same
  // rolled-back transaction), so every side is measured in the same run.
  // The load's rows are deleted first and the table vacuumed before each round, so that each round
  // writes into indexes without the dead entries of the previous (rolled-back) round, as a load does.
  // With a local server, the backend's CPU time (/proc) is reported too: on a shared machine the wall
  // time is mostly waiting for a core.
  await sql`delete from cms.code_change where to_release_id = ${to!.id}::bigint`.execute(database.db);
  const feedWalls = { now: [] as number[], before: [] as number[], before0006: [] as number[] };
  const feedCpu = { now: [] as number[], before: [] as number[], before0006: [] as number[] };
  let feedRowsWritten = 0;
  const feedDigests = new Set<string>();
  for (let run = 0; run < runs; run++) {
    for (const side of ['now', 'before', 'before0006'] as const) {
      await sql`vacuum cms.code_change`.execute(database.db);
      await database
        .transaction(async (tx) => {
          if (side === 'before0006') await feedConstraints.down(tx.db as Kysely<any>);
          const backend = await backendCpu(tx.db);
          const cpuStarted = backend?.();
          const started = performance.now();
          if (side === 'before') {
            const rows = await writeChangeFeedBefore(tx.db, family, to!.id);
            feedWalls[side].push(performance.now() - started);
            if (rows !== feedRowsWritten) throw new Error(`the writer before wrote ${rows} rows, the current one ${feedRowsWritten}`);
          } else {
            const written = await writeChangeFeed(tx.db, family, to!.id);
            feedWalls[side].push(performance.now() - started);
            feedRowsWritten = written.reduce((sum, entry) => sum + entry.rows, 0);
          }
          if (backend && cpuStarted !== undefined) feedCpu[side].push(backend() - cpuStarted);
          // the same rows from every writer: an md5 over every column but the identity `id`
          const digest = await sql<{ md5: string; rows: number }>`
            select md5(string_agg(row(family, dataset, from_release_id, to_release_id, hcpcs, modifier, key, change, fields, tags)::text, e'\n'
              order by dataset, key::text collate "C")) as md5, count(*)::int as rows
            from cms.code_change where to_release_id = ${to!.id}::bigint`.execute(tx.db);
          feedDigests.add(`${digest.rows[0]!.md5} (${digest.rows[0]!.rows} rows)`);
          throw new RollBack();
        })
        .catch((error: unknown) => {
          if (!(error instanceof RollBack)) throw error;
        });
    }
  }
  const spread = (values: number[]) => `min ${ms(Math.min(...values))}, median ${ms(median(values))}`;
  const cpu = (side: keyof typeof feedCpu) => (feedCpu[side].length === 0 ? '' : `; server CPU mean ${ms(mean(feedCpu[side]))}`);
  console.log(`${'change feed of the load, every dataset (wall)'.padEnd(44)} ${spread(feedWalls.now)}${cpu('now')} (${feedRowsWritten} rows; target < 150 ms)`);
  console.log(
    `${'  …the writer before (bench/feed-before.ts)'.padEnd(44)} ${spread(feedWalls.before)}${cpu('before')} (ratio of medians now/before ${(median(feedWalls.now) / median(feedWalls.before)).toFixed(2)}` +
      `${feedCpu.now.length > 0 ? `, of CPU means ${(mean(feedCpu.now) / mean(feedCpu.before)).toFixed(2)}` : ''})`,
  );
  console.log(`${'  …with the constraints before 0006'.padEnd(44)} ${spread(feedWalls.before0006)}${cpu('before0006')}`);
  if (feedDigests.size !== 1) throw new Error(`the writers wrote different rows: ${[...feedDigests].join(', ')}`);
  console.log(`${'  …the rows, every writer (md5 but id)'.padEnd(44)} ${[...feedDigests][0]}`);

  const walls: number[] = [];
  let changes = 0;
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    const diff = await diffReleases(database.db, families, older, newer, { dataset: values.dataset });
    walls.push(performance.now() - started);
    changes = diff.changes.length;
  }
  console.log(`${'diffReleases() as the client sees it'.padEnd(44)} ${ms(median(walls)).padStart(9)} (${changes} changes, JSON decoded)`);
} finally {
  await database.close();
  if (values.keep) console.log(`kept database ${name}`);
  else await adminQuery(`drop database if exists ${name} with (force)`);
}

async function explainAnalyze(db: Database, statement: RawBuilder<unknown>, count: number) {
  const compiled = statement.compile(db.db);
  const planning: number[] = [];
  const execution: number[] = [];
  let rows = 0;
  for (let run = 0; run < count; run++) {
    const result = await db.db.executeQuery<{ 'QUERY PLAN': [{ 'Planning Time': number; 'Execution Time': number; Plan: { 'Actual Rows': number } }] }>(
      CompiledQuery.raw(`explain (analyze, format json) ${compiled.sql}`, [...compiled.parameters]),
    );
    const plan = result.rows[0]!['QUERY PLAN'][0];
    planning.push(plan['Planning Time']);
    execution.push(plan['Execution Time']);
    rows = plan.Plan['Actual Rows'];
  }
  return { planning: median(planning), execution: median(execution), rows };
}

async function adminQuery(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}
