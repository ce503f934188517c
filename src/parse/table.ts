/** One entry point for tabular members, whatever their format. */
import { InputError } from '../errors.js';
import type { MemberFile } from '../pipeline.js';
import { readDelimited } from './delimited.js';
import type { RawRow } from './rows.js';

// A workbook is parsed whole; when two datasets read one member (HCPCS codes and modifiers),
// they share the parse for as long as the member lives.
const parsedWorkbooks = new WeakMap<MemberFile, Promise<RawRow[]>>();

function workbookRows(file: MemberFile): Promise<RawRow[]> {
  let rows = parsedWorkbooks.get(file);
  if (!rows) {
    // SheetJS is large: loaded by the first workbook, not by every command.
    rows = Promise.all([file.bytes(), import('./xlsx.js')]).then(([bytes, { readWorkbookRows }]) =>
      readWorkbookRows(bytes, file.path, file.format === 'xls' ? 'xls' : 'xlsx'),
    );
    parsedWorkbooks.set(file, rows);
  }
  return rows;
}

const WORKBOOK_BATCH = 1000;

/** A member's rows in batches (a csv chunk's; a workbook's all at once). */
export async function* readTableRows(file: MemberFile): AsyncGenerator<readonly RawRow[]> {
  switch (file.format) {
    case 'csv':
      yield* readDelimited(() => file.open(), file.path);
      return;
    case 'xlsx':
    case 'xls': {
      // In slices, so that a reader normalizes a slice at a time rather than the whole sheet at once.
      const rows = await workbookRows(file);
      for (let start = 0; start < rows.length; start += WORKBOOK_BATCH) yield rows.slice(start, start + WORKBOOK_BATCH);
      return;
    }
    default:
      throw new InputError(`no tabular reader for .${file.format} files`, { file: file.path });
  }
}
