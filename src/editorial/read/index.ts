/**
 * Editorial inputs: files and folders → raw records. A folder is read recursively, its files in
 * name order; files of other kinds (a README) are listed as skipped, hidden files ignored. A
 * spreadsheet in a format not read (.xls, .xlsm, .ods, …) is refused, in a folder too: it holds
 * entries an editor meant to import, and skipped, they would be left out (and retired by --replace).
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { InputError } from '../../errors.js';
import type { TextEncoding } from '../../parse/encoding.js';
import type { RawRecord } from './record.js';
import { readCsvRecords, readXlsxRecords } from './tabular.js';

type Reader = (bytes: Buffer, file: string, encoding: TextEncoding) => RawRecord[] | Promise<RawRecord[]>;

// The yaml package (a quarter of the CLI's code) loads only for the document files that need it.
const documents = () => import('./documents.js');

/** How each kind of editorial input is read, by extension. */
const READERS = {
  '.csv': readCsvRecords,
  '.xlsx': (bytes, file) => readXlsxRecords(bytes, file),
  '.json': async (bytes, file, encoding) => (await documents()).readJsonRecords(bytes, file, encoding),
  '.jsonl': async (bytes, file, encoding) => (await documents()).readJsonlRecords(bytes, file, encoding),
  '.yaml': async (bytes, file, encoding) => (await documents()).readYamlRecords(bytes, file, encoding),
  '.yml': async (bytes, file, encoding) => (await documents()).readYamlRecords(bytes, file, encoding),
} satisfies Record<string, Reader>;

export const INPUT_EXTENSIONS = Object.keys(READERS) as (keyof typeof READERS)[];

/** Spreadsheets and tables in a format the import does not read, and what each one is. */
const UNREAD_SHEETS: Record<string, string> = {
  '.xls': 'an Excel 97-2003 workbook',
  '.xlsm': 'a macro-enabled Excel workbook',
  '.xlsb': 'a binary Excel workbook',
  '.ods': 'an OpenDocument spreadsheet',
  '.numbers': 'a Numbers document',
  '.tsv': 'tab-separated text',
};

function refuseUnreadSheet(file: string): void {
  const kind = UNREAD_SHEETS[path.extname(file).toLowerCase()];
  if (kind === undefined) return;
  throw new InputError(`${kind}, which editorial import does not read`, {
    file,
    expected: 'an Excel workbook (.xlsx: File › Save As › Excel Workbook), or csv, json, jsonl or yaml; nothing is imported until it is one (in a folder it would otherwise be left out)',
  });
}

export interface ReadInputs {
  records: RawRecord[];
  files: string[];
  skipped: string[];
}

export async function readInputs(paths: readonly string[], encoding: TextEncoding): Promise<ReadInputs> {
  const files: string[] = [];
  const skipped: string[] = [];
  for (const input of paths) {
    const info = await stat(input).catch(() => undefined);
    if (!info) throw new InputError('no such file or folder', { file: input });
    if (info.isFile() && path.basename(input).startsWith('~$')) {
      throw new InputError("Excel's lock file (a `~$` file), not a workbook", {
        file: input,
        expected: 'the workbook itself: Excel keeps this file beside a workbook while it has it open (save the workbook first)',
      });
    }
    if (info.isDirectory()) {
      const found = await listFolder(input);
      files.push(...found.files);
      skipped.push(...found.skipped);
    } else if (isInput(input)) files.push(input);
    else {
      refuseUnreadSheet(input);
      throw new InputError('not an editorial input', { file: input, expected: `a file ending ${INPUT_EXTENSIONS.join(', ')}, or a folder of them` });
    }
  }
  const records: RawRecord[] = [];
  for (const file of files) records.push(...(await readRecords(file, encoding)));
  return { records, files, skipped };
}

function readerOf(file: string): Reader | undefined {
  return READERS[path.extname(file).toLowerCase() as keyof typeof READERS];
}

function isInput(file: string): boolean {
  return readerOf(file) !== undefined;
}

async function listFolder(dir: string): Promise<{ files: string[]; skipped: string[] }> {
  const files: string[] = [];
  const skipped: string[] = [];
  const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    if (entry.name.startsWith('.') || entry.name.startsWith('~$')) continue; // hidden files, Excel's lock files
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      const inner = await listFolder(full);
      files.push(...inner.files);
      skipped.push(...inner.skipped);
    } else if (isInput(full)) files.push(full);
    else {
      refuseUnreadSheet(full);
      skipped.push(full);
    }
  }
  return { files, skipped };
}

async function readRecords(file: string, encoding: TextEncoding): Promise<RawRecord[]> {
  return readerOf(file)!(await readFile(file), file, encoding);
}
