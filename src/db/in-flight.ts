/**
 * Statements on one connection sent one after another without the caller waiting for each: in a
 * load, the server stores one file, or analyses its table, while the client reads the next; in a
 * publish, the target indexes one table while the source computes the next. Each statement
 * starts when the one before it has completed, in the order added; after a failure nothing more
 * is sent (the transaction is lost), and the failure reported is that first one — what awaiting
 * each statement would have reported.
 */
export class InFlight {
  #tail: Promise<void> = Promise.resolve();
  #count = 0;
  #failure: { index: number; error: unknown } | undefined;
  #onFailure!: (error: unknown) => void;
  /** resolves with the first failure (never, when there is none) */
  readonly failed: Promise<unknown> = new Promise((resolve) => (this.#onFailure = resolve));

  /** how many statements were added so far: a mark for `failedAfter` */
  get sent(): number {
    return this.#count;
  }

  add(statement: () => Promise<unknown>): void {
    const index = this.#count++;
    this.#tail = this.#tail.then(async () => {
      if (this.#failure) return;
      try {
        await statement();
      } catch (error) {
        this.#failure = { index, error };
        this.#onFailure(error);
      }
    });
  }

  /** Wait for every statement added; throw the first failure. */
  async settle(): Promise<void> {
    await this.#tail;
    if (this.#failure) throw this.#failure.error;
  }

  /**
   * `error` happened in work that came after the first `mark` statements: once every statement
   * has settled, throw the failure of one of those, if any (it came first), else `error`.
   */
  async failedAfter(mark: number, error: unknown): Promise<never> {
    await this.#tail;
    const failure = this.#failure;
    throw failure !== undefined && failure.index < mark ? failure.error : error;
  }
}
