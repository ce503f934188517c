/**
 * untilSignalled: a SIGTERM that comes while a command's work runs gives exit 143, unless the
 * work did all it had to (an import whose loads had committed, the signal coming while the
 * database closed): then nothing was undone, the command says so, and its own exit code stands.
 */
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { untilSignalled } from '../../src/cli/signals.js';

describe('untilSignalled', () => {
  const exitCode = process.exitCode;
  afterEach(() => {
    process.exitCode = exitCode;
  });

  async function run(completed: boolean | undefined): Promise<{ stderr: string; exitCode: typeof process.exitCode }> {
    const stderr = new PassThrough();
    let text = '';
    stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
    process.exitCode = undefined;
    await untilSignalled(
      stderr,
      'a load in progress is rolled back',
      async (signal) => {
        // the signal arrives while the work runs; this work ignores it and finishes
        process.emit('SIGTERM', 'SIGTERM');
        expect(signal.aborted).toBe(true);
        return { interrupted: completed === false };
      },
      completed === undefined ? undefined : ({ interrupted }) => !interrupted,
    );
    const result = { stderr: text, exitCode: process.exitCode };
    process.exitCode = exitCode;
    return result;
  }

  it('exits 143 when the work was interrupted', async () => {
    const { stderr, exitCode: code } = await run(false);
    expect(code).toBe(143);
    expect(stderr).toContain('SIGTERM: stopping; a load in progress is rolled back');
    expect(stderr).not.toContain('nothing was undone');
  });

  it('exits 143 when the command cannot tell', async () => {
    expect((await run(undefined)).exitCode).toBe(143);
  });

  it('keeps the work\'s exit code, and says nothing was undone, when the work had done everything', async () => {
    const { stderr, exitCode: code } = await run(true);
    expect(code).toBeUndefined();
    expect(stderr).toMatch(/SIGTERM came after the work was done: nothing was undone\n$/);
  });
});
