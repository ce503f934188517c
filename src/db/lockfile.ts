/**
 * A lock file for the embedded database. PGlite has one session and no locking of its own: two
 * processes opening one data directory silently lose writes. The file records who holds it;
 * a lock whose process is gone (killed, crashed) is taken over.
 */
import { readFileSync } from 'node:fs';
import { open, readFile, stat, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { LockHeldError } from '../errors.js';

interface LockHolder {
  pid: number;
  host: string;
  since: string;
  purpose: string;
}

export interface HeldLock {
  readonly path: string;
  /** set when this lock replaced one left by a process that no longer runs */
  readonly tookOverFrom: LockHolder | undefined;
  release(): Promise<void>;
}

export async function acquireLockFile(path: string, purpose: string): Promise<HeldLock> {
  let tookOverFrom: LockHolder | undefined;
  for (let attempt = 0; attempt < 3; attempt++) {
    const me: LockHolder = { pid: process.pid, host: hostname(), since: new Date().toISOString(), purpose };
    try {
      const handle = await open(path, 'wx');
      await handle.writeFile(JSON.stringify(me));
      await handle.close();
      let released = false;
      return {
        path,
        tookOverFrom,
        async release() {
          if (released) return;
          released = true;
          await unlink(path).catch(() => undefined);
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = await readHolder(path);
    if (holder === 'gone') continue;
    if (holder === undefined && (await isAbandoned(path))) {
      // An empty or torn lock file: its writer died between creating and writing it.
      await unlink(path).catch(() => undefined);
      continue;
    }
    if (holder && holder.host === hostname() && !isRunning(holder.pid)) {
      // Left by a process that was killed: nobody uses the database; take it over.
      tookOverFrom = holder;
      await unlink(path).catch(() => undefined);
      continue;
    }
    const who = holder
      ? `process ${holder.pid} on ${printable(holder.host)} (${printable(holder.purpose)}, since ${printable(holder.since)})`
      : 'an unknown process (unreadable lock file)';
    throw new LockHeldError(
      `the embedded database is in use by ${who}; lock file ${path}. ` +
        'Wait for it to finish; if that process no longer exists, delete the lock file.',
    );
  }
  throw new LockHeldError(`could not take the lock file ${path}: it keeps changing hands`);
}

async function readHolder(path: string): Promise<LockHolder | undefined | 'gone'> {
  try {
    const parsed = JSON.parse(await readFile(path, 'utf8')) as Partial<LockHolder>;
    // Only a real process id names a holder: signal 0 to pid 0 or -1 reaches a whole process
    // group or every process, so such a file would read as held by a live process for ever.
    if (!Number.isSafeInteger(parsed.pid) || parsed.pid! <= 0 || typeof parsed.host !== 'string') return undefined;
    return { pid: parsed.pid!, host: parsed.host, since: String(parsed.since ?? '?'), purpose: String(parsed.purpose ?? '?') };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'gone';
    return undefined;
  }
}

/**
 * A lock file's text as one short line: the file is anyone's to write, and its fields go into an
 * error message (a terminal, a log line), so control characters are shown escaped and length bounded.
 */
function printable(text: string): string {
  const shown = text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return shown.length > 200 ? `${shown.slice(0, 200)}…` : shown;
}

/** An unreadable lock file older than a few seconds was not left by a live writer. */
async function isAbandoned(path: string): Promise<boolean> {
  try {
    return Date.now() - (await stat(path)).mtimeMs > 5_000;
  } catch {
    return false;
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  return !isZombie(pid);
}

/**
 * A killed process stays a zombie until its parent reaps it, and signal 0 still reaches a
 * zombie. Where nothing reaps (a container whose first process is a shell or the scheduler
 * itself), a killed import would hold the lock for ever: on Linux, read its state instead.
 */
function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // pid (comm) state …: comm may hold spaces and parentheses, so the state follows the last ')'
    return stat.charAt(stat.lastIndexOf(')') + 2) === 'Z';
  } catch {
    return false;
  }
}
