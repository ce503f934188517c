/**
 * What sync says on the failure path of a mirror: every retry line, the final page or download
 * error, the --json outcome's error and the schedule log's lines name the URL actually requested
 * (the mirror's, credentials redacted), never the www.cms.gov URL it stands for; the outcome's
 * `url` and `page`, and the retry event's `cmsUrl`, stay the www.cms.gov ones. Against a mirror
 * that answers 503, one that resets mid-body, one whose redirect target fails, and (the CLI, in
 * this process) one that refuses connections.
 */
import { stat } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { narrateSync, syncErrors } from '../../src/cli/render/sync.js';
import { createScheduleLogger, logSyncEvent } from '../../src/schedule/log.js';
import { syncReleases, type SyncEvent, type SyncOptions, type SyncResult } from '../../src/sync/sync.js';
import { runCliInProcess } from '../support/cli-main.js';
import { backends } from '../support/db.js';
import { scratchDir } from '../support/fixtures.js';
import { FAST_HTTP, HCPCS_PAGE, IMPORT_SETUP, PFS_DIR, SITE_ZIPS, cmsUrl, seedEmbeddedHome, useDatabaseAndSite } from './support.js';

/** A mirror URL with credentials, and the same as every message must show it. */
const withCredentials = (mirror: string) => mirror.replace('http://', 'http://user:secret@');
const redacted = (mirror: string) => mirror.replace('http://', 'http://user:***@');

/** A port on 127.0.0.1 where nothing listens (one the system just handed out and took back). */
async function refusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const { port } = server.address() as { port: number };
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

describe.each(backends)('sync through a failing mirror names the mirror, on %s', (backend) => {
  const shared = useDatabaseAndSite(backend);
  let events: SyncEvent[];
  let logged: { event: string; msg: string; url?: string; error?: string }[];
  beforeEach(() => {
    events = [];
    logged = [];
  });

  const mirror = () => withCredentials(shared.site.mirror);
  /** the mirror as messages show it */
  const shown = () => redacted(shared.site.mirror);
  const sync = (options: Partial<SyncOptions> = {}): Promise<SyncResult> => {
    const log = createScheduleLogger({ write: (line: string) => void logged.push(JSON.parse(line) as (typeof logged)[number]) });
    return syncReleases(shared.test.database, IMPORT_SETUP, {
      mirror: mirror(),
      since: 2000,
      cacheDir: shared.site.cacheDir,
      http: FAST_HTTP,
      families: ['pfs'],
      onEvent: (event) => {
        events.push(event);
        logSyncEvent(log, event);
      },
      ...options,
    });
  };
  /** the lines a person sees on stderr for the retries and failures */
  const narrated = () =>
    events
      .filter((event) => event.type === 'retry' || event.type === 'failed' || event.type === 'page-error')
      .map((event) => narrateSync(event, shown(), { dryRun: false }));
  const byCode = (result: SyncResult) => Object.fromEntries(result.outcomes.map((o) => [o.code, o]));

  it('a zip answering 503: each retry line and the final error name the mirror URL; the outcome keeps the www.cms.gov URL', async () => {
    shared.site.server.setFault(`/${SITE_ZIPS.RVU25D}`, { kind: 'status', status: 503, times: Infinity });
    const result = await sync();
    const zip = `${shown()}/${SITE_ZIPS.RVU25D}`;
    const failure = `RVU25D: ${zip}: HTTP 503 Service Unavailable (gave up after 3 attempts)`;
    expect(narrated()).toEqual([
      `retrying ${zip} (attempt 1 failed: HTTP 503 Service Unavailable; 2 retries left)`,
      `retrying ${zip} (attempt 2 failed: HTTP 503 Service Unavailable; 1 retry left)`,
      // the release code once, not `RVU25D: download failed: RVU25D: …`
      `RVU25D: download failed: ${failure.slice('RVU25D: '.length)}`,
    ]);
    expect(syncErrors(result)).toEqual([failure]);
    // --json: the outcome's error names the mirror, its url is the file on www.cms.gov
    expect(byCode(result).RVU25D).toMatchObject({ url: cmsUrl(SITE_ZIPS.RVU25D), fetch: 'failed', failedAt: 'download', error: failure });
    // the retry event says both: the URL requested and the www.cms.gov file it stands for
    expect(events.filter((event) => event.type === 'retry')).toEqual([
      { type: 'retry', url: zip, cmsUrl: cmsUrl(SITE_ZIPS.RVU25D), attempt: 1, retriesLeft: 2, problem: 'HTTP 503 Service Unavailable' },
      { type: 'retry', url: zip, cmsUrl: cmsUrl(SITE_ZIPS.RVU25D), attempt: 2, retriesLeft: 1, problem: 'HTTP 503 Service Unavailable' },
    ]);
    // the schedule's log
    expect(logged.filter((line) => line.event === 'retry').map((line) => [line.url, line.msg])).toEqual([
      [zip, `retrying ${zip} after attempt 1: HTTP 503 Service Unavailable`],
      [zip, `retrying ${zip} after attempt 2: HTTP 503 Service Unavailable`],
    ]);
    expect(logged.find((line) => line.event === 'failed')).toMatchObject({ url: cmsUrl(SITE_ZIPS.RVU25D), error: failure, msg: `RVU25D failed: ${failure}` });
    expect(JSON.stringify([events, logged, result])).not.toContain('secret');
  });

  it('a zip whose connection resets mid-body: the retry lines and the final error name the mirror URL', async () => {
    shared.site.server.setFault(`/${SITE_ZIPS.RVU25D}`, { kind: 'reset', afterBytes: 2_000, times: Infinity });
    const size = (await stat(path.join(shared.site.root, SITE_ZIPS.RVU25D))).size;
    const result = await sync();
    const zip = `${shown()}/${SITE_ZIPS.RVU25D}`;
    // Node reports an RST after the bytes as the connection closing or as a reset
    const cut = `body cut short: (the connection closed|connection reset) after 2000 of ${size} bytes`;
    const lines = narrated();
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(new RegExp(`^${escape(`retrying ${zip} (attempt 1 failed: `)}${cut}; 2 retries left\\)$`));
    expect(lines[1]).toMatch(new RegExp(`^${escape(`retrying ${zip} (attempt 2 failed: `)}${cut}; 1 retry left\\)$`));
    expect(lines[2]).toMatch(new RegExp(`^${escape(`RVU25D: download failed: ${zip}: `)}${cut} \\(gave up after 3 attempts\\)$`));
    expect(byCode(result).RVU25D!.error).toMatch(new RegExp(`^${escape(`RVU25D: ${zip}: `)}${cut} \\(gave up after 3 attempts\\)$`));
  });

  it('a page answering 503: the retry lines and the page error name the mirror URL; the outcome\'s page is on www.cms.gov', async () => {
    shared.site.server.setFault(`/${PFS_DIR}`, { kind: 'status', status: 503, times: Infinity });
    const result = await sync();
    const page = `${shown()}/${PFS_DIR}`;
    const failure = `GET ${page}: HTTP 503 Service Unavailable (gave up after 3 attempts)`;
    expect(narrated()).toEqual([
      `retrying ${page} (attempt 1 failed: HTTP 503 Service Unavailable; 2 retries left)`,
      `retrying ${page} (attempt 2 failed: HTTP 503 Service Unavailable; 1 retry left)`,
      `pfs: page failed: ${failure}`,
    ]);
    expect(syncErrors(result)).toEqual([`pfs page: ${failure}`]);
    expect(result.outcomes).toEqual([expect.objectContaining({ code: null, page: cmsUrl(PFS_DIR), failedAt: 'discover', error: failure })]);
    expect(logged.find((line) => line.event === 'failed')).toMatchObject({ msg: `pfs discovery failed: ${failure}` });
  });

  it('a redirect whose target answers 503: the retry line names the URL requested and the target that failed', async () => {
    const moved = 'files/zip/moved/rvu25d-updated-09-11-2025.zip';
    shared.site.server.setFault(`/${SITE_ZIPS.RVU25D}`, { kind: 'status', status: 301, headers: { location: `https://www.cms.gov/${moved}` }, times: Infinity });
    shared.site.server.setFault(`/${moved}`, { kind: 'status', status: 503, times: Infinity });
    const result = await sync();
    const zip = `${shown()}/${SITE_ZIPS.RVU25D}`;
    const failed = `redirected to ${shown()}/${moved}: HTTP 503 Service Unavailable`;
    expect(narrated()).toEqual([
      `retrying ${zip} (attempt 1 failed: ${failed}; 2 retries left)`,
      `retrying ${zip} (attempt 2 failed: ${failed}; 1 retry left)`,
      `RVU25D: download failed: ${zip}: ${failed} (gave up after 3 attempts)`,
    ]);
    expect(byCode(result).RVU25D!.error).toBe(`RVU25D: ${zip}: ${failed} (gave up after 3 attempts)`);
  });
});

describe('cms-ingest sync --mirror on a port that refuses connections', () => {
  let home: string;
  beforeAll(async () => {
    home = path.join(await scratchDir(), 'home');
    await seedEmbeddedHome(home);
  });

  it('the retry line and the page error name the mirror (credentials redacted), also in --json', async () => {
    const port = await refusedPort();
    const mirror = `http://user:secret@127.0.0.1:${port}/cms`;
    const page = `http://user:***@127.0.0.1:${port}/cms/${HCPCS_PAGE.replace(/\.html$/, '')}`;
    // the first retry waits at least 1 s: the 0.5 s deadline ends the request during it
    const args = ['sync', '--mirror', mirror, '--since', '2000', '--family', 'hcpcs', '--page-deadline', '0.5'];
    const failure = `GET ${page}: no complete response within the 500 ms deadline; the last attempt failed: connection refused`;

    const run = await runCliInProcess(args, { CMS_INGEST_HOME: home });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      [
        `looking for hcpcs releases since 2000 on http://user:***@127.0.0.1:${port}/cms`,
        `retrying ${page} (attempt 1 failed: connection refused; 4 retries left)`,
        `hcpcs: page failed: ${failure}`,
        'found no releases',
        `error: hcpcs page: ${failure}`,
        '',
      ].join('\n'),
    );

    const json = await runCliInProcess([...args, '--json'], { CMS_INGEST_HOME: home });
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toEqual([expect.objectContaining({ family: 'hcpcs', code: null, page: cmsUrl(HCPCS_PAGE.replace(/\.html$/, '')), failedAt: 'discover', error: failure })]);
    expect(json.stderr).toBe(`error: hcpcs page: ${failure}\n`);
    expect(run.stderr + json.stdout + json.stderr).not.toContain('secret');
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
