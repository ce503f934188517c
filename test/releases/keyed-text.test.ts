/**
 * keyedText (src/releases/load.ts): a file's rows as COPY text, in strings of at least 64 K
 * characters whatever the reader's batches, so that a reader yielding one row at a time (HCPCS's)
 * does not cost two socket writes per row.
 */
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { hcpcsModifierDataset } from '../../pipelines/hcpcs/datasets.js';
import type { Dataset, MemberFile, SourceRow } from '../../src/pipeline.js';
import { keyedText, type LoadReporter } from '../../src/releases/load.js';

const member: MemberFile = {
  name: 'modifiers.txt',
  stem: 'modifiers',
  path: 'modifiers.txt',
  format: 'txt',
  size: 1,
  open: async () => Readable.from([]),
  bytes: async () => Buffer.alloc(0),
  sha256: async () => '0'.repeat(64),
};
const reporter: LoadReporter = { warn: () => undefined, fact: () => undefined };

/** The modifier dataset, its rows yielded one at a time: `count` modifiers with 60-character descriptions. */
function oneRowAtATime(count: number): Dataset {
  return {
    ...hcpcsModifierDataset,
    async *read(): AsyncGenerator<SourceRow> {
      for (let index = 0; index < count; index++) {
        yield { line: index + 1, values: { modifier: `M${index}`, long_description: 'd'.repeat(60), short_description: 'short' } };
      }
    },
  };
}

async function chunksOf(dataset: Dataset): Promise<{ chunks: string[]; rows: number }> {
  const counter = { rows: 0 };
  const chunks: string[] = [];
  for await (const chunk of keyedText(dataset, { member, role: 'main', crossCheck: [] }, reporter, '7', false, counter)) chunks.push(chunk);
  return { chunks, rows: counter.rows };
}

describe('keyedText', () => {
  it('gathers one-row batches into chunks of at least 64 K characters, every row once and in order', async () => {
    const { chunks, rows } = await chunksOf(oneRowAtATime(3000));
    expect(rows).toBe(3000);
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.length).toBeLessThan(10);
    for (const chunk of chunks.slice(0, -1)) expect(chunk.length).toBeGreaterThanOrEqual(64 << 10);
    const lines = chunks.join('').split('\n').slice(0, -1);
    expect(lines).toHaveLength(3000);
    expect(lines.map((line) => line.split('\t')[1])).toEqual(Array.from({ length: 3000 }, (_, index) => `M${index}`));
    expect(lines[0]!.split('\t').slice(0, 4)).toEqual(['7', 'M0', 'd'.repeat(60), 'short']);
  });

  it('hands on a file smaller than a chunk in one string, and still refuses a repeated key with both lines', async () => {
    const small = await chunksOf(oneRowAtATime(10));
    expect(small.chunks).toHaveLength(1);
    expect(small.rows).toBe(10);

    const repeated: Dataset = {
      ...hcpcsModifierDataset,
      async *read(): AsyncGenerator<SourceRow> {
        yield { line: 1, values: { modifier: 'AA', long_description: 'first' } };
        yield { line: 2, values: { modifier: 'AB', long_description: 'second' } };
        yield { line: 3, values: { modifier: 'AA', long_description: 'again' } };
      },
    };
    await expect(chunksOf(repeated)).rejects.toMatchObject({ message: expect.stringContaining('duplicate key') });
    await expect(chunksOf(repeated)).rejects.toMatchObject({ message: expect.stringMatching(/line 3.*line 1|line 1.*line 3/s) });
  });
});
