/**
 * COPY text produced ahead of the COPY that sends it, up to `budget` bytes: while the connection
 * is busy with the statements before it (the previous table's ANALYZE), a load reads, validates
 * and encodes the next file, and a publish reads the next table from its source. Memory stays bounded by the budget, whatever the file's
 * size. The text is held as Buffers, off the JavaScript heap.
 */
export interface ReadAhead extends AsyncIterable<Buffer> {
  /** settles when every chunk was produced (rejects with the read's error, or the cancellation's) */
  readonly done: Promise<void>;
}

export function readAhead(source: AsyncIterable<string | Buffer>, budget: number, cancel: Promise<unknown>): ReadAhead {
  const iterator = source[Symbol.asyncIterator]();
  const chunks: Buffer[] = [];
  let queued = 0;
  let ended = false;
  let failure: { error: unknown } | undefined;
  let cancelled: { error: unknown } | undefined;
  let wakeProducer: (() => void) | undefined;
  let wakeConsumer: (() => void) | undefined;
  const wake = (which: 'producer' | 'consumer') => {
    const resume = which === 'producer' ? wakeProducer : wakeConsumer;
    if (which === 'producer') wakeProducer = undefined;
    else wakeConsumer = undefined;
    resume?.();
  };

  void cancel.then((error) => {
    cancelled = { error };
    wake('producer');
  });

  const done = (async () => {
    try {
      for (;;) {
        while (queued >= budget && !cancelled) await new Promise<void>((resume) => (wakeProducer = resume));
        if (cancelled) {
          // Nobody will send the rest: stop reading the member.
          await iterator.return?.();
          throw cancelled.error;
        }
        const next = await iterator.next();
        if (next.done) return;
        const bytes = typeof next.value === 'string' ? Buffer.from(next.value) : next.value;
        chunks.push(bytes);
        queued += bytes.length;
        wake('consumer');
      }
    } catch (error) {
      failure = { error };
      throw error;
    } finally {
      ended = true;
      wake('consumer');
    }
  })();
  // Whoever awaits `done` sees its failure; the consumer sees it too, after the chunks before it.
  done.catch(() => undefined);

  return {
    done,
    async *[Symbol.asyncIterator]() {
      for (;;) {
        const chunk = chunks.shift();
        if (chunk !== undefined) {
          queued -= chunk.length;
          wake('producer');
          yield chunk;
          continue;
        }
        if (ended) {
          if (failure) throw failure.error;
          return;
        }
        await new Promise<void>((resume) => (wakeConsumer = resume));
      }
    },
  };
}
