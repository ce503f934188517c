/**
 * The pieces that let a load read the next file while the server works on the previous one:
 * statements run one after another in the order sent, the first failure is the one reported,
 * and a file's COPY text is read ahead of its COPY only up to a bound.
 */
import { describe, expect, it } from 'vitest';
import { InFlight } from '../../src/db/in-flight.js';
import { readAhead } from '../../src/db/read-ahead.js';

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

describe('InFlight', () => {
  it('runs each statement after the one before it has completed, in the order added', async () => {
    const inFlight = new InFlight();
    const log: string[] = [];
    const statement = (name: string, wait: number) => async () => {
      log.push(`start ${name}`);
      await new Promise((resolve) => setTimeout(resolve, wait));
      log.push(`end ${name}`);
    };
    inFlight.add(statement('a', 5));
    inFlight.add(statement('b', 0));
    inFlight.add(statement('c', 1));
    expect(inFlight.sent).toBe(3);
    await inFlight.settle();
    expect(log).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
  });

  it('sends nothing after a failure and reports that first failure', async () => {
    const inFlight = new InFlight();
    const ran: string[] = [];
    inFlight.add(async () => void ran.push('a'));
    inFlight.add(async () => {
      ran.push('b');
      throw new Error('b failed');
    });
    inFlight.add(async () => void ran.push('c'));
    await expect(inFlight.settle()).rejects.toThrow('b failed');
    await expect(inFlight.failed).resolves.toMatchObject({ message: 'b failed' });
    expect(ran).toEqual(['a', 'b']);
  });

  it('an error in later work gives way to a failure of a statement sent before it, not after', async () => {
    const earlier = new InFlight();
    earlier.add(async () => {
      throw new Error('sent before');
    });
    const mark = earlier.sent;
    await expect(earlier.failedAfter(mark, new Error('later work'))).rejects.toThrow('sent before');

    const later = new InFlight();
    const markBefore = later.sent;
    later.add(async () => {
      throw new Error('sent as part of it');
    });
    await expect(later.failedAfter(markBefore, new Error('later work'))).rejects.toThrow('later work');
    await expect(new InFlight().failedAfter(0, new Error('alone'))).rejects.toThrow('alone');
  });
});

/** Chunks of `size` characters, counting how many were pulled. */
function source(count: number, size: number, fail?: { after: number; error: Error }) {
  const state = { pulled: 0, returned: false };
  async function* chunks() {
    try {
      for (let index = 0; index < count; index++) {
        if (fail && index === fail.after) throw fail.error;
        state.pulled++;
        yield String(index % 10).repeat(size);
      }
    } finally {
      state.returned = true;
    }
  }
  return { chunks: chunks(), state };
}

const never = new Promise<unknown>(() => undefined);

describe('readAhead', () => {
  it('reads ahead up to its budget, then waits for the consumer; every chunk arrives, in order', async () => {
    const { chunks, state } = source(10, 100);
    const ahead = readAhead(chunks, 300, never);
    for (let round = 0; round < 5; round++) await tick();
    expect(state.pulled).toBe(3);
    const received: string[] = [];
    for await (const chunk of ahead) received.push(chunk.toString());
    await ahead.done;
    expect(received).toEqual(Array.from({ length: 10 }, (_, index) => String(index).repeat(100)));
  });

  it('a read error reaches the consumer after the chunks read before it, and rejects done', async () => {
    const { chunks } = source(10, 10, { after: 4, error: new Error('line 5 is bad') });
    const ahead = readAhead(chunks, 1 << 20, never);
    await expect(ahead.done).rejects.toThrow('line 5 is bad');
    const received: string[] = [];
    await expect(
      (async () => {
        for await (const chunk of ahead) received.push(chunk.toString());
      })(),
    ).rejects.toThrow('line 5 is bad');
    expect(received).toHaveLength(4);
  });

  it('cancelled (an earlier statement failed), it stops reading and closes its source', async () => {
    const { chunks, state } = source(100, 100);
    let cancel!: (error: unknown) => void;
    const ahead = readAhead(chunks, 200, new Promise((resolve) => (cancel = resolve)));
    await tick();
    cancel(new Error('the COPY before it failed'));
    await expect(ahead.done).rejects.toThrow('the COPY before it failed');
    expect(state.returned).toBe(true);
    expect(state.pulled).toBeLessThan(5);
  });
});
