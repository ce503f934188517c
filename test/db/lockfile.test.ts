/** The embedded database's lock file: it excludes a live holder and takes over from a dead one. */
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { readFile, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { acquireLockFile } from '../../src/db/lockfile.js';
import { commandOf } from '../../src/db/pglite.js';
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

  it('takes over a lock whose process was killed and is a zombie nobody has reaped yet', async () => {
    const file = path.join(dir, 'zombie.lock');
    // The background child exits once its shell has exec'd into `sleep 30` (`$$` is that shell's
    // pid), so nothing is left to reap it: a zombie. Exiting any sooner, the shell may still reap it.
    const script = 'until [ "$(cat /proc/$$/comm)" = sleep ]; do sleep 0.02; done & echo $!; exec sleep 30';
    const parent = spawn('sh', ['-c', script], { stdio: ['ignore', 'pipe', 'ignore'] });
    try {
      const zombie = Number((await once(parent.stdout!, 'data'))[0].toString().trim());
      await expect.poll(async () => (await readFile(`/proc/${zombie}/stat`, 'utf8').catch(() => '')).split(') ')[1]?.[0], { timeout: 10_000 }).toBe('Z');
      await writeFile(file, JSON.stringify({ pid: zombie, host: hostname(), since: '2026-01-01T00:00:00Z', purpose: 'cms-ingest import' }));
      const lock = await acquireLockFile(file, 'import');
      expect(lock.tookOverFrom).toMatchObject({ pid: zombie });
      await lock.release();
      // a live process (the parent, sleeping) still holds its lock
      await writeFile(file, JSON.stringify({ pid: parent.pid, host: hostname(), since: '2026-01-01T00:00:00Z', purpose: 'cms-ingest sync' }));
      await expect(acquireLockFile(file, 'import')).rejects.toThrow(`process ${parent.pid} on ${hostname()} (cms-ingest sync`);
    } finally {
      parent.kill();
    }
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

  it('never reads pid 0, -1 or a fraction as a live holder: such a file is taken over once old, like a torn one', async () => {
    // signal 0 to pid 0 reaches this process group and to -1 every process: both "succeed"
    for (const pid of [0, -1, 1.5, '42']) {
      const file = path.join(dir, `bad-pid-${String(pid)}.lock`);
      await writeFile(file, JSON.stringify({ pid, host: hostname(), since: '2026-01-01T00:00:00Z', purpose: 'import' }));
      await expect(acquireLockFile(file, 'import')).rejects.toThrow('an unknown process (unreadable lock file)');
      const past = new Date(Date.now() - 60_000);
      await utimes(file, past, past);
      const lock = await acquireLockFile(file, 'sync');
      expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({ pid: process.pid, purpose: 'sync' });
      await lock.release();
    }
  });

  it('shows a holder\'s fields on one bounded line: control characters escaped, long text cut', async () => {
    const file = path.join(dir, 'odd-text.lock');
    const purpose = 'sync\n\u001b[2Jcleared' + 'x'.repeat(500);
    await writeFile(file, JSON.stringify({ pid: 1, host: 'other\rhost', since: '2026-01-01T00:00:00Z', purpose }));
    const error = (await acquireLockFile(file, 'import').catch((caught: unknown) => caught)) as Error;
    expect(error).toBeInstanceOf(LockHeldError);
    expect(error.message).toContain('process 1 on other\\u000dhost (sync\\u000a\\u001b[2Jcleared');
    expect(error.message).not.toMatch(/[\n\r\u001b]/);
    expect(error.message).toContain('…');
    expect(error.message.length).toBeLessThan(500);
  });

  it('never takes over a lock held on another machine', async () => {
    const file = path.join(dir, 'remote.lock');
    await writeFile(file, JSON.stringify({ pid: 1, host: 'some-other-host', since: '2026-01-01T00:00:00Z', purpose: 'sync' }));
    await expect(acquireLockFile(file, 'import')).rejects.toThrow(/process 1 on some-other-host \(sync/);
  });

  it('names the command of the process holding the embedded database, whatever global options come first; never an option value', () => {
    expect(commandOf(['sync', '--mirror', 'http://127.0.0.1:1/'])).toBe('sync');
    expect(commandOf(['--home', '/data/cms', 'sync'])).toBe('sync');
    expect(commandOf(['--quiet', '--home=/data/cms', '--json', 'import', 'rvu25d.zip'])).toBe('import');
    expect(commandOf(['--database-url', 'postgres://u:secret@db/x', 'releases'])).toBe('releases');
    // publish reads the embedded database; its --to URL (a password in it) is not recorded
    expect(commandOf(['--home', 'h', 'publish', '--to', 'postgres://u:secret@db/x'])).toBe('publish');
    expect(commandOf(['--home', 'h'])).toBe('');
  });
});
