/**
 * Per test file (vitest setupFiles): after each test, end the CLI processes it started that are
 * still running (a test that failed or timed out before its child exited), so none outlives it.
 */
import { afterEach } from 'vitest';
import { killLeftoverChildren } from './cli.js';

afterEach(async () => {
  await killLeftoverChildren();
});
