/**
 * The PostgreSQL destination. Readers query views in the published schema (`cms_catalog.code_catalog`
 * …); the data behind them lives in a schema of its own per publish (`cms_catalog__20261201T213000_ab12`).
 * A publish builds the new data schema beside the old one (COPY, keys, indexes, ANALYZE: the
 * target works on one table while the source computes the next) and,
 * in the same transaction, re-points every view at it and appends to `publish_log`, then commits:
 * a reader sees the old complete tables or the new complete tables. The views keep their identity
 * (CREATE OR REPLACE VIEW), so readers' grants on them and readers' own views over them survive.
 * The only lock readers can feel is the views' exclusive lock, taken with NOWAIT (retried) right
 * before the commit and held for the few milliseconds the swap takes.
 */
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Database, Transaction } from '../db/database.js';
import type { Schema } from '../db/schema.js';
import { quoteIdentifier } from '../db/pool.js';
import { openPostgres } from '../db/postgres.js';
import { errorMessage } from '../errors.js';
import { InFlight } from '../db/in-flight.js';
import { readAhead } from '../db/read-ahead.js';
import { digesting, type Digest } from './digest.js';
import type { Snapshot, SnapshotTable } from './snapshot.js';
import type { PublishedTableResult, PublishStep } from './types.js';

export interface PostgresTargetOptions {
  readonly url: string;
  readonly schema: string;
  readonly force: boolean;
  /** where the snapshot came from, for publish_log (no credentials) */
  readonly sourceLocation: string;
  /** called between steps (tests inject failures here) */
  readonly onStep?: (step: PublishStep) => Promise<void> | void;
}

export interface PostgresPublishOutcome {
  readonly outcome: 'published' | 'unchanged';
  readonly tables: readonly PublishedTableResult[];
  readonly dataSchema: string;
  /** how long the views' exclusive lock was held, ms */
  readonly swapMs: number;
}

const LOG_TABLE = 'publish_log';
const NOWAIT_ATTEMPTS = 50;
const NOWAIT_PAUSE_MS = 20;

export async function publishToPostgres(snapshot: Snapshot, options: PostgresTargetOptions): Promise<PostgresPublishOutcome> {
  // An empty source — a new embedded home, a forgotten --database-url — would publish empty
  // tables over what the target serves. Never useful, so never done.
  if (snapshot.releases.length === 0) {
    throw new Error(
      `the source (${options.sourceLocation}) has no release loaded: publishing it would replace what ${options.schema} serves with empty tables; ` +
        `nothing was changed (load releases first, or check --database-url)`,
    );
  }
  const target = await openPostgres(options.url);
  try {
    const last = await lastPublish(target.db, options.schema);
    if (last) {
      const changed = await changedOutside(target, options.schema, last, snapshot);
      // --force rebuilds every table and re-points every view: it replaces what someone changed.
      if (changed !== undefined && !options.force) throw new Error(`${changed}; nothing was changed (publish --force replaces it with a fresh copy)`);
    }
    if (last && last.signature === snapshot.signature && !options.force) {
      return { outcome: 'unchanged', tables: last.tables, dataSchema: last.data_schema, swapMs: 0 };
    }
    const dataSchema = `${options.schema}__${stamp()}`;
    const result = await target.transaction(async (tx) => {
      await sql`create schema ${sql.id(dataSchema)}`.execute(tx.db);
      const tables: PublishedTableResult[] = [];
      // The target builds one table's key and indexes and analyses it while the source computes
      // the next table's rows (the catalog view, the payments): two servers at work, not one.
      const inFlight = new InFlight();
      for (const table of snapshot.tables) {
        const mark = inFlight.sent;
        try {
          tables.push(await stageTable(tx, dataSchema, table, inFlight));
        } catch (error) {
          // A target statement sent before this table that failed is what went wrong first.
          await inFlight.failedAfter(mark, error);
        }
      }
      await inFlight.settle();
      await options.onStep?.('staged');
      const swapMs = await swap(tx, options.schema, dataSchema, snapshot, tables, options);
      return { tables, swapMs };
    });
    await dropOldDataSchemas(target, options.schema, dataSchema);
    return { outcome: 'published', tables: result.tables, dataSchema, swapMs: result.swapMs };
  } finally {
    await target.close();
  }
}

/** COPY text read from the source ahead of the target's COPY, at most (src/db/read-ahead.ts). */
const READ_AHEAD_BYTES = 8 << 20;

/**
 * Stage one table: its statements on the target join `inFlight`, and this returns once the
 * source has produced all of its rows (sent to the target, or held in the read-ahead), so that the
 * source's single connection runs one COPY at a time.
 */
async function stageTable(tx: Transaction, dataSchema: string, table: SnapshotTable, inFlight: InFlight): Promise<PublishedTableResult> {
  const qualified = sql`${sql.id(dataSchema)}.${sql.id(table.name)}`;
  const columns = table.columns.map((column) => sql`${sql.id(column.name)} ${sql.raw(column.type)}`);
  inFlight.add(() => sql`create table ${qualified} (${sql.join(columns)})`.execute(tx.db));
  const digest: Digest = { rows: 0, sha256: '' };
  const text = readAhead(digesting(table.copy(), digest), READ_AHEAD_BYTES, inFlight.failed);
  inFlight.add(() => tx.copyText(`${dataSchema}.${table.name}`, table.columns.map((column) => column.name), text));
  await text.done;
  inFlight.add(() => sql`alter table ${qualified} add primary key (${sql.join(table.key.map((column) => sql.id(column)))})`.execute(tx.db));
  for (const index of table.indexes) {
    inFlight.add(() => sql`create index on ${qualified} (${sql.join(index.map((column) => sql.id(column)))})`.execute(tx.db));
  }
  // Every column, from a sample of 3,000 rows (Transaction.analyze): a full-sample ANALYZE was a
  // third of a publish (code_change's jsonb 275 ms, against 25). Naming the columns leaves the
  // tables' counts of changed rows as they were, so autovacuum analyses them with the server's
  // own sample within its next rounds.
  inFlight.add(() => tx.analyze(`${dataSchema}.${table.name}`, table.columns.map((column) => column.name)));
  return { name: table.name, rows: digest.rows, sha256: digest.sha256, columns: table.columns.map((column) => column.name) };
}

/** Re-point the views and log the publish; returns how long the views were locked. */
async function swap(
  tx: Transaction,
  schema: string,
  dataSchema: string,
  snapshot: Snapshot,
  tables: readonly PublishedTableResult[],
  options: PostgresTargetOptions,
): Promise<number> {
  await sql`create schema if not exists ${sql.id(schema)}`.execute(tx.db);
  await sql`
    create table if not exists ${sql.id(schema)}.${sql.id(LOG_TABLE)} (
      id bigint generated always as identity primary key,
      published_at timestamptz not null default now(),
      host text not null,
      source text not null,
      releases jsonb not null,
      editorial_version text,
      options jsonb not null,
      tables jsonb not null,
      data_schema text not null,
      signature text not null
    )`.execute(tx.db);
  const existing = await existingViews(tx.db, schema);
  const started = performance.now();
  await lockViews(tx, schema, existing);
  for (const table of snapshot.tables) {
    const view = sql`${sql.id(schema)}.${sql.id(table.name)}`;
    try {
      await sql`create or replace view ${view} as select * from ${sql.id(dataSchema)}.${sql.id(table.name)}`.execute(tx.db);
    } catch (error) {
      throw new Error(
        `${schema}.${table.name} cannot be re-pointed at the new data (${errorMessage(error)}); ` +
          `a published table's columns changed in a way its view cannot follow — drop the view (and readers' views over it) to publish the new shape`,
        { cause: error },
      );
    }
  }
  await sql`
    insert into ${sql.id(schema)}.${sql.id(LOG_TABLE)} (host, source, releases, editorial_version, options, tables, data_schema, signature)
    values (${hostname()}, ${options.sourceLocation}, ${JSON.stringify(snapshot.releases)}::jsonb, ${snapshot.editorialVersion},
      ${JSON.stringify(snapshot.options)}::jsonb, ${JSON.stringify(tables)}::jsonb, ${dataSchema}, ${snapshot.signature})`.execute(tx.db);
  await options.onStep?.('swapped');
  return performance.now() - started;
}

/**
 * Take the views' exclusive lock without queueing: a waiting ACCESS EXCLUSIVE request would make
 * every new reader wait behind it. NOWAIT, retried briefly, then a bounded wait.
 */
async function lockViews(tx: Transaction, schema: string, views: readonly string[]): Promise<void> {
  if (views.length === 0) return;
  const names = sql.join(views.map((view) => sql`${sql.id(schema)}.${sql.id(view)}`));
  for (let attempt = 0; attempt < NOWAIT_ATTEMPTS; attempt++) {
    await sql`savepoint publish_lock`.execute(tx.db);
    try {
      await sql`lock table ${names} in access exclusive mode nowait`.execute(tx.db);
      await sql`release savepoint publish_lock`.execute(tx.db);
      return;
    } catch (error) {
      if ((error as { code?: string }).code !== '55P03') throw error;
      await sql`rollback to savepoint publish_lock`.execute(tx.db);
      await new Promise((resolve) => setTimeout(resolve, NOWAIT_PAUSE_MS));
    }
  }
  await sql`set local lock_timeout = '5s'`.execute(tx.db);
  try {
    await sql`lock table ${names} in access exclusive mode`.execute(tx.db);
  } catch (error) {
    if ((error as { code?: string }).code !== '55P03') throw error;
    throw new Error(
      `readers of ${schema} held its views for over 5 s (a long query or an open transaction that read them; ` +
        `pg_stat_activity on the target shows it), so the swap could not take them: nothing changed there; publish again once they finish`,
      { cause: error },
    );
  }
}

interface LastPublish {
  signature: string;
  data_schema: string;
  tables: PublishedTableResult[];
}

async function lastPublish(db: Kysely<Schema>, schema: string): Promise<LastPublish | undefined> {
  const { rows: exists } = await sql<{ present: boolean }>`
    select to_regclass(${`${quoteIdentifier(schema)}.${LOG_TABLE}`}) is not null as present`.execute(db);
  if (!exists[0]?.present) return undefined;
  const { rows } = await sql<LastPublish>`
    select signature, data_schema, tables from ${sql.id(schema)}.${sql.id(LOG_TABLE)} order by id desc limit 1`.execute(db);
  return rows[0];
}

async function existingViews(db: Kysely<Schema>, schema: string): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`
    select table_name as name from information_schema.views where table_schema = ${schema} order by table_name`.execute(db);
  return rows.map((row) => row.name);
}

/**
 * What someone changed on the target since the last publish, or undefined: its data schema
 * dropped; a view it wrote dropped, reading from elsewhere, or redefined (a filter, other
 * columns: anything but `select * from` its table in the data schema); a table of the data schema
 * with other rows than it wrote (counted). Refuse rather than guess, and rather than call a
 * target that serves something else "up to date". Rows edited in place are not seen (--force).
 */
async function changedOutside(target: Database, schema: string, last: LastPublish, snapshot: Snapshot): Promise<string | undefined> {
  const dataSchema = last.data_schema;
  const { rows: present } = await sql<{ present: boolean }>`
    select exists (select 1 from information_schema.schemata where schema_name = ${dataSchema}) as present`.execute(target.db);
  if (!present[0]?.present) return `the data schema ${dataSchema} of the last publish to ${schema} is gone (dropped outside cms-ingest)`;
  const { rows } = await sql<{ view: string; source_schema: string | null }>`
    select v.table_name as view,
      (select u.table_schema from information_schema.view_table_usage u
        where u.view_schema = v.table_schema and u.view_name = v.table_name limit 1) as source_schema
    from information_schema.views v where v.table_schema = ${schema}`.execute(target.db);
  const found = new Map(rows.map((row) => [row.view, row.source_schema]));
  const written = new Map(last.tables.map((table) => [table.name, table]));
  for (const table of snapshot.tables) {
    // a table new in this version of cms-ingest: nothing to compare yet
    if (!found.has(table.name) && !written.has(table.name)) continue;
    if (!found.has(table.name)) return `${schema}.${table.name} was dropped outside cms-ingest (the last publish wrote it)`;
    const source = found.get(table.name);
    if (source !== dataSchema) {
      return `${schema}.${table.name} was changed outside cms-ingest: it reads from ${source ?? 'no table'}, the last publish wrote ${dataSchema}`;
    }
    if (!(await readsWholeTable(target, schema, dataSchema, table.name))) {
      return `${schema}.${table.name} was changed outside cms-ingest: it is no longer \`select * from ${dataSchema}.${table.name}\` (redefined by hand, or its table altered)`;
    }
    const published = written.get(table.name);
    if (published === undefined) continue;
    const { rows: counted } = await sql<{ rows: string }>`select count(*)::text as rows from ${sql.id(schema)}.${sql.id(table.name)}`.execute(target.db);
    const rowsNow = Number(counted[0]?.rows ?? 0);
    if (rowsNow !== published.rows) {
      return `${schema}.${table.name} was changed outside cms-ingest: it has ${rowsNow} rows, the last publish wrote ${published.rows}`;
    }
  }
  return undefined;
}

/** Whether the view is exactly what a publish creates: its definition equals that of `select * from` the table. */
async function readsWholeTable(target: Database, schema: string, dataSchema: string, name: string): Promise<boolean> {
  return target.transaction(async (tx) => {
    await sql`create temporary view cms_ingest_publish_expected as select * from ${sql.id(dataSchema)}.${sql.id(name)}`.execute(tx.db);
    const { rows } = await sql<{ same: boolean }>`
      select pg_get_viewdef(${`${quoteIdentifier(schema)}.${quoteIdentifier(name)}`}::regclass) = pg_get_viewdef('pg_temp.cms_ingest_publish_expected'::regclass) as same`.execute(tx.db);
    await sql`drop view pg_temp.cms_ingest_publish_expected`.execute(tx.db);
    return rows[0]?.same === true;
  });
}

/**
 * Data schemas no view reads from any more. Dropping one waits for readers still inside it, so
 * each drop waits at most a moment; one that cannot be dropped now is dropped by a later publish.
 */
async function dropOldDataSchemas(target: Database, schema: string, current: string): Promise<void> {
  const { rows } = await sql<{ name: string }>`
    select schema_name as name from information_schema.schemata
    where schema_name ~ ${dataSchemaPattern(schema)} and schema_name <> ${current}`.execute(target.db);
  for (const { name } of rows) {
    await target
      .transaction(async (tx) => {
        await sql`set local lock_timeout = '1s'`.execute(tx.db);
        await sql`drop schema ${sql.id(name)} cascade`.execute(tx.db);
      })
      .catch(() => undefined);
  }
}

/**
 * The names stamp() gives data schemas, and only those: a schema of someone else's that merely
 * starts with `cms_catalog__` (`cms_catalog__backup`) is not dropped. (Schema names are checked:
 * letters, digits and `_`, none special in a regular expression.)
 */
function dataSchemaPattern(schema: string): string {
  return `^${schema}__[0-9]{8}t[0-9]{6}_[0-9a-f]{6}$`;
}

function stamp(): string {
  return `${new Date().toISOString().replace(/[-:]/g, '').replace(/\..*$/, '')}_${randomBytes(3).toString('hex')}`.toLowerCase();
}
