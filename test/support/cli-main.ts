/**
 * The CLI run in this process, through its entry function `main(argv)`: the same flags →
 * options → API → renderer path as the bin, without a Node start, a tsx compile and a fresh
 * embedded database per case. For output and exit-code tests; signals, the lock between
 * processes and the bin itself keep real processes (./cli.ts).
 *
 * The CLI reads process.env and writes to process.stdout/stderr, so a run swaps those for its
 * duration; runs in one test file are queued, never overlapped.
 */
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { inject } from 'vitest';
import { main } from '../../src/cli/main.js';
import type { CliRun } from './cli.js';
import type { Backend } from './db.js';
import { createScratchDatabase, dropScratchDatabase } from './postgres-scratch.js';
import { untar } from './untar.js';

let queue: Promise<unknown> = Promise.resolve();

export function runCliInProcess(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  const run = queue.then(() => runNow(args, { DATABASE_URL: '', ...env }));
  queue = run.catch(() => undefined);
  return run;
}

async function runNow(args: readonly string[], env: NodeJS.ProcessEnv): Promise<CliRun> {
  const savedEnv = Object.fromEntries(Object.keys(env).map((name) => [name, process.env[name]]));
  const savedExitCode = process.exitCode;
  const writes = { stdout: process.stdout.write, stderr: process.stderr.write };
  let stdout = '';
  let stderr = '';
  const capture = (append: (text: string) => void) =>
    function write(chunk: string | Uint8Array, encoding?: BufferEncoding | ((error?: Error | null) => void), done?: (error?: Error | null) => void): boolean {
      append(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString());
      const callback = typeof encoding === 'function' ? encoding : done;
      if (callback) queueMicrotask(() => callback());
      return true;
    };
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  process.exitCode = undefined;
  process.stdout.write = capture((text) => (stdout += text)) as typeof process.stdout.write;
  process.stderr.write = capture((text) => (stderr += text)) as typeof process.stderr.write;
  try {
    const code = await main(args);
    return { code, signal: null, stdout, stderr };
  } finally {
    process.stdout.write = writes.stdout;
    process.stderr.write = writes.stderr;
    process.exitCode = savedExitCode;
    for (const [name, value] of Object.entries(savedEnv)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

/**
 * An embedded-database home (`$CMS_INGEST_HOME`) with the migrated schema already in it, restored
 * from the test run's snapshot (test/support/global-setup.ts): a CLI run on it skips initdb and
 * the migrations. The data directory is where `openEmbedded` looks for it. The snapshot is a tar
 * of a data directory, unpacked as files (a fifth of the CPU of booting PGlite to restore it).
 */
export async function seedEmbeddedHome(home: string): Promise<void> {
  await mkdir(home, { recursive: true });
  await untar(await readFile(inject('pgliteSnapshot')), path.join(home, 'pgdata'));
}

/** `seedEmbeddedHome`, returning the home. */
export async function migratedHome(home: string): Promise<string> {
  await seedEmbeddedHome(home);
  return home;
}

/**
 * Where a CLI test file runs on `backend`: a scratch PostgreSQL database (DATABASE_URL), or an
 * embedded home in `dir` restored from the migrated snapshot (CMS_INGEST_HOME). `drop` removes the
 * scratch database; a home goes with the scratch folder.
 */
export async function cliBackend(backend: Backend, dir: string): Promise<{ env: NodeJS.ProcessEnv; drop(): Promise<void> }> {
  if (backend === 'postgres') {
    const url = await createScratchDatabase();
    return { env: { DATABASE_URL: url }, drop: () => dropScratchDatabase(url) };
  }
  return { env: { CMS_INGEST_HOME: await migratedHome(path.join(dir, 'home')) }, drop: async () => undefined };
}
