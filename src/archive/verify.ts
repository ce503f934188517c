/**
 * A whole zip checked before anything keeps it (sync's download, src/sources/download.ts): its
 * directory and every member's bytes, through yauzl's own streams, without writing anything.
 * The import checks the members it reads again as it reads them (zip.ts).
 */
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import yauzl from 'yauzl';
import { MemberIntegrity } from './integrity.js';

/** How much the walk inflates at most (the import's limits, limits.ts): past them, members are left to the import. */
export interface InflateLimits {
  readonly maxMemberBytes: number;
  readonly maxTotalBytes: number;
}

/**
 * Walk the central directory: every entry must be readable and its data must lie inside the file
 * (catches truncated files, HTML error pages and random bytes); then every member's bytes are
 * streamed through (nothing is written) and must inflate to the size and CRC-32 the directory
 * declares (catches a right-length body with a flipped byte inside a member). Members yauzl cannot
 * read (encrypted, an unsupported method) and, past `limits` (the import's, archive/limits.ts), the
 * rest are left to the import, which refuses them or checks what it reads. A CorruptMemberError
 * names the member; any other error means the file is not a readable zip.
 */
export function verifyZip(path: string, limits: InflateLimits = { maxMemberBytes: Infinity, maxTotalBytes: Infinity }): Promise<number> {
  return new Promise((resolve, reject) => {
    yauzl.open(path, { lazyEntries: true, autoClose: true, validateEntrySizes: true }, (openError, zip) => {
      if (openError !== null || zip === undefined) {
        reject(openError ?? new Error('could not open'));
        return;
      }
      let entries = 0;
      let inflated = 0;
      let failed = false;
      const fail = (error: Error) => {
        if (failed) return;
        failed = true;
        zip.close();
        reject(error);
      };
      zip.on('error', fail);
      zip.on('entry', (entry: yauzl.Entry) => {
        entries++;
        if (entry.relativeOffsetOfLocalHeader + entry.compressedSize > zip.fileSize) {
          fail(new Error(`entry ${JSON.stringify(entry.fileName)} extends past the end of the file`));
          return;
        }
        const checked = (entry.compressionMethod === 0 || entry.compressionMethod === 8) && !entry.isEncrypted();
        // a zip bomb is the import's to refuse from its declarations, not ours to inflate
        const withinLimits = entry.uncompressedSize <= limits.maxMemberBytes && inflated + entry.uncompressedSize <= limits.maxTotalBytes;
        if (!checked || !withinLimits) {
          zip.readEntry();
          return;
        }
        inflated += entry.uncompressedSize;
        checkMember(zip, entry).then(
          () => {
            if (!failed) zip.readEntry();
          },
          (error: unknown) => fail(error as Error),
        );
      });
      zip.on('end', () => {
        if (entries === 0) reject(new Error('the archive has no entries'));
        else resolve(entries);
      });
      zip.readEntry();
    });
  });
}

/** A member whose bytes do not inflate, or not to its declared size and CRC-32: the archive is damaged, not merely not a zip. */
export class CorruptMemberError extends Error {
  override readonly name = 'CorruptMemberError';
}

/** One member's bytes, streamed and dropped: yauzl checks the local header and the size (validateEntrySizes), this the CRC-32. */
async function checkMember(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<void> {
  const member = JSON.stringify(entry.fileName);
  const integrity = new MemberIntegrity(entry.uncompressedSize, entry.crc32);
  try {
    const stream = await zip.openReadStreamPromise(entry);
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        integrity.add(chunk);
        done();
      },
    });
    await pipeline(stream, sink);
  } catch (error) {
    const message = errorText(error);
    const what = /bytes in the stream/.test(message)
      ? 'does not inflate to its declared size'
      : /^Z_/.test(String((error as NodeJS.ErrnoException).code))
        ? 'does not inflate'
        : 'cannot be read';
    throw new CorruptMemberError(`member ${member} ${what} (${message})`, { cause: error });
  }
  if (!integrity.crcMatches) {
    throw new CorruptMemberError(`member ${member} fails its CRC-32 check (${integrity.crc.toString(16)} instead of ${(entry.crc32 >>> 0).toString(16)})`);
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
