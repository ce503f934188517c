/**
 * SheetJS, loaded on first use. It is large, and most commands never touch a workbook; a
 * renderer that must stay synchronous (review → xlsx) calls this instead of importing it.
 */
import { createRequire } from 'node:module';
import type * as SheetJS from 'xlsx';

let loaded: typeof SheetJS | undefined;

export function sheetjs(): typeof SheetJS {
  loaded ??= createRequire(import.meta.url)('xlsx') as typeof SheetJS;
  return loaded;
}
