/**
 * Exit codes and signals, for every command. Exit codes: 0 success (also "nothing new"),
 * 1 failure, 2 usage error, 3 another run holds the lock, 128 + the signal's number (130 SIGINT,
 * 143 SIGTERM) for a run stopped by a signal.
 *
 * SIGTERM / SIGINT stop a long-running command cleanly (a sync aborts: its load in progress rolls
 * back; a schedule stops ticking); a second signal exits at once.
 */
export const EXIT = { ok: 0, failure: 1, usage: 2, locked: 3 } as const;

/** 128 + the signal number, as shells report a process ended by it. */
export function signalExitCode(signal: NodeJS.Signals): number {
  return signal === 'SIGINT' ? 130 : signal === 'SIGTERM' ? 143 : EXIT.failure;
}

/**
 * The exit code of a sync (with its --publish-to): 128 + the signal when one stopped it, 1 when a
 * release, a page or a publish target failed, else 0 (also when nothing was new).
 */
export function syncExitCode(result: { sync: { aborted: boolean }; ok: boolean }, signal: NodeJS.Signals | undefined): number {
  if (result.sync.aborted) return signalExitCode(signal ?? 'SIGTERM');
  return result.ok ? EXIT.ok : EXIT.failure;
}

export interface StopSignals {
  /** the first signal received, if any */
  received(): NodeJS.Signals | undefined;
  /** stop listening (the command is over) */
  dispose(): void;
}

/**
 * Until disposed, the first SIGTERM / SIGINT calls `stop` (the command winds down); a second one
 * calls `exiting` (to say so) and ends the process at once with 128 + its number.
 */
export function onStopSignals(handlers: { stop(signal: NodeJS.Signals): void; exiting(signal: NodeJS.Signals): void }): StopSignals {
  let received: NodeJS.Signals | undefined;
  const handler = (signal: NodeJS.Signals) => {
    if (received !== undefined) {
      handlers.exiting(signal);
      process.exit(signalExitCode(signal));
    }
    received = signal;
    handlers.stop(signal);
  };
  process.on('SIGTERM', handler);
  process.on('SIGINT', handler);
  return {
    received: () => received,
    dispose() {
      process.off('SIGTERM', handler);
      process.off('SIGINT', handler);
    },
  };
}

/**
 * An abort signal for one run that SIGTERM / SIGINT trigger (the load in progress rolls back,
 * downloads stop, the database closes, then the command exits with 128 + the signal), saying so
 * on `stderr`.
 */
export function interruptOnSignals(stderr: NodeJS.WritableStream, undoing = 'a load in progress is rolled back'): StopSignals & { signal: AbortSignal } {
  const controller = new AbortController();
  const signals = onStopSignals({
    stop(signal) {
      stderr.write(`\n${signal}: stopping; ${undoing} (send ${signal} again to exit at once)\n`);
      controller.abort(new Error(`interrupted by ${signal}`));
    },
    exiting: (signal) => stderr.write(`\n${signal} again: exiting now\n`),
  });
  return { ...signals, signal: controller.signal };
}

/**
 * Run `work` with an abort signal that SIGINT / SIGTERM trigger (said on `stderr`, with what is
 * `undoing`: `the export in progress is removed`). When a signal
 * came, the exit code is 128 + its number, whether `work` then failed (its error is thrown, and
 * printed as any) or finished.
 */
export async function untilSignalled<T>(
  stderr: NodeJS.WritableStream,
  undoing: string,
  work: (signal: AbortSignal) => Promise<T>,
  /** the work did all it had to although a signal came (it came while the database closed): its own exit code stands */
  completed?: (result: T) => boolean,
): Promise<T> {
  const interrupt = interruptOnSignals(stderr, undoing);
  let result: { value: T } | undefined;
  try {
    result = { value: await work(interrupt.signal) };
    return result.value;
  } finally {
    interrupt.dispose();
    const signal = interrupt.received();
    if (signal !== undefined && result !== undefined && completed?.(result.value)) {
      stderr.write(`${signal} came after the work was done: nothing was undone\n`);
    } else if (signal !== undefined) process.exitCode = signalExitCode(signal);
  }
}
