import type { Readable } from 'node:stream';
import { InputError } from '../errors.js';

/** Collect a stream; a read failure (bad CRC, truncated data) names the member. */
export async function readStream(stream: Readable, label: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of stream) chunks.push(chunk as Buffer);
  } catch (error) {
    throw new InputError(`cannot read member: ${(error as Error).message}`, { file: label });
  }
  return Buffer.concat(chunks);
}
