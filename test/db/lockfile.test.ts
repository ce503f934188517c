/** The embedded database's lock file: it excludes a live holder and takes over from a dead one. */
import { spawnSync } from 'node:child_process';
import { readFile, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { acquireLockFile } from '../../src/db/lockfile.js';
import { LockHeldError } from '../../src/errors.js';
import { scratchDir } from '../support/fixtures.js';

describe('lock file', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await scratchDir();
  });

  it('records its holder, refuses a second taker while held, and frees on release', async () => {
    const file = path.join(dir, 'held.lock');
    const lock = await acquireLockFile(file, 'import');
    expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({ pid: process.pid, host: hostname(), purpose: 'import' });
    const second = await acquireLockFile(file, 'sync').catch((error: unknown) => error);
    expect(second).toBeInstanceOf(LockHeldError);
    expect((second as Error).message).toContain(`process ${process.pid}`);
    expect((second as Error).message).toContain(file);
    await lock.release();
    const again = await acquireLockFile(file, 'sync');
    expect(again.tookOverFrom).toBeUndefined();
    await again.release();
  });

  it('takes over a lock left by a process that no longer runs', async () => {
    const file = path.join(dir, 'dead.lock');
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
    const deadPid = Number(gone.stdout.toString());
    await writeFile(file, JSON.stringify({ pid: deadPid, host: hostname(), since: '2026-01-01T00:00:00Z', purpose: 'import' }));
    const lock = await acquireLockFile(file, 'import');
    expect(lock.tookOverFrom).toMatchObject({ pid: deadPid });
    expect(JSON.parse(await readFile(file, 'utf8')).pid).toBe(process.pid);
    await lock.release();
  });

  it('takes over an empty lock file left by a writer killed before writing, once it is old', async () => {
    const file = path.join(dir, 'torn.lock');
    await writeFile(file, '');
    await expect(acquireLockFile(file, 'import')).rejects.toBeInstanceOf(LockHeldError);
    const past = new Date(Date.now() - 60_000);
    await utimes(file, past, past);
    const lock = await acquireLockFile(file, 'sync');
    // the lock is now this process's, recorded as such, and excludes another taker
    expect(lock.tookOverFrom).toBeUndefined();
    expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({ pid: process.pid, host: hostname(), purpose: 'sync' });
    await expect(acquireLockFile(file, 'import')).rejects.toThrow(`process ${process.pid}`);
    await lock.release();
  });

  it('never takes over a lock held on another machine', async () => {
    const file = path.join(dir, 'remote.lock');
    await writeFile(file, JSON.stringify({ pid: 1, host: 'some-other-host', since: '2026-01-01T00:00:00Z', purpose: 'sync' }));
    await expect(acquireLockFile(file, 'import')).rejects.toThrow(/process 1 on some-other-host \(sync/);
  });
});
