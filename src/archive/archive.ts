/**
 * What the importer reads from: a zip as CMS publishes it, the folder it unzips to, or one file
 * from it. Each is a list of data members with byte streams, plus a sha256 identifying the bytes.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { InputError } from '../errors.js';
import type { MemberFile } from '../pipeline.js';
import { DEFAULT_LIMITS, type ArchiveLimits } from './limits.js';
import { formatOf, isNoise, stemOf } from './members.js';
import type { Archive } from './types.js';
import { openZip } from './zip.js';

export type { Archive } from './types.js';

export interface OpenOptions {
  limits?: ArchiveLimits | undefined;
  /**
   * The name the source is known by, in place of its base name: in member paths, messages and
   * identity (sync opens a cached `<sha256>.zip` as the `rvu25d-updated-09-11-2025.zip` CMS named).
   */
  name?: string | undefined;
}

export async function openArchive(source: string, options: OpenOptions = {}): Promise<Archive> {
  const limits = options.limits ?? DEFAULT_LIMITS;
  let info;
  try {
    info = await stat(source);
  } catch {
    throw new InputError('no such file or folder', { file: source });
  }
  if (info.isDirectory()) return openFolder(source, limits, options.name);
  const name = options.name ?? path.basename(source);
  // the kind goes by the name it is known by: a cached zip is a zip whatever its file is called
  if (path.extname(name).toLowerCase() === '.zip') return openZip(source, limits, name);
  const format = formatOf(name);
  if (!format) throw new InputError('not a zip, a folder or a data file', { file: source, expected: '.zip, .csv, .xlsx, .xls or .txt' });
  const sha256 = await sha256File(source);
  const member = fileMember(source, name, format, info.size, sha256);
  return { name, kind: 'file', sha256, members: [member], close: async () => undefined };
}

async function openFolder(folder: string, limits: ArchiveLimits, name: string | undefined): Promise<Archive> {
  const files = (await readdir(folder, { recursive: true, withFileTypes: true }))
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(folder, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
    .filter((relative) => !isNoise(relative))
    .sort();
  const members: MemberFile[] = [];
  const identity = createHash('sha256');
  for (const relative of files) {
    const format = formatOf(relative);
    if (!format) continue;
    const full = path.join(folder, relative);
    const { size } = await stat(full);
    if (size > limits.maxMemberBytes) {
      throw new InputError(`${size} bytes`, { file: full, expected: `at most ${limits.maxMemberBytes} bytes per file` });
    }
    const sha256 = await sha256File(full);
    identity.update(`${relative}\0${sha256}\n`);
    members.push(fileMember(full, `${name ?? path.basename(folder)}/${relative}`, format, size, sha256));
  }
  const zips = files.filter((relative) => path.extname(relative).toLowerCase() === '.zip');
  if (members.length === 0 && zips.length > 0) {
    // a folder of downloaded releases, not the folder one release unzips to
    const shown = zips.slice(0, 5).join(', ') + (zips.length > 5 ? `, … (${zips.length} in all)` : '');
    throw new InputError(`the folder holds release zips (${shown}), no data files`, {
      file: folder,
      expected: `one release: a zip as CMS publishes it, or the folder it unzips to; import each zip by name (cms-ingest import ${path.join(folder, '*.zip')})`,
    });
  }
  return { name: name ?? path.basename(path.resolve(folder)), kind: 'folder', sha256: identity.digest('hex'), members, close: async () => undefined };
}

function fileMember(full: string, label: string, format: MemberFile['format'], size: number, sha256: string): MemberFile {
  const name = path.basename(label);
  return {
    name,
    stem: stemOf(name),
    path: label,
    format,
    size,
    open: async () => createReadStream(full),
    bytes: () => readFile(full),
    sha256: async () => sha256,
  };
}

async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
