/**
 * On the embedded database, V8 compiles PGlite's WebAssembly with its baseline compiler only,
 * except for exports and publishes of every locality's payments, whose queries run for minutes
 * (src/db/pglite.ts, EmbeddedOptions). V8 says which compiler built each function when run with
 * --trace-wasm-compilation-times; nothing here is timed.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI } from '../support/cli.js';
import { REPO } from '../support/fixtures.js';

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), 'cms-ingest-wasm-'));
});
afterAll(async () => rm(scratch, { recursive: true, force: true }));

/** How many WebAssembly functions each compiler built while `cms-ingest <args>` ran on the embedded database. */
async function compiledBy(args: string[]): Promise<{ liftoff: number; turbofan: number }> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--trace-wasm-compilation-times', CLI, ...args], {
    cwd: REPO,
    env: { ...process.env, DATABASE_URL: '', CMS_INGEST_HOME: path.join(scratch, 'home') },
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  return {
    liftoff: stdout.match(/^Compiled function .* using Liftoff/gm)?.length ?? 0,
    turbofan: stdout.match(/^Compiled function .* using TurboFan/gm)?.length ?? 0,
  };
}

describe('WebAssembly compilers on the embedded database', () => {
  it('releases, and an export of no payments, use the baseline compiler alone', async () => {
    const releases = await compiledBy(['releases']);
    expect(releases.liftoff).toBeGreaterThan(100);
    expect(releases.turbofan).toBe(0);
    const small = await compiledBy(['export', '--to', path.join(scratch, 'none'), '--payment-localities', 'none']);
    expect(small.liftoff).toBeGreaterThan(100);
    expect(small.turbofan).toBe(0);
  });

  it("an export of every locality's payments (the default) also optimises the functions that run hot", async () => {
    const all = await compiledBy(['export', '--to', path.join(scratch, 'all')]);
    expect(all.turbofan).toBeGreaterThan(0);
  });
});
