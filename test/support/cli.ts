/**
 * Run the real CLI in a child process, as a user or a scheduler would.
 *
 * Waits are on events (a line of output, the exit), bounded only by a generous overall deadline:
 * on a machine shared by several test runs a process can take minutes to start or load, and a
 * fixed short wait fails there. Every child is registered until it exits; `killLeftoverChildren`
 * (a per-file hook, `process-setup.ts`) ends whatever a failed or timed-out test left running,
 * so no `cms-ingest.js schedule` outlives its test.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { REPO } from './fixtures.js';

export const CLI = `${REPO}bin/cms-ingest.js`;

/** How long a wait on a child's output may take before it fails: generous, for a loaded machine. */
export const PROCESS_WAIT_MS = 240_000;
/** The timeout of a test that starts processes and waits on them (several waits plus the checks). */
export const PROCESS_TEST_TIMEOUT_MS = 600_000;

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface StartedCli {
  child: ChildProcess;
  done: Promise<CliRun>;
  stdoutSoFar: () => string;
  stderrSoFar: () => string;
}

const live = new Set<ChildProcess>();

export function startCli(args: readonly string[], env: NodeJS.ProcessEnv = {}): StartedCli {
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd: REPO,
    env: { ...process.env, DATABASE_URL: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<CliRun>((resolve) => {
    child.on('close', (code, signal) => {
      live.delete(child);
      resolve({ code, signal, stdout, stderr });
    });
  });
  return { child, done, stdoutSoFar: () => stdout, stderrSoFar: () => stderr };
}

export function runCli(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  return startCli(args, env).done;
}

/**
 * Resolve once `predicate` holds for what the child has written to `stream` (checked on each
 * chunk); reject if the child exits first, or after `ms`.
 */
export function waitForOutput(run: StartedCli, stream: 'stdout' | 'stderr', predicate: (text: string) => boolean, ms = PROCESS_WAIT_MS): Promise<void> {
  const soFar = stream === 'stdout' ? run.stdoutSoFar : run.stderrSoFar;
  if (predicate(soFar())) return Promise.resolve();
  return new Promise<void>((resolve, reject) => {
    const source = run.child[stream]!;
    const finish = (error?: Error) => {
      clearTimeout(timer);
      source.off('data', onData);
      run.child.off('close', onClose);
      if (error) reject(error);
      else resolve();
    };
    // listeners added after startCli's own: the text they see already holds the new chunk
    const onData = () => {
      if (predicate(soFar())) finish();
    };
    const onClose = (code: number | null, signal: NodeJS.Signals | null) => {
      if (predicate(soFar())) finish();
      else finish(new Error(`the CLI exited (${code ?? signal}) before the awaited ${stream}; stderr:\n${run.stderrSoFar()}`));
    };
    const timer = setTimeout(() => finish(new Error(`no awaited ${stream} from the CLI within ${ms} ms; stderr so far:\n${run.stderrSoFar()}`)), ms);
    source.on('data', onData);
    run.child.on('close', onClose);
  });
}

export function waitForStderr(run: StartedCli, predicate: (stderr: string) => boolean, ms = PROCESS_WAIT_MS): Promise<void> {
  return waitForOutput(run, 'stderr', predicate, ms);
}

export function waitForStdout(run: StartedCli, predicate: (stdout: string) => boolean, ms = PROCESS_WAIT_MS): Promise<void> {
  return waitForOutput(run, 'stdout', predicate, ms);
}

/**
 * Resolve once `condition` holds (a state of the test's own servers or files, checked every
 * 20 ms); reject if `run` exits first, or after `ms`.
 */
export async function waitUntil(condition: () => boolean | Promise<boolean>, what: string, run?: StartedCli, ms = PROCESS_WAIT_MS): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (run && (run.child.exitCode !== null || run.child.signalCode !== null)) throw new Error(`the CLI exited before ${what}; stderr:\n${run.stderrSoFar()}`);
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting until ${what}${run ? `; stderr so far:\n${run.stderrSoFar()}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** SIGKILL every child still running and wait until each has exited. */
export async function killLeftoverChildren(): Promise<number> {
  const children = [...live];
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) => {
          child.once('close', () => resolve());
          if (child.exitCode !== null || child.signalCode !== null) resolve();
          else child.kill('SIGKILL');
        }),
    ),
  );
  return children.length;
}

// a worker that ends (or is ended) with children still running takes them along
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});
