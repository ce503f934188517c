/**
 * Where the change feed's time goes (issue 14), run on demand, never in the tests:
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
 *     npx tsx bench/feed-parts.ts <older release zip> <newer release zip> [--runs 7]
 *
 * Loads the two releases into a scratch database (the second load writes the feed), keeps the
 * feed's rows aside, then times, run by run in turn, each in a transaction that is rolled back
 * (and the table written vacuumed after it, as a load finds it):
 * - the feed as the load writes it (writeChangeFeed, every dataset);
 * - computing its rows only: each dataset's SELECT under EXPLAIN (ANALYZE, TIMING OFF), which
 *   builds every row (key, fields) and stores none;
 * - the join and the changed-pair filter only: `select 1` with the same FROM and WHERE;
 * - storing only: the same rows, computed beforehand, inserted into cms.code_change;
 * - storing into a copy of cms.code_change without its indexes (identity and checks kept), and
 *   into one without the identity either;
 * - the feed's statements with JIT forced on (jit_above_cost 0), and with optimisation and
 *   inlining as well: what the statements would cost if the planner chose to JIT them.
 * Wall min / median, and the backend's CPU time (mean; a local server only), as bench/diff.ts.
 */
import { parseArgs } from 'node:util';
import { sql, type Kysely } from 'kysely';
import { families } from '../pipelines/index.js';
import { migrate } from '../src/db/migrate.js';
import { openPostgres } from '../src/db/postgres.js';
import { writeChangeFeed } from '../src/diff/feed.js';
import { planDiff } from '../src/diff/plan.js';
import { feedInsert } from '../src/diff/queries/feed.js';
import { importSetup } from '../src/index.js';
import { feedPredecessor } from '../src/releases/history.js';
import { importRelease } from '../src/releases/import.js';
import { loadedReleases } from '../src/releases/registry.js';
import { backendCpu, mean, median, ms, withScratchDatabase } from './support.js';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { runs: { type: 'string', default: '7' } } });
if (positionals.length !== 2) {
  console.error('usage: npx tsx bench/feed-parts.ts <older.zip> <newer.zip> [--runs N]');
  process.exit(2);
}
const runs = Number(values.runs);
const COLUMNS = 'family, dataset, from_release_id, to_release_id, hcpcs, modifier, key, change, fields, tags';
/** Thrown to roll a timing transaction back. */
class RollBack extends Error {}

await withScratchDatabase(async (url) => {
  const database = await openPostgres(url);
  try {
    await migrate(database.db);
    const codes: string[] = [];
    for (const source of positionals) codes.push((await importRelease(database, importSetup, source)).code);
    const releases = await loadedReleases(database.db);
    const to = releases.find((release) => release.code === codes[1] && release.status === 'active')!;
    const family = families.find((candidate) => candidate.name === to.family)!;

    // each dataset's statement as the feed runs it, its parameters written in (they are release ids and names)
    const statements: { dataset: string; insert: string }[] = [];
    for (const dataset of family.datasets.filter((candidate) => to.datasets.includes(candidate.name))) {
      const previous = feedPredecessor(releases, to, dataset.name);
      if (!previous) continue;
      const plan = await planDiff(database.db, dataset, previous.id, to.id, { releaseValues: false });
      const compiled = feedInsert(plan, { family: family.name, dataset: dataset.table, fromId: previous.id, toId: to.id }).compile(database.db);
      const text = compiled.sql.replace(/\$(\d+)/g, (_, index: string) => `'${String(compiled.parameters[Number(index) - 1]).replace(/'/g, "''")}'`);
      statements.push({ dataset: dataset.table, insert: text });
    }
    const select = (insert: string) => insert.replace(/^\s*insert into cms\.code_change \([^)]*\)\s*/, '');
    const joinOnly = (insert: string) => `select 1 ${insert.slice(insert.indexOf('from (select * from'))}`;

    // the load's rows, kept aside for the storing-only rounds; copies of the table without indexes
    await sql.raw(`create table public.feed_rows as select ${COLUMNS} from cms.code_change where to_release_id = ${to.id}`).execute(database.db);
    await sql.raw(`create table public.feed_no_index (like cms.code_change including defaults including identity including constraints)`).execute(database.db);
    await sql.raw(`create table public.feed_no_identity (like cms.code_change including defaults including constraints)`).execute(database.db);
    await sql.raw(`alter table public.feed_no_identity alter column id set default 0`).execute(database.db);
    await sql`delete from cms.code_change where to_release_id = ${to.id}::bigint`.execute(database.db);
    const count = await sql<{ rows: number }>`select count(*)::int as rows from public.feed_rows`.execute(database.db);

    const store = (table: string) => async (db: Kysely<any>) => {
      await sql.raw(`insert into ${table} (${COLUMNS}) select ${COLUMNS} from public.feed_rows`).execute(db);
    };
    const each = (make: (insert: string) => string, settings: string[] = []) => async (db: Kysely<any>) => {
      for (const setting of settings) await sql.raw(setting).execute(db);
      for (const { insert } of statements) await sql.raw(make(insert)).execute(db);
    };
    const cases: { label: string; table?: string; run: (db: Kysely<any>) => Promise<void> }[] = [
      { label: 'the feed as the load writes it', table: 'cms.code_change', run: (db) => writeChangeFeed(db, family, to.id).then(() => undefined) },
      { label: 'computing its rows only (EXPLAIN ANALYZE)', run: each((insert) => `explain (analyze, timing off, costs off) ${select(insert)}`) },
      { label: '  …the join and the filter only (select 1)', run: each((insert) => `explain (analyze, timing off, costs off) ${joinOnly(insert)}`) },
      { label: 'storing them only, into cms.code_change', table: 'cms.code_change', run: store('cms.code_change') },
      { label: '  …into a copy without indexes', table: 'public.feed_no_index', run: store('public.feed_no_index') },
      { label: '  …and without the identity', table: 'public.feed_no_identity', run: store('public.feed_no_identity') },
      { label: 'the feed statements, JIT forced', table: 'cms.code_change', run: each((insert) => insert, ['set local jit = on', 'set local jit_above_cost = 0']) },
      {
        label: '  …with optimisation and inlining',
        table: 'cms.code_change',
        run: each((insert) => insert, ['set local jit = on', 'set local jit_above_cost = 0', 'set local jit_optimize_above_cost = 0', 'set local jit_inline_above_cost = 0']),
      },
    ];
    const walls = cases.map(() => [] as number[]);
    const cpus = cases.map(() => [] as number[]);
    for (let round = 0; round < runs; round++) {
      for (const [index, { table, run }] of cases.entries()) {
        await database
          .transaction(async (tx) => {
            const backend = await backendCpu(tx.db);
            const cpuStarted = backend?.();
            const started = performance.now();
            await run(tx.db);
            walls[index]!.push(performance.now() - started);
            if (backend && cpuStarted !== undefined) cpus[index]!.push(backend() - cpuStarted);
            throw new RollBack();
          })
          .catch((error: unknown) => {
            if (!(error instanceof RollBack)) throw error;
          });
        if (table) await sql.raw(`vacuum ${table}`).execute(database.db);
      }
    }
    console.log(`${codes[1]} on top of ${codes[0]}: ${count.rows[0]!.rows} feed rows (${statements.map((statement) => statement.dataset).join(', ')}), ${runs} runs\n`);
    for (const [index, { label }] of cases.entries()) {
      const cpu = cpus[index]!.length === 0 ? '' : `; server CPU mean ${ms(mean(cpus[index]!))}`;
      console.log(`${label.padEnd(44)} min ${ms(Math.min(...walls[index]!))}, median ${ms(median(walls[index]!))}${cpu}`);
    }
  } finally {
    await database.close();
  }
});
