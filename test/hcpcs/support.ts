/**
 * Test helpers for the HCPCS datasets: a MemberFile from a path or bytes, a ParseContext that
 * records warnings, and reading a dataset to an array.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { Dataset, FileFormat, MemberFile, ParseContext, SourceRow } from '../../src/pipeline.js';

export const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/hcpcs');

export function fixturePath(...parts: string[]): string {
  return path.join(FIXTURES, ...parts);
}

function formatOf(name: string): FileFormat {
  const ext = path.extname(name).slice(1).toLowerCase();
  if (ext === 'txt' || ext === 'xlsx' || ext === 'xls' || ext === 'csv') return ext;
  throw new Error(`not a data file: ${name}`);
}

/** A member from bytes; `name` may include folders (`2020/HCPC2020_ANWEB.txt`), `path` is that name. */
export function memberFromBytes(name: string, bytes: Buffer | Uint8Array, chunkSize?: number): MemberFile {
  const buffer = Buffer.from(bytes);
  const base = path.basename(name);
  return {
    name: base,
    stem: path.basename(base, path.extname(base)),
    path: name,
    format: formatOf(base),
    size: buffer.length,
    // Small chunks exercise the line reader across chunk boundaries.
    open: async () => Readable.from(chunks(buffer, chunkSize ?? buffer.length)),
    bytes: async () => buffer,
    sha256: async () => createHash('sha256').update(buffer).digest('hex'),
  };
}

export function memberFromPath(file: string, name = path.basename(file)): MemberFile {
  return memberFromBytes(name, readFileSync(file));
}

function* chunks(buffer: Buffer, size: number): Generator<Buffer> {
  for (let start = 0; start < buffer.length; start += Math.max(1, size)) yield buffer.subarray(start, start + size);
}

export interface TestContext extends ParseContext {
  readonly warnings: { message: string; where?: { line?: number; column?: string } }[];
}

export function testContext(file: MemberFile): TestContext {
  const warnings: TestContext['warnings'] = [];
  return {
    file,
    role: 'main',
    warnings,
    warn: (message, where) => void warnings.push({ message, ...(where ? { where } : {}) }),
    fact: () => undefined,
  };
}

export async function readAll(dataset: Dataset, file: MemberFile): Promise<SourceRow[]> {
  const rows: SourceRow[] = [];
  for await (const row of dataset.read(file, testContext(file))) rows.push(row);
  return rows;
}

/** Rows keyed by the dataset's key. */
export function byKey(dataset: Dataset, rows: readonly SourceRow[]): Map<string, SourceRow['values']> {
  return new Map(rows.map((row) => [dataset.key.map((column) => String(row.values[column])).join('|'), row.values]));
}
