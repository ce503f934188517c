/**
 * The files destination: every published table as csv, jsonl or parquet, plus manifest.json
 * (rows, sha256 and columns of each file). Written into a temporary folder beside the target and
 * renamed into place, so a reader never finds a half-written export.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { csvFormatRows } from 'd3-dsv';
import { UsageError } from '../errors.js';
import { makeDirectory } from '../make-directory.js';
import type { Snapshot, SnapshotColumn, SnapshotTable } from './snapshot.js';
import type { PublishedTableResult } from './types.js';

export const EXPORT_FORMATS = ['csv', 'jsonl', 'parquet'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportManifest {
  files: PublishedTableResult[];
  format: ExportFormat;
  releases: Snapshot['releases'];
  editorial_version: string | null;
  options: Snapshot['options'];
  generated_at: string;
}

export async function exportToFiles(snapshot: Snapshot, dir: string, format: ExportFormat): Promise<ExportManifest> {
  const target = path.resolve(dir);
  await checkReplaceable(target);
  const staging = `${target}.tmp-${process.pid}-${randomBytes(3).toString('hex')}`;
  await makeStaging(staging, target);
  try {
    const files: PublishedTableResult[] = [];
    for (const table of snapshot.tables) files.push(await writeTable(table, staging, format));
    const manifest: ExportManifest = {
      files,
      format,
      releases: snapshot.releases,
      editorial_version: snapshot.editorialVersion,
      options: snapshot.options,
      generated_at: new Date().toISOString(),
    };
    await writeText(path.join(staging, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    await swapInto(staging, target);
    return manifest;
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw withPlace(error, target);
  }
}

/** The staging folder beside the target (and its parents): any reason it cannot be made is where the export cannot go. */
async function makeStaging(staging: string, target: string): Promise<void> {
  await makeDirectory(staging).catch((error: NodeJS.ErrnoException) => {
    throw new Error(`cannot write the export to ${target} (${error.message}); nothing there was changed`, { cause: error });
  });
}

/** File-system errors that say nothing of where: a full disk, no permission, a read-only mount. */
const WRITE_ERRORS = new Set(['ENOSPC', 'EDQUOT', 'EACCES', 'EPERM', 'EROFS', 'EIO']);

/** `ENOSPC: no space left on device, write` → where, and that the folder is as it was. */
export function withPlace(error: unknown, target: string): unknown {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === undefined || !WRITE_ERRORS.has(code)) return error;
  return new Error(`cannot write the export to ${target} (${(error as Error).message}); nothing there was changed`, { cause: error });
}

/**
 * A folder is replaced (and the old one removed, with everything in it) only if it is empty or
 * an earlier export: a manifest.json as an export writes it, and nothing but the files it lists.
 * Any manifest.json was enough before: `export --to .` in a web app's folder removed the app.
 */
async function checkReplaceable(target: string): Promise<void> {
  const entries = await readdir(target).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    if (error.code === 'ENOTDIR') throw new UsageError(`--to ${JSON.stringify(target)}: is a file, not a folder`);
    throw error;
  });
  if (entries === undefined || entries.length === 0) return;
  const text = await readFile(path.join(target, 'manifest.json'), 'utf8').catch(() => undefined);
  const listed = text === undefined ? undefined : exportedFiles(text);
  if (listed === undefined) {
    throw new UsageError(`--to ${JSON.stringify(target)}: the folder is not empty and holds no manifest.json of an earlier export; choose an empty or new folder`);
  }
  const others = entries.filter((entry) => entry !== 'manifest.json' && !listed.has(entry));
  if (others.length > 0) {
    const shown = others.slice(0, 5).join(', ') + (others.length > 5 ? `, … (${others.length} in all)` : '');
    throw new UsageError(
      `--to ${JSON.stringify(target)}: the folder holds an earlier export and also ${shown}, which the export did not write; ` +
        `replacing the folder would remove them: choose an empty or new folder, or move them out`,
    );
  }
}

/** The file names an export's manifest.json lists, or undefined if the text is not one. */
function exportedFiles(text: string): Set<string> | undefined {
  let manifest: unknown;
  try {
    manifest = JSON.parse(text);
  } catch {
    return undefined;
  }
  const { files, format, generated_at: generatedAt } = (manifest ?? {}) as Partial<Record<string, unknown>>;
  if (!Array.isArray(files) || !(EXPORT_FORMATS as readonly unknown[]).includes(format) || typeof generatedAt !== 'string') return undefined;
  const names = files.map((file) => (file as { name?: unknown } | null)?.name);
  if (!names.every((name): name is string => typeof name === 'string' && name !== '' && !name.includes('/') && !name.includes('\\'))) return undefined;
  return new Set(names);
}

/** Rename the finished export into place; an earlier export there is moved aside first, then removed. */
async function swapInto(staging: string, target: string): Promise<void> {
  const existing = await stat(target).catch(() => undefined);
  if (!existing) {
    await rename(staging, target);
    return;
  }
  const aside = `${target}.old-${process.pid}-${randomBytes(3).toString('hex')}`;
  await rename(target, aside);
  await rename(staging, target);
  await rm(aside, { recursive: true, force: true });
}

async function writeTable(table: SnapshotTable, dir: string, format: ExportFormat): Promise<PublishedTableResult> {
  const name = `${table.name}.${format}`;
  const file = path.join(dir, name);
  let rows = 0;
  const counted = async function* () {
    for await (const batch of table.valueBatches()) {
      rows += batch.length;
      yield batch;
    }
  };
  if (format === 'csv') await writeCsv(file, table.columns, counted());
  else if (format === 'jsonl') await pipeline(Readable.from(jsonLines(table.columns, counted())), createWriteStream(file));
  else {
    const { writeParquet } = await import('./parquet.js');
    await writeParquet(file, table.columns, await table.numericScales(), counted());
  }
  return { name, rows, sha256: await fileSha256(file), columns: table.columns.map((column) => column.name) };
}

/** A batch's lines as one string: the file stream's backpressure still applies, per batch. */
async function* jsonLines(columns: readonly SnapshotColumn[], batches: AsyncIterable<unknown[][]>): AsyncGenerator<string> {
  // what JSON.stringify writes for an object with these keys in this order
  const keys = columns.map((column) => `${JSON.stringify(column.name)}:`);
  const line = (values: unknown[]) => `{${keys.map((key, index) => key + JSON.stringify(values[index])).join(',')}}\n`;
  for await (const batch of batches) yield batch.map(line).join('');
}

/**
 * CSV: a header, then one line per row. Lists and JSON values are written as JSON text. A text
 * cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'`, so a
 * spreadsheet shows it instead of evaluating it (numbers are never text cells, so a negative
 * amount stays a number).
 */
async function writeCsv(file: string, columns: readonly SnapshotColumn[], batches: AsyncIterable<unknown[][]>): Promise<void> {
  await pipeline(Readable.from(csvText(columns, batches)), createWriteStream(file));
}

/**
 * The csv text, a batch of rows at a time, as d3-dsv formats it: a cell is quoted when it holds a
 * quote, a comma, a line feed or a carriage return (its quotes doubled), an empty cell is empty,
 * each line ends with a line feed. The same bytes as csv-stringify (the writer before) made, but
 * for a lone carriage return, which it left unquoted (test/publish/export.test.ts compares them),
 * at a third of its time: 2 million payment rows are most of an export's client time
 * (docs/performance-history.md).
 */
export async function* csvText(columns: readonly SnapshotColumn[], batches: AsyncIterable<unknown[][]>): AsyncGenerator<string> {
  const textual = columns.map((column) => !/^(numeric|integer|bigint|smallint|boolean|date|timestamp)/.test(column.type));
  const cellsOf = (values: readonly unknown[]) =>
    values.map((value, index) => {
      if (value === null || value === undefined) return '';
      const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
      return textual[index] ? neutraliseFormula(text) : text;
    });
  yield `${csvFormatRows([columns.map((column) => column.name)])}\n`;
  for await (const batch of batches) {
    if (batch.length > 0) yield `${csvFormatRows(batch.map(cellsOf))}\n`;
  }
}

export function neutraliseFormula(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

async function fileSha256(file: string): Promise<string> {
  const hash = createHash('sha256');
  const { createReadStream } = await import('node:fs');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function writeText(file: string, text: string): Promise<void> {
  const { writeFile } = await import('node:fs/promises');
  await writeFile(file, text);
}
