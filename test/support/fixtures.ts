/** Paths to committed fixtures, and scratch copies that a test may break on purpose. */
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { unzipSync, zipSync, type Zippable } from 'fflate';

export const FIXTURES = fileURLToPath(new URL('../../fixtures/', import.meta.url));
export const REPO = fileURLToPath(new URL('../../', import.meta.url));

export function fixture(...parts: string[]): string {
  return path.join(FIXTURES, ...parts);
}

export const pfsZip = (release: 'rvu24b' | 'rvu25d' | 'rvu26c' | 'rvu26a') => fixture('pfs', 'zips', `${release}.zip`);

export { scratchDir } from './scratch.js';

/** Members of a fixture zip, to rebuild a variant of it. */
export async function zipMembers(zip: string): Promise<Record<string, Uint8Array>> {
  return unzipSync(new Uint8Array(await readFile(zip)));
}

/** Write a zip of `members` (name → bytes) to `dir/name`. */
export async function writeZip(dir: string, name: string, members: Record<string, Uint8Array | string>): Promise<string> {
  const files: Zippable = {};
  for (const [member, content] of Object.entries(members)) {
    files[member] = typeof content === 'string' ? new TextEncoder().encode(content) : content;
  }
  const target = path.join(dir, name);
  await mkdir(path.dirname(target), { recursive: true });
  await writeFile(target, zipSync(files));
  return target;
}

/** Write one file (text is written as latin1 bytes, so every byte is what the test wrote). */
export async function writeFixtureFile(dir: string, name: string, content: string | Uint8Array): Promise<string> {
  const target = path.join(dir, name);
  await mkdir(path.dirname(target), { recursive: true });
  await writeFile(target, typeof content === 'string' ? Buffer.from(content, 'latin1') : content);
  return target;
}

export async function readText(file: string): Promise<string> {
  return (await readFile(file)).toString('latin1');
}

/** Replace the first occurrence of `from` in a text (fails loudly if the fixture changed). */
export function replaceOnce(text: string, from: string | RegExp, to: string): string {
  const next = text.replace(from, to);
  if (next === text) throw new Error(`fixture text not found: ${String(from)}`);
  return next;
}
