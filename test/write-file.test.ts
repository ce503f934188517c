/** Files a command writes for its user (src/write-file.ts): whole or not at all, and named when they fail. */
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeWholeFile } from '../src/write-file.js';
import { scratchDir } from './support/fixtures.js';

describe('writeWholeFile', () => {
  it('replaces the file whole', async () => {
    const dir = await scratchDir();
    const file = path.join(dir, 'entries.json');
    await writeFile(file, 'old');
    await writeWholeFile(file, '[]\n');
    expect(await readFile(file, 'utf8')).toBe('[]\n');
    expect(await readdir(dir)).toEqual(['entries.json']);
  });

  it('a write that fails names the file, leaves what was there, and no temporary file', async () => {
    const dir = await scratchDir();
    // The place is a folder holding a file: the rename over it fails, after the bytes were written.
    const taken = path.join(dir, 'review.xlsx');
    await mkdir(taken);
    await writeFile(path.join(taken, 'keep.txt'), 'keep');
    const failure = (await writeWholeFile(taken, 'bytes').catch((error: unknown) => error)) as Error;
    expect(failure.message).toMatch(new RegExp(`^cannot write ${taken.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} \\((EISDIR|ENOTEMPTY|EEXIST): .*\\); it is as it was$`));
    expect(await readdir(dir)).toEqual(['review.xlsx']);
    expect(await readFile(path.join(taken, 'keep.txt'), 'utf8')).toBe('keep');
    // A folder that does not exist: nothing is created.
    const nowhere = path.join(dir, 'no-such-folder', 'out.csv');
    await expect(writeWholeFile(nowhere, 'x')).rejects.toThrow(`cannot write ${nowhere} (ENOENT: no such file or directory`);
    expect(existsSync(path.dirname(nowhere))).toBe(false);
  });
});
