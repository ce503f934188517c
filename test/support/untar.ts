/**
 * Unpack a plain (ustar, uncompressed) tar such as PGlite's `dumpDataDir('none')` into a folder:
 * directories and regular files only, anything else refused, nothing written outside the folder.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

export async function untar(tar: Uint8Array, into: string): Promise<void> {
  const bytes = Buffer.from(tar.buffer, tar.byteOffset, tar.byteLength);
  const root = path.resolve(into);
  await mkdir(root, { recursive: true, mode: 0o700 });
  let offset = 0;
  while (offset + 512 <= bytes.length) {
    const header = bytes.subarray(offset, offset + 512);
    if (header.every((byte) => byte === 0)) break; // the end-of-archive blocks
    const field = (from: number, length: number) => header.subarray(from, from + length).toString('latin1').replace(/\0[\s\S]*$/, '');
    const prefix = field(257, 5) === 'ustar' ? field(345, 155) : '';
    const name = prefix ? `${prefix}/${field(0, 100)}` : field(0, 100);
    const size = parseInt(field(124, 12).trim() || '0', 8);
    const type = field(156, 1) || '0';
    const target = path.resolve(root, name.replace(/^\/+/, ''));
    if (target !== root && !target.startsWith(root + path.sep)) throw new Error(`tar member ${JSON.stringify(name)} lies outside ${root}`);
    offset += 512;
    if (type === '5') await mkdir(target, { recursive: true, mode: 0o700 });
    else if (type === '0') {
      await mkdir(path.dirname(target), { recursive: true, mode: 0o700 });
      await writeFile(target, bytes.subarray(offset, offset + size), { mode: 0o600 });
    } else throw new Error(`tar member ${JSON.stringify(name)}: type ${JSON.stringify(type)} is not a file or a directory`);
    offset += Math.ceil(size / 512) * 512;
  }
}
