/**
 * Databases for tests: PGlite always (restored from the migrated snapshot), PostgreSQL as well
 * when TEST_DATABASE_URL is set — each test file gets its own fresh Postgres database, a copy of
 * the migrated template global setup made. A configured server that is down fails the tests; it
 * is never skipped.
 */
import { readFile } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, inject } from 'vitest';
import type { Database } from '../../src/db/database.js';
import { pgliteDatabase } from '../../src/db/pglite.js';
import { openPostgres } from '../../src/db/postgres.js';
import { createScratchDatabase, dropScratchDatabase, keptDatabasePrefix } from './postgres-scratch.js';

export { createScratchDatabase, dropScratchDatabase } from './postgres-scratch.js';

export type Backend = 'pglite' | 'postgres';

export const backends: Backend[] = process.env.TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];

export interface TestDatabase {
  database: Database;
  /** a connection string to this database (postgres only) */
  url: string | undefined;
  close(): Promise<void>;
}

export async function openTestDatabase(backend: Backend): Promise<TestDatabase> {
  if (backend === 'pglite') {
    const pglite = await takePglite();
    const database = pgliteDatabase(pglite, 'memory://', () => givePglite(pglite));
    return { database, url: undefined, close: () => database.close() };
  }
  const url = await takePostgres();
  const database = await openPostgres(url);
  return {
    database,
    url,
    async close() {
      await database.close();
      await givePostgres(url);
    },
  };
}

/**
 * The same for PostgreSQL scratch databases: the one a test file closes is kept for the next file
 * of its worker (saving a CREATE DATABASE … TEMPLATE and a DROP DATABASE per file) when nothing
 * else is connected to it and, emptied and given back the migrations' rows and sequence positions,
 * it is exactly as a fresh copy of the template. Its name carries the run's id: global teardown
 * drops the ones still kept when the workers end.
 */
let spareUrl: string | undefined;
let pristinePostgres: Pristine | undefined;

async function takePostgres(): Promise<string> {
  const kept = spareUrl;
  spareUrl = undefined;
  if (kept) return kept;
  if (!inject('reusePglite')) return createScratchDatabase('cms_ingest_test', inject('postgresTemplate'));
  const url = await createScratchDatabase(keptDatabasePrefix(inject('runId')), inject('postgresTemplate'));
  pristinePostgres ??= await withClient(url, (query) => pristineOf(query, false));
  return url;
}

async function givePostgres(url: string): Promise<void> {
  const pristine = pristinePostgres;
  let keep = false;
  if (pristine && spareUrl === undefined && new URL(url).pathname.startsWith(`/${keptDatabasePrefix(inject('runId'))}`)) {
    try {
      // (the backends of connections just closed take a moment to exit)
      const others = await withClient(url, async (query) => {
        for (let attempt = 0; ; attempt++) {
          const [row] = (await query(
            `select (select count(*) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid())
                  + (select count(*) from pg_prepared_xacts where database = current_database()) as n`,
          )) as [{ n: string }];
          if (Number(row.n) === 0 || attempt === 10) return Number(row.n);
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
      });
      if (others === 0) {
        const database = await openPostgres(url);
        try {
          await resetDatabase(database);
        } finally {
          await database.close();
        }
        keep = await withClient(url, (query) => restorePristine(query, pristine, false));
      }
    } catch {
      keep = false;
    }
  }
  if (keep) spareUrl = url;
  else await dropScratchDatabase(url);
}

async function withClient<T>(url: string, work: (query: Query) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(async (text, params) => (await client.query<Record<string, unknown>>(text, params)).rows);
  } finally {
    await client.end();
  }
}

/**
 * PGlite instances kept between test files. Restoring the snapshot costs 0.6 s of CPU and more
 * (about 45 files open one): a worker runs file after file in one module cache (`isolate: false`),
 * so the database a file closes is kept for the next file of that worker, if it is exactly as the
 * snapshot left it once emptied (`resetDatabase`): same catalog, same rows, same sequence
 * positions, same session (settings, locks, temporary objects, prepared statements), and no
 * transaction open. Anything else (a test that altered the schema, advanced a sequence of its own,
 * left a setting …) closes it, and the next file restores a fresh one. With isolation on (the
 * mutation runs) every file restores its own.
 */
let spare: PGlite | undefined;
/**
 * A database just restored from the snapshot (taken once per worker): its state, the rows the
 * migrations put in (`resetDatabase` empties those tables too) and every sequence's position.
 */
let pristine: Pristine | undefined;

async function takePglite(): Promise<PGlite> {
  const kept = spare;
  spare = undefined;
  if (kept) return kept;
  const snapshot = await readFile(inject('pgliteSnapshot'));
  const pglite = await PGlite.create({ loadDataDir: new Blob([snapshot]) });
  if (inject('reusePglite') && pristine === undefined) pristine = await pristineOf(pgliteQuery(pglite), true);
  return pglite;
}

async function givePglite(pglite: PGlite): Promise<void> {
  if (pglite.closed) return;
  let keep = false;
  if (pristine && spare === undefined && !pglite.isInTransaction()) {
    try {
      const database = pgliteDatabase(pglite, 'memory://', async () => undefined);
      try {
        await resetDatabase(database);
      } finally {
        await database.close();
      }
      keep = (await restorePristine(pgliteQuery(pglite), pristine, true)) && !pglite.isInTransaction();
    } catch {
      keep = false;
    }
  }
  if (keep) spare = pglite;
  else await pglite.close();
}

/** Queries on a PGlite, as `Query` (what the kept-database checks run on either backend). */
function pgliteQuery(pglite: PGlite): Query {
  return async (text, params) => (await pglite.query<Record<string, unknown>>(text, params)).rows;
}

/** A kept database's reference state: its catalog and session, the migrations' rows, every sequence's position. */
interface Pristine {
  state: string;
  rows: { table: string; json: string }[];
  sequences: { name: string; last: string | null }[];
}

/** The reference state of a database just restored or copied from the template. */
async function pristineOf(query: Query, roles: boolean): Promise<Pristine> {
  const tables = (await query(
    `select format('%I.%I', n.nspname, c.relname) as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where c.relkind in ('r', 'p') and n.nspname = 'cms' and c.relname not in ('kysely_migration', 'kysely_migration_lock') order by 1`,
  )) as { name: string }[];
  const rows: Pristine['rows'] = [];
  for (const { name } of tables) {
    const [{ json }] = (await query(`select json_agg(t)::text as json from ${name} t`)) as [{ json: string | null }];
    if (json !== null) rows.push({ table: name, json });
  }
  const sequences = (await query(`select format('%I.%I', schemaname, sequencename) as name, last_value::text as last from pg_sequences order by 1`)) as Pristine['sequences'];
  return { state: await databaseState(query, { roles }), rows, sequences };
}

/**
 * Give an emptied database (`resetDatabase`) back the migrations' rows (a table referencing
 * another waits for it) and the sequence positions; whether it is then exactly `pristine`.
 */
async function restorePristine(query: Query, pristine: Pristine, roles: boolean): Promise<boolean> {
  let left = pristine.rows;
  for (let round = 0; left.length > 0 && round < pristine.rows.length; round++) {
    const failed: typeof left = [];
    for (const seed of left) {
      await query(`insert into ${seed.table} overriding system value select * from json_populate_recordset(null::${seed.table}, $1::json)`, [seed.json]).catch(() =>
        failed.push(seed),
      );
    }
    left = failed;
  }
  for (const { name, last } of pristine.sequences) {
    if (last === null) await query(`select setval($1::regclass, (select seqstart from pg_sequence where seqrelid = $1::regclass), false)`, [name]);
    else await query(`select setval($1::regclass, $2::bigint, true)`, [name, last]);
  }
  return left.length === 0 && (await databaseState(query, { roles })) === pristine.state;
}

type Query = (text: string, params?: unknown[]) => Promise<Record<string, unknown>[]>;

/**
 * What makes one database differ from another for a test: every object of the user schemas
 * (tables, columns, constraints, indexes, views, functions, types, triggers, grants), every
 * table's rows, sequence positions, and the session's settings, locks and prepared statements.
 * `roles`: roles too (a PostgreSQL server's are shared with every database on it, others' runs included).
 */
async function databaseState(query: Query, { roles }: { roles: boolean }): Promise<string> {
  const userSchemas = `n.nspname not in ('pg_catalog', 'information_schema', 'pg_toast')`;
  const tables = (await query(
    `select format('%I.%I', n.nspname, c.relname) as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where c.relkind in ('r', 'p', 'm') and ${userSchemas} order by 1`,
  )) as { name: string }[];
  const parts = [
    // the temporary schemas stay once a load has used one (its objects are in pg_class below)
    `select string_agg(format('%s %s %s', n.nspname, n.nspowner::regrole, n.nspacl), ',' order by n.nspname) from pg_namespace n where n.nspname !~ '^pg_(toast_)?temp_'`,
    `select string_agg(format('%s %s %s %s %s %s', n.nspname, c.relname, c.relkind, c.relacl, c.reloptions, c.relpersistence), ',' order by n.nspname, c.relname, c.relkind) from pg_class c join pg_namespace n on n.oid = c.relnamespace where ${userSchemas}`,
    `select string_agg(format('%s %s %s %s %s %s %s', a.attrelid::regclass, a.attnum, a.attname, a.atttypid::regtype, a.attnotnull, a.attisdropped, pg_get_expr(d.adbin, d.adrelid)), ',' order by a.attrelid::regclass::text, a.attnum)
     from pg_attribute a join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum where a.attnum > 0 and ${userSchemas}`,
    `select string_agg(format('%s %s %s', x.conrelid::regclass, x.conname, pg_get_constraintdef(x.oid)), ',' order by x.conrelid::regclass::text, x.conname) from pg_constraint x join pg_namespace n on n.oid = x.connamespace where ${userSchemas}`,
    `select string_agg(pg_get_indexdef(i.indexrelid), ',' order by pg_get_indexdef(i.indexrelid)) from pg_index i join pg_class c on c.oid = i.indexrelid join pg_namespace n on n.oid = c.relnamespace where ${userSchemas}`,
    `select string_agg(format('%s %s', r.ev_class::regclass, md5(pg_get_viewdef(r.ev_class))), ',' order by r.ev_class::regclass::text) from pg_rewrite r join pg_class c on c.oid = r.ev_class join pg_namespace n on n.oid = c.relnamespace where ${userSchemas}`,
    `select string_agg(format('%s %s %s %s', n.nspname, p.proname, pg_get_function_identity_arguments(p.oid), md5(pg_get_functiondef(p.oid))), ',' order by n.nspname, p.proname, pg_get_function_identity_arguments(p.oid)) from pg_proc p join pg_namespace n on n.oid = p.pronamespace where ${userSchemas} and p.prokind in ('f', 'p')`,
    `select string_agg(format('%s %s %s', n.nspname, t.typname, t.typtype), ',' order by n.nspname, t.typname) from pg_type t join pg_namespace n on n.oid = t.typnamespace where ${userSchemas}`,
    `select string_agg(format('%s %s', e.enumtypid::regtype, e.enumlabel), ',' order by e.enumtypid::regtype::text, e.enumsortorder) from pg_enum e`,
    `select string_agg(format('%s %s %s', t.tgrelid::regclass, t.tgname, t.tgenabled), ',' order by t.tgrelid::regclass::text, t.tgname) from pg_trigger t where not t.tgisinternal`,
    roles ? `select string_agg(format('%s %s %s %s', r.rolname, r.rolsuper, r.rolcanlogin, r.rolconfig), ',' order by r.rolname) from pg_roles r` : `select ''`,
    `select string_agg(format('%s %s', s.setrole, s.setconfig), ',' order by s.setrole) from pg_db_role_setting s join pg_database d on d.oid = s.setdatabase where d.datname = current_database()`,
    `select string_agg(format('%s %s %s', s.schemaname, s.sequencename, s.last_value), ',' order by s.schemaname, s.sequencename) from pg_sequences s`,
    `select string_agg(format('%s=%s', s.name, s.setting), ',' order by s.name) from pg_settings s where s.source not in ('default', 'override', 'configuration file', 'environment variable')`,
    `select string_agg(format('%s %s %s', l.locktype, l.objid, l.mode), ',' order by l.locktype, l.objid, l.mode) from pg_locks l where l.pid = pg_backend_pid() and l.locktype not in ('relation', 'virtualxid', 'transactionid')`,
    `select string_agg(p.name, ',' order by p.name) from pg_prepared_statements p`,
    `select count(*)::text from pg_largeobject_metadata`,
    ...tables.map(({ name }) => `select md5(coalesce(string_agg(t::text, ',' order by t::text), '')) from ${name} t`),
  ];
  const rows = (await query(parts.map((part, i) => `select ${i} as i, (${part}) as state`).join(' union all ') + ' order by i')) as { state: string | null }[];
  return rows.map((row) => row.state ?? '').join('\n');
}

/**
 * Empty every table of schema cms (between tests that must not see each other's releases), and
 * set each of their identity sequences back to its start: what `truncate … restart identity` of
 * them all does. TRUNCATE gives each table it names new files and catalog rows, 0.5 s and more for
 * the ~40 tables on PostgreSQL, most of them already empty: only the tables holding rows get it.
 */
export async function resetDatabase(database: Database): Promise<void> {
  const { rows: tables } = await sql<{ name: string }>`
    select format('%I.%I', schemaname, tablename) as name from pg_tables
    where schemaname = 'cms' and tablename <> 'kysely_migration' and tablename <> 'kysely_migration_lock'`.execute(database.db);
  if (tables.length === 0) return;
  const holding = tables.map(({ name }) => `select '${name.replace(/'/g, "''")}' as name where exists (select from ${name})`).join(' union all ');
  const { rows: full } = await sql.raw<{ name: string }>(holding).execute(database.db);
  if (full.length > 0) await sql.raw(`truncate ${full.map((row) => row.name).join(', ')} cascade`).execute(database.db);
  await sql`
    select setval(s.seqrelid, s.seqstart, false) from pg_sequence s
    join pg_depend d on d.classid = 'pg_class'::regclass and d.objid = s.seqrelid and d.refclassid = 'pg_class'::regclass and d.deptype in ('a', 'i')
    join pg_class t on t.oid = d.refobjid join pg_namespace n on n.oid = t.relnamespace
    where n.nspname = 'cms' and t.relname <> 'kysely_migration' and t.relname <> 'kysely_migration_lock'`.execute(database.db);
}

/**
 * One database for the describe block that calls this (opened before its tests, closed after),
 * emptied before each test. Read `.database` / `.url` inside tests and hooks.
 */
export function useFreshDatabase(backend: Backend): { readonly database: Database; readonly url: string | undefined } {
  let test: TestDatabase | undefined;
  beforeAll(async () => {
    test = await openTestDatabase(backend);
  });
  afterAll(() => test?.close());
  beforeEach(() => resetDatabase(test!.database));
  return {
    get database() {
      return test!.database;
    },
    get url() {
      return test!.url;
    },
  };
}
