/**
 * A large PPRRVU file made from the real RVU25D excerpt: its preamble and header, then `rows`
 * synthetic codes cloned from the 99213 row. Big enough that a load can be interrupted mid-way.
 */
import { readFile } from 'node:fs/promises';
import { fixture, writeZip } from './fixtures.js';

export async function writeBigRelease(dir: string, rows: number): Promise<string> {
  const text = (await readFile(fixture('pfs', 'rvu25d', 'PPRRVU2025_Oct.csv'))).toString('latin1');
  const lines = text.split('\r\n');
  const header = lines.slice(0, 10);
  const template = lines.find((line) => line.startsWith('99213,'))!;
  const body: string[] = [];
  for (let index = 0; index < rows; index++) {
    const code = `${String.fromCharCode(65 + Math.floor(index / 10_000))}${String(index % 10_000).padStart(4, '0')}`;
    body.push(template.replace(/^99213,,CPT descriptor withheld 99213,/, `${code},,Synthetic service ${code},`));
  }
  return writeZip(dir, 'rvu25d.zip', { 'PPRRVU2025_Oct.csv': [...header, ...body, ''].join('\r\n') });
}
