/** Naming rules shared by every archive kind: which entries are data files, and in which format. */
import path from 'node:path';
import type { FileFormat } from '../pipeline.js';

const FORMATS: Record<string, FileFormat> = { '.csv': 'csv', '.xlsx': 'xlsx', '.xls': 'xls', '.txt': 'txt' };

/** The format of a data file by its extension, or undefined for anything else (pdf, prn, …). */
export function formatOf(name: string): FileFormat | undefined {
  return FORMATS[path.extname(name).toLowerCase()];
}

export function stemOf(name: string): string {
  return path.basename(name, path.extname(name));
}

/** Entries that are never data: folders, macOS resource forks, hidden files. */
export function isNoise(entryPath: string): boolean {
  return entryPath.endsWith('/') || entryPath.split('/').some((part) => part === '__MACOSX' || part.startsWith('.'));
}
