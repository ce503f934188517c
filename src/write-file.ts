/**
 * A file a command writes for its user (`editorial export --to`, `editorial review --out`): whole
 * or not at all. Written beside its place and renamed over it, so a reader never sees half of it;
 * on failure the temporary file is removed and the error names the file (a full disk said only
 * `ENOSPC: no space left on device, write`, and left `x.json.1234.tmp` behind).
 */
import { rename, rm, writeFile } from 'node:fs/promises';

export async function writeWholeFile(file: string, content: string | Uint8Array): Promise<void> {
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    await writeFile(temporary, content);
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw new Error(`cannot write ${file} (${(error as Error).message}); it is as it was`, { cause: error });
  }
}
