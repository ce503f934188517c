/**
 * Scratch data stays inside the run folder and goes with its test file. The other half of the
 * check is global teardown: it fails the run if any test file left anything in the run folder.
 */
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, test, beforeAll } from 'vitest';
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
