/**
 * makeDirectory: `mkdir -p` whose failures are the system's own and end the call. Node 20's
 * recursive mkdir looped for ever under /proc and said ENOENT on a read-only mount.
 */
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeDirectory } from '../src/make-directory.js';

describe('makeDirectory', () => {
  let scratch: string;
  beforeAll(async () => {
    scratch = await mkdtemp(path.join(tmpdir(), 'cms-mkdir-'));
  });
  afterAll(() => rm(scratch, { recursive: true, force: true }));

  it('makes every missing level, and is content when the folder exists', async () => {
    const deep = path.join(scratch, 'a', 'b', 'c');
    await makeDirectory(deep);
    expect((await stat(deep)).isDirectory()).toBe(true);
    await makeDirectory(deep);
  });

  it('fails with ENOTDIR where the path, or a folder on it, is a file', async () => {
    const file = path.join(scratch, 'file');
    await writeFile(file, 'x');
    await expect(makeDirectory(file)).rejects.toMatchObject({ code: 'ENOTDIR' });
    await expect(makeDirectory(path.join(file, 'below'))).rejects.toMatchObject({ code: 'ENOTDIR' });
  });

  it.runIf(process.platform === 'linux')('fails at once under /proc, where a folder cannot be made (Node 20 looped for ever)', async () => {
    await expect(makeDirectory('/proc/cms-ingest-test/below')).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
