/** Row count and sha256 of COPY text as it streams past (one row per newline: COPY escapes newlines in values). */
import { createHash } from 'node:crypto';

export interface Digest {
  rows: number;
  sha256: string;
}

export async function* digesting(chunks: AsyncIterable<Buffer>, digest: Digest): AsyncGenerator<Buffer> {
  const hash = createHash('sha256');
  let rows = 0;
  for await (const chunk of chunks) {
    hash.update(chunk);
    for (let index = chunk.indexOf(10); index !== -1; index = chunk.indexOf(10, index + 1)) rows++;
    yield chunk;
  }
  digest.rows = rows;
  digest.sha256 = hash.digest('hex');
}
