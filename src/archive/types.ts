/** What every kind of source (zip, folder, single file) opens to; its own module so that the openers and their dispatcher need not import each other. */
import type { MemberFile } from '../pipeline.js';

export interface Archive {
  /** base name of what was opened: `rvu25d.zip`, `RVU25D`, `PPRRVU2026_Jul_nonQPP.csv` */
  readonly name: string;
  readonly kind: 'zip' | 'folder' | 'file';
  /** identifies the bytes: of the zip or file; for a folder, of its files' names and hashes */
  readonly sha256: string;
  readonly members: readonly MemberFile[];
  close(): Promise<void>;
}
