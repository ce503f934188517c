/**
 * Options and environment that make no sense: each is a usage error (exit 2) naming the option,
 * what it accepts and the value (quoted: a newline stays visible, the message one line), or a
 * plain sentence naming the path; never a database error or a silent wrong answer. The checks
 * live below the CLI (the API refuses the same values), so both are tested. The CLI cases run
 * through its entry function in this process (test/support/cli-main.ts); the bin's own exit codes
 * are tested in test/cli/cli.test.ts.
 */
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { families } from '../../pipelines/index.js';

/** `pfs, hcpcs, … or clfs`: the families this build knows, as the message lists them */
const FAMILIES = `${families.slice(0, -1).map((family) => family.name).join(', ')} or ${families.at(-1)!.name}`;
import { diffReleases, importRelease, listReleases } from '../../src/index.js';
import { checkDatabaseUrl } from '../../src/db/postgres.js';
import { UsageError } from '../../src/errors.js';
import { PROCESS_TEST_TIMEOUT_MS } from '../support/cli.js';
import { runCliInProcess } from '../support/cli-main.js';
import { createScratchDatabase, dropScratchDatabase, openTestDatabase, type TestDatabase } from '../support/db.js';
import { pfsZip, scratchDir } from '../support/fixtures.js';
import { seedEmbeddedHome } from '../sync/support.js';

describe('the API refuses nonsense with a UsageError that names the option and quotes the value', () => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await openTestDatabase('pglite');
    await importRelease(test.database, pfsZip('rvu24b'));
  });
  afterAll(async () => {
    await test.close();
  });

  it('an unknown family is not "no releases loaded"', async () => {
    await expect(listReleases(test.database, { family: 'xyz' })).rejects.toThrow(new UsageError(`--family must be ${FAMILIES}, not "xyz"`));
    expect((await listReleases(test.database, { family: 'pfs' })).map((release) => release.code)).toEqual(['RVU24B']);
  });

  it('an impossible --effective-from is refused before anything is read or recorded', async () => {
    const runs = async () => (await test.database.db.selectFrom('cms.import_runs').select('id').execute()).length;
    const before = await runs();
    for (const value of ['2025-02-30', '2025-13-01', '9 March']) {
      await expect(importRelease(test.database, pfsZip('rvu25d'), { effectiveFrom: value })).rejects.toThrow(
        new UsageError(`--effective-from must be a date like 2024-03-09 (YYYY-MM-DD, a day that exists), not ${JSON.stringify(value)}`),
      );
    }
    expect(await runs()).toBe(before);
  });

  it('a release code with a newline in it is quoted, so the message stays on one line', async () => {
    const error = await importRelease(test.database, pfsZip('rvu25d'), { code: 'RVU25D\nrm -rf' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toBe('unknown release code "RVU25D\\nrm -rf": expected a code like RVU25D, RVU24AR, HCPC2026_JAN, OPPS2025_JAN, ASP2025_JAN or 25CLABQ1');
    expect((error as Error).message).not.toContain('\n');
  });

  it('--moves out of range is a usage error, not "bigint out of range"', async () => {
    for (const value of ['99999999999999999999', '-1', '2.5', 'ten', '1001']) {
      await expect(diffReleases(test.database, 'RVU24B', 'RVU24B', { moves: value })).rejects.toThrow(
        new UsageError(`--moves must be a whole number from 0 to 1000, not ${JSON.stringify(value)}`),
      );
    }
    expect((await diffReleases(test.database, 'RVU24B', 'RVU24B', { moves: '3' })).summary).toBeDefined();
  });

  it('a connection string that is not PostgreSQL is refused, its password redacted', () => {
    expect(() => checkDatabaseUrl('mysql://root:hunter22@db:3306/cms')).toThrow(
      new UsageError('--database-url / DATABASE_URL "mysql://root:***@db:3306/cms" is a mysql: URL, not PostgreSQL; expected a postgres:// or postgresql:// URL such as postgres://cms@db.example:5432/cms'),
    );
    expect(() => checkDatabaseUrl('host=db password=hunter22 dbname=cms')).toThrow(
      new UsageError('--database-url / DATABASE_URL "host=db password=*** dbname=cms" is a keyword/value string, which this tool does not read; expected a postgres:// or postgresql:// URL such as postgres://cms@db.example:5432/cms'),
    );
    expect(() => checkDatabaseUrl('postgres://cms@db:5432/cms?sslmode=require')).not.toThrow();
    expect(() => checkDatabaseUrl('postgresql://cms@db/cms')).not.toThrow();
  });
});

describe('the command line: exit 2 with one clear line, or a sentence naming the path', () => {
  let home: string;
  let scratch: string;
  beforeAll(async () => {
    scratch = await scratchDir();
    home = path.join(scratch, 'home');
    await seedEmbeddedHome(home);
  });
  const env = () => ({ CMS_INGEST_HOME: home });

  it('releases --family xyz: exit 2, not "No releases loaded yet"', async () => {
    const run = await runCliInProcess(['releases', '--family', 'xyz'], env());
    expect(run).toMatchObject({ code: 2, stdout: '', stderr: `error: --family must be ${FAMILIES}, not "xyz"\n` });
  });

  it('diff --moves 99999999999999999999: exit 2', async () => {
    const run = await runCliInProcess(['diff', 'previous', 'latest', '--moves', '99999999999999999999'], env());
    expect(run).toMatchObject({ code: 2, stderr: 'error: --moves must be a whole number from 0 to 1000, not "99999999999999999999"\n' });
  });

  it('import --effective-from 2025-02-30 and a --code with a newline: exit 2, one line each', async () => {
    const date = await runCliInProcess(['import', '--effective-from', '2025-02-30', pfsZip('rvu24b')], env());
    expect(date).toMatchObject({ code: 2, stderr: 'error: --effective-from must be a date like 2024-03-09 (YYYY-MM-DD, a day that exists), not "2025-02-30"\n' });
    const code = await runCliInProcess(['import', '--code', 'RVU24B\nX', pfsZip('rvu24b')], env());
    expect(code).toMatchObject({ code: 2, stderr: 'error: unknown release code "RVU24B\\nX": expected a code like RVU25D, RVU24AR, HCPC2026_JAN, OPPS2025_JAN, ASP2025_JAN or 25CLABQ1\n' });
  });

  it('a mysql:// DATABASE_URL: exit 2, not used as PostgreSQL', async () => {
    const run = await runCliInProcess(['releases'], { ...env(), DATABASE_URL: 'mysql://root:hunter22@127.0.0.1:3306/cms' });
    expect(run).toMatchObject({
      code: 2,
      stderr: 'error: --database-url / DATABASE_URL "mysql://root:***@127.0.0.1:3306/cms" is a mysql: URL, not PostgreSQL; expected a postgres:// or postgresql:// URL such as postgres://cms@db.example:5432/cms\n',
    });
  });

  it('CMS_INGEST_HOME pointing at a file: exit 2 naming the path, not EEXIST', async () => {
    const file = path.join(scratch, 'not-a-directory');
    await writeFile(file, 'x');
    const run = await runCliInProcess(['releases'], { CMS_INGEST_HOME: file });
    expect(run).toMatchObject({ code: 2, stderr: `error: the home directory ${JSON.stringify(file)} (--home / CMS_INGEST_HOME) is a file, or lies under one; give a directory\n` });
  });

  it.runIf(process.platform === 'linux')('a CMS_INGEST_HOME that cannot be created or written: exit 2 naming it and what to do, not a bare ENOENT / EACCES', async () => {
    const refused = (home: string, what: string, why: string) =>
      `error: the home directory ${JSON.stringify(home)} (--home / CMS_INGEST_HOME) ${what} (${why}); give a directory this user can write: --home DIR or CMS_INGEST_HOME=DIR\n`;
    // /proc holds no folders or files of ours, even for root (whom a chmod 555 folder does not stop)
    const underProc = await runCliInProcess(['releases'], { CMS_INGEST_HOME: '/proc/cms-ingest-test/home' });
    expect(underProc).toMatchObject({ code: 2, stdout: '', stderr: refused('/proc/cms-ingest-test/home', 'cannot be created', "ENOENT: no such file or directory, mkdir '/proc/cms-ingest-test'") });
    // a folder that exists: the lock file is the first thing written
    const existing = await runCliInProcess(['releases'], { CMS_INGEST_HOME: '/proc/self' });
    expect(existing).toMatchObject({ code: 2, stdout: '', stderr: refused('/proc/self', 'cannot be written', "ENOENT: no such file or directory, open '/proc/self/db.lock'") });
  });

  it('a corrupt embedded data directory: says which directory, and that moving it aside starts afresh', async () => {
    const broken = path.join(scratch, 'broken');
    await mkdir(path.join(broken, 'pgdata', 'global'), { recursive: true });
    await writeFile(path.join(broken, 'pgdata', 'PG_VERSION'), '17\n');
    await writeFile(path.join(broken, 'pgdata', 'global', 'pg_control'), Buffer.alloc(8192, 0x5a));
    const run = await runCliInProcess(['releases'], { CMS_INGEST_HOME: broken });
    const dataDir = path.join(broken, 'pgdata');
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^error: the embedded database in \S+ cannot be opened \(.*\); if it is damaged, move it aside/);
    expect(run.stderr).toContain(`the embedded database in ${dataDir} cannot be opened`);
    expect(run.stderr).toContain(`(mv ${JSON.stringify(dataDir)} ${JSON.stringify(`${dataDir}.broken`)}) and the next run starts a fresh, empty database`);
  });
});

/** The advisory lock Kysely's PostgreSQL migrator takes around a migration run (kysely/dist/…/postgres-adapter.js). */
const KYSELY_MIGRATION_LOCK = '3853314791062309107';

describe.runIf(process.env.TEST_DATABASE_URL)('a statement_timeout in the connection string (PostgreSQL)', () => {
  let url: string;
  beforeAll(async () => {
    url = await createScratchDatabase();
    // an empty database: the first migration has work to do
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query('drop schema if exists cms cascade');
    await client.end();
  });
  afterAll(async () => {
    await dropScratchDatabase(url);
  });

  // Deterministic: the test holds Kysely's migration lock, so `migrate` waits in one statement
  // (pg_advisory_lock) until the 1 s timeout cancels it (the statements before it take milliseconds). A 1 ms timeout (as this test had) often
  // fires as a statement ends: PostgreSQL then reports the cancel on the next statement, whose
  // re-armed timer no longer says a timeout happened, as "canceling statement due to user request".
  it('says what failed and where the timeout may come from, instead of "migration  failed:"', { timeout: PROCESS_TEST_TIMEOUT_MS }, async () => {
    const holder = new pg.Client({ connectionString: url });
    await holder.connect();
    try {
      await holder.query('select pg_advisory_lock($1::bigint)', [KYSELY_MIGRATION_LOCK]);
      const run = await runCliInProcess(['migrate'], { DATABASE_URL: `${url}?options=-c%20statement_timeout%3D1000` });
      expect(run.code).toBe(1);
      expect(run.stderr).toBe(
        'error: could not bring the database schema up to date (before any migration ran): canceling statement due to statement timeout' +
          " (a statement_timeout too short for migrations? it can come from the connection string's options=-c statement_timeout=…, the role or the database)\n",
      );
    } finally {
      await holder.end();
    }
  });
});
