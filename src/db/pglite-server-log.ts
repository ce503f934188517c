/**
 * PostgreSQL's own words inside PGlite, and what to do once it has panicked.
 *
 * PGlite reports a failed start as "PGlite failed to initialize properly"; the reason is the
 * server's last FATAL line on stderr. A PANIC (a full disk: PostgreSQL cannot write its WAL)
 * leaves the instance dead: PGlite prints `Aborted()`, and the next statement sent to it (the
 * load's rollback) made PostgreSQL loop at full CPU for ever — an import on a full disk hung
 * (2026-12-02). Once a PANIC is seen nothing more is sent to that instance: the command fails
 * with the server's reason, and the database recovers from its WAL when it next opens, as after
 * a killed process.
 */

import type { PGlite } from '@electric-sql/pglite';

const PROBLEM = /\b(?:PANIC|FATAL|ERROR):\s+(.*\S)/;
const PANIC = /\bPANIC:\s+(.*\S)/;
/** A full disk, as PostgreSQL words it (WAL, relation and temporary files alike). */
const DISK_FULL = /No space left on device|could not extend file|disk quota exceeded/i;

export class ServerLog {
  readonly #lines: string[] = [];
  #panic: string | undefined;

  /** PGlite's onStderr: keeps the last lines, and the first PANIC. */
  readonly add = (text: string): boolean => {
    this.#lines.push(text);
    if (this.#lines.length > 20) this.#lines.shift();
    if (this.#panic === undefined) {
      const panic = PANIC.exec(text);
      if (panic) this.#panic = panic[1];
      else if (text.trim() === 'Aborted()') this.#panic = 'PostgreSQL aborted';
    }
    return false;
  };

  /** the server's reason for the PANIC that stopped it, once there was one */
  get panic(): string | undefined {
    return this.#panic;
  }

  /** `could not write to file "pg_wal/xlogtemp.42": No space left on device`, or undefined */
  lastProblem(): string | undefined {
    for (let index = this.#lines.length - 1; index >= 0; index--) {
      const match = PROBLEM.exec(this.#lines[index]!);
      if (match) return match[1];
    }
    return undefined;
  }
}

/** What to do about a full disk, in both messages below. */
const FREE_SPACE = 'free space there (PostgreSQL writes its log in segments of 16 MB) and run again';

export function isDiskFull(serverProblem: string | undefined): boolean {
  return serverProblem !== undefined && DISK_FULL.test(serverProblem);
}

/**
 * Why the database did not open, and what to do. A full disk is not damage (PostgreSQL could not
 * write its log): moving the database aside would help nobody.
 */
export function openFailure(dataDir: string, error: unknown, log: ServerLog): Error {
  const serverProblem = log.lastProblem();
  const pgliteMessage = (error as Error).message || String(error);
  const reason = serverProblem ? `${pgliteMessage}: ${serverProblem}` : pgliteMessage;
  if (isDiskFull(serverProblem)) {
    return new Error(
      `the embedded database in ${dataDir} cannot be opened (${reason}): the disk it is on is full. ` +
        `${FREE_SPACE[0]!.toUpperCase()}${FREE_SPACE.slice(1)}; the database is not damaged`,
      { cause: error },
    );
  }
  // PGlite's own message (often a bare WebAssembly abort) says neither where nor what to do
  return new Error(
    `the embedded database in ${dataDir} cannot be opened (${reason}); if it is damaged, ` +
      `move it aside (mv ${JSON.stringify(dataDir)} ${JSON.stringify(`${dataDir}.broken`)}) and the next run starts a fresh, empty database`,
    { cause: error },
  );
}

/** The embedded database's PostgreSQL has stopped (a PANIC): what happened, and what to do. */
export class EmbeddedDatabaseStopped extends Error {
  constructor(dataDir: string, panic: string, options?: ErrorOptions) {
    const advice = isDiskFull(panic) ? `the disk it is on is full: ${FREE_SPACE}` : 'run again';
    super(
      `the embedded database in ${dataDir} stopped (PostgreSQL PANIC: ${panic}); nothing of this command was committed, and ` +
        `PostgreSQL recovers the database from its log when it next opens. ${advice[0]!.toUpperCase()}${advice.slice(1)}`,
      options,
    );
  }
}

/** What cms-ingest sends a PGlite through: its statements, its COPYs, the node-postgres bridge. */
export type PgliteSession = Pick<PGlite, 'query' | 'exec' | 'execProtocolStream' | 'waitReady'>;

/** `pglite`, refusing every statement once its PostgreSQL has panicked. */
export function refusingAfterPanic(pglite: PGlite, log: ServerLog, dataDir: string): PgliteSession {
  const alive = (): void => {
    if (log.panic !== undefined) throw new EmbeddedDatabaseStopped(dataDir, log.panic);
  };
  return {
    waitReady: pglite.waitReady,
    query: (async (...args: Parameters<PGlite['query']>) => {
      alive();
      return pglite.query(...args);
    }) as PGlite['query'],
    exec: async (...args: Parameters<PGlite['exec']>) => {
      alive();
      return pglite.exec(...args);
    },
    execProtocolStream: async (...args: Parameters<PGlite['execProtocolStream']>) => {
      alive();
      return pglite.execProtocolStream(...args);
    },
  };
}
