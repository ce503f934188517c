/**
 * No password in any message: every form pg accepts (URL user info, password= / sslpassword=
 * query parameters, libpq keyword/value strings, PGPASSWORD) is redacted from stdout, stderr
 * (--verbose stack traces too), --json output, the schedule's JSON log and the database.
 */
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { passwordsIn, redactDeep, redactSecrets, registerSecret } from '../../src/db/redact.js';
import { PROCESS_TEST_TIMEOUT_MS, runCli, startCli, waitForStderr, waitForStdout } from '../support/cli.js';
import { createScratchDatabase, dropScratchDatabase } from '../support/db.js';
import { fixture, scratchDir } from '../support/fixtures.js';

describe('redactSecrets', () => {
  it('removes the password of every connection-string form', () => {
    expect(redactSecrets('at postgres://cms:s3cr%40t@db.internal:5432/cms: refused')).toBe('at postgres://cms:***@db.internal:5432/cms: refused');
    expect(redactSecrets('postgresql://cms:p@ss@word@db/cms')).toBe('postgresql://cms:***@db/cms');
    expect(redactSecrets('postgres://cms@db/cms?sslmode=require&password=hunter22&application_name=x')).toBe('postgres://cms@db/cms?sslmode=require&password=***&application_name=x');
    expect(redactSecrets('postgres://cms@db/cms?sslpassword=keypass1')).toBe('postgres://cms@db/cms?sslpassword=***');
    expect(redactSecrets("host=db port=5432 password='a b\\' c' dbname=cms")).toBe('host=db port=5432 password=*** dbname=cms');
    expect(redactSecrets('host=db password=plain1 dbname=cms')).toBe('host=db password=*** dbname=cms');
    expect(redactSecrets('PGPASSWORD=fromenv1 psql')).toBe('PGPASSWORD=*** psql');
    // a colon inside a value is part of it; one that ends a phrase is not
    expect(redactSecrets('at postgres://cms@h/cms?password=a:b:c: connect ECONNREFUSED')).toBe('at postgres://cms@h/cms?password=***: connect ECONNREFUSED');
    // a user without a password, and ordinary text, stay as they are
    expect(redactSecrets('postgres://cms@db/cms')).toBe('postgres://cms@db/cms');
    expect(redactSecrets('password authentication failed for user "cms"')).toBe('password authentication failed for user "cms"');
  });

  it('finds the passwords of a connection string, and scrubs registered ones wherever they appear', () => {
    expect(passwordsIn('postgres://cms:s3cr%40t@db/cms?password=two22')).toEqual(['s3cr%40t', 's3cr@t', 'two22']);
    expect(passwordsIn("host=db password='x y z' dbname=cms")).toEqual(['x y z']);
    registerSecret('registered-Secret-1');
    expect(redactSecrets('echoed: registered-Secret-1 and "registered-Secret-1"')).toBe('echoed: *** and "***"');
    expect(redactDeep({ error: 'registered-Secret-1', list: ['postgres://u:pw12@h/d'], n: 3 })).toEqual({ error: '***', list: ['postgres://u:***@h/d'], n: 3 });
  });
});

/** A closed port: every connection attempt fails at once, and the error message names the database. */
const CLOSED = '127.0.0.1:9';

const FORMS: { form: string; secret: string; env: (secret: string) => NodeJS.ProcessEnv }[] = [
  { form: 'URL user info', secret: 'Zq7-userinfo-pw', env: (s) => ({ DATABASE_URL: `postgres://cms:${s}@${CLOSED}/cms` }) },
  { form: 'password= query parameter', secret: 'Zq7-query-pw', env: (s) => ({ DATABASE_URL: `postgres://cms@${CLOSED}/cms?password=${s}` }) },
  { form: 'sslpassword= query parameter', secret: 'Zq7-sslkey-pw', env: (s) => ({ DATABASE_URL: `postgres://cms@${CLOSED}/cms?sslmode=disable&sslpassword=${s}` }) },
  { form: 'libpq keyword/value string', secret: 'Zq7-keyword-pw', env: (s) => ({ DATABASE_URL: `host=127.0.0.1 port=9 user=cms password=${s} dbname=cms` }) },
  { form: 'PGPASSWORD', secret: 'Zq7-environment-pw', env: (s) => ({ DATABASE_URL: `postgres://cms@${CLOSED}/cms`, PGPASSWORD: s }) },
];

describe('no password in any output of the process', () => {
  let home: string;
  beforeAll(async () => {
    home = path.join(await scratchDir(), 'home');
  });

  it.each(FORMS)('$form: not in stdout or stderr (--verbose, --json), and the error still names the database', async ({ secret, env }) => {
    const run = await runCli(['releases', '--verbose', '--json'], { CMS_INGEST_HOME: home, ...env(secret) });
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/^error: /m);
    expect(run.stderr).toMatch(/127\.0\.0\.1/);
    expect(run.stdout + run.stderr).not.toContain(secret);
    expect(run.stdout + run.stderr).not.toContain(secret.slice(4));
  });

  it('the schedule JSON log of a run that cannot connect carries no password', { timeout: PROCESS_TEST_TIMEOUT_MS }, async () => {
    const secret = 'Zq7-schedule-pw';
    const run = startCli(['schedule', '--run-now', '--cron', '0 0 1 1 *', '--mirror', `http://${CLOSED}/cms`], {
      CMS_INGEST_HOME: home,
      DATABASE_URL: `postgres://cms@${CLOSED}/cms?password=${secret}`,
    });
    await waitForStdout(run, (stdout) => stdout.includes('"run-finished"'));
    run.child.kill('SIGTERM');
    const done = await run.done;
    const lines = done.stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.find((line) => line.event === 'run-failed')).toMatchObject({
      error: `cannot connect to PostgreSQL at postgres://cms@${CLOSED}/cms?password=***: connect ECONNREFUSED ${CLOSED}`,
    });
    expect(done.stdout + done.stderr).not.toContain(secret);
  });
});

describe.runIf(process.env.TEST_DATABASE_URL)('no password in the database (PostgreSQL)', () => {
  let url: string;
  beforeAll(async () => {
    url = await createScratchDatabase();
  });
  afterAll(async () => {
    await dropScratchDatabase(url);
  });

  // trust authentication ignores the password, so each form really connects
  const forms: [string, (base: URL, secret: string) => NodeJS.ProcessEnv][] = [
    ['URL user info', (base, s) => ({ DATABASE_URL: Object.assign(new URL(base), { password: s }).href })],
    ['password= query parameter', (base, s) => ({ DATABASE_URL: `${base.href}?password=${s}` })],
    ['PGPASSWORD', (base, s) => ({ DATABASE_URL: base.href, PGPASSWORD: s })],
  ];

  it.each(forms)('%s: a failed import leaves its error in import_runs, without the password', async (form, env) => {
    const secret = `Zq7-db-${form.replace(/\W+/g, '-')}`;
    const run = await runCli(['import', '--verbose', '--json', fixture('pfs', 'rvu25d', 'ANES2025.csv')], env(new URL(url), secret));
    expect(run.code).toBe(1);
    expect(run.stdout + run.stderr).not.toContain(secret);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query<{ error: string | null; everything: string }>(
        `select error, concat_ws(' ', source, archive_sha256, outcome, family, release_code, error, warnings::text) as everything from cms.import_runs order by started_at desc limit 1`,
      );
      expect(rows[0]?.error).toContain('cannot tell which PFS release this is');
      const { rows: leaks } = await client.query<{ n: string }>(`select count(*) as n from cms.import_runs where concat_ws(' ', source, error, warnings::text) like $1`, [`%${secret}%`]);
      expect(leaks[0]?.n).toBe('0');
    } finally {
      await client.end();
    }
  });
});
