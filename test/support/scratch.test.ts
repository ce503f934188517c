/**
 * Scratch data stays inside the run folder and goes with its test file. The other half of the
 * check is global teardown: it fails the run if any test file left anything in the run folder.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, test, beforeAll } from 'vitest';
import { DATABASES_FOLDER, OWNER_FILE, UNOWNED_GRACE_MS, forgetDatabase, makeRunFolder, recordDatabase, recordedDatabases, removeStaleRunFolders } from './run-folder.js';
import { removeScratchDirs, scratchDir } from './scratch.js';

describe('scratchDir', () => {
  let early: string;
  beforeAll(async () => {
    // asked for in a hook: the case whose cleanup vitest never ran before
    early = await scratchDir();
  });

  test('every temporary folder of a test run is inside the run-wide folder', async () => {
    expect(path.basename(tmpdir())).toMatch(/^cms-ingest-run-/);
    expect(path.dirname(await scratchDir())).toBe(tmpdir());
  });

  test('the per-file hook removes folders made in hooks and in tests', async () => {
    const inTest = await scratchDir();
    expect([existsSync(early), existsSync(inTest)]).toEqual([true, true]);
    await removeScratchDirs();
    expect([existsSync(early), existsSync(inTest)]).toEqual([false, false]);
  });
});

describe('run folders left by runs that never reached teardown', () => {
  test("this run's folder names the run's main process (the workers' parent) as its owner", async () => {
    expect(await readFile(path.join(tmpdir(), OWNER_FILE), 'utf8')).toBe(`${process.ppid}\n`);
  });

  test('global setup removes those whose owner is dead or that have no owner and are old; live ones stay', async () => {
    const parent = await scratchDir();
    // a pid that was alive and is no more: a process that has exited (and been reaped)
    const dead = spawnSync(process.execPath, ['-e', '']).pid;
    const folder = async (name: string, owner?: string) => {
      await mkdir(path.join(parent, name));
      await writeFile(path.join(parent, name, 'migrated.tar'), 'snapshot');
      if (owner !== undefined) await writeFile(path.join(parent, name, OWNER_FILE), owner);
    };
    await folder('cms-ingest-run-dead', `${dead}\n`);
    await folder('cms-ingest-run-live', `${process.pid}\n`);
    await folder('cms-ingest-run-old-unowned');
    await folder('cms-ingest-run-new-unowned');
    await folder('cms-ingest-other-dead', `${dead}\n`);
    const old = new Date(Date.now() - UNOWNED_GRACE_MS - 60_000);
    await utimes(path.join(parent, 'cms-ingest-run-old-unowned'), old, old);
    const mine = path.basename(await makeRunFolder(parent));

    expect((await removeStaleRunFolders(parent)).sort()).toEqual(['cms-ingest-run-dead', 'cms-ingest-run-old-unowned']);
    expect((await readdir(parent)).sort()).toEqual(['cms-ingest-other-dead', 'cms-ingest-run-live', 'cms-ingest-run-new-unowned', mine].sort());
    expect(await readFile(path.join(parent, mine, OWNER_FILE), 'utf8')).toBe(`${process.pid}\n`);
  });

  test("a dead run's scratch databases are dropped with its folder; a live run's are left alone", async () => {
    const parent = await scratchDir();
    const dead = spawnSync(process.execPath, ['-e', '']).pid;
    const folder = async (name: string, owner: string, databases: string[]) => {
      await mkdir(path.join(parent, name, DATABASES_FOLDER), { recursive: true });
      await writeFile(path.join(parent, name, OWNER_FILE), owner);
      for (const database of databases) await writeFile(path.join(parent, name, DATABASES_FOLDER, database), '');
    };
    await folder('cms-ingest-run-dead', `${dead}\n`, ['cms_ingest_test_aaaa', 'cms_ingest_kept_1234_bbbb']);
    await folder('cms-ingest-run-live', `${process.pid}\n`, ['cms_ingest_test_cccc']);
    const dropped: string[][] = [];
    const drop = async (names: readonly string[]) => void dropped.push([...names]);

    expect(await removeStaleRunFolders(parent, Date.now(), drop)).toEqual(['cms-ingest-run-dead']);
    expect(dropped).toEqual([['cms_ingest_kept_1234_bbbb', 'cms_ingest_test_aaaa']]);
    expect(await recordedDatabases(path.join(parent, 'cms-ingest-run-live'))).toEqual(['cms_ingest_test_cccc']);
    // a drop that fails leaves the folder, and its record, for the next run to try again
    await folder('cms-ingest-run-dead-again', `${dead}\n`, ['cms_ingest_test_dddd']);
    const refused = async () => {
      throw new Error('connection refused');
    };
    await expect(removeStaleRunFolders(parent, Date.now(), refused)).rejects.toThrow('connection refused');
    expect(await recordedDatabases(path.join(parent, 'cms-ingest-run-dead-again'))).toEqual(['cms_ingest_test_dddd']);
  });

  test('this run records a scratch database while it exists', async () => {
    const name = 'cms_ingest_test_recorded';
    try {
      await recordDatabase(name);
      expect(await recordedDatabases(tmpdir())).toContain(name);
    } finally {
      await forgetDatabase(name);
    }
    expect(await recordedDatabases(tmpdir())).not.toContain(name);
  });
});
