/** Run the real CLI in a child process, as a user or a scheduler would. */
import { spawn, type ChildProcess } from 'node:child_process';
import { REPO } from './fixtures.js';

export const CLI = `${REPO}bin/cms-ingest.js`;

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export function startCli(args: readonly string[], env: NodeJS.ProcessEnv = {}): { child: ChildProcess; done: Promise<CliRun>; stderrSoFar: () => string } {
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd: REPO,
    env: { ...process.env, DATABASE_URL: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<CliRun>((resolve) => {
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, done, stderrSoFar: () => stderr };
}

export function runCli(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  return startCli(args, env).done;
}

/** Resolve once `predicate` holds for the child's stderr (polling), or reject after `ms`. */
export async function waitForStderr(run: ReturnType<typeof startCli>, predicate: (stderr: string) => boolean, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!predicate(run.stderrSoFar())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for the CLI; stderr so far:\n${run.stderrSoFar()}`);
    if (run.child.exitCode !== null) throw new Error(`the CLI exited early (${run.child.exitCode}); stderr:\n${run.stderrSoFar()}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
