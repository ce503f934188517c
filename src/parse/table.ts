/** One entry point for tabular members, whatever their format. */
import { InputError } from '../errors.js';
import type { MemberFile } from '../pipeline.js';
import { readDelimited } from './delimited.js';
import type { RawRow } from './rows.js';
import { readWorkbookRows } from './xlsx.js';

export async function* readTableRows(file: MemberFile): AsyncGenerator<RawRow> {
  switch (file.format) {
    case 'csv':
      yield* readDelimited(await file.open(), file.path);
      return;
    case 'xlsx':
    case 'xls':
      yield* readWorkbookRows(await file.bytes(), file.path);
      return;
    default:
      throw new InputError(`no tabular reader for .${file.format} files`, { file: file.path });
  }
}
