/** An in-memory FIFO that a worker awaits: `take` waits for an item, or undefined once closed and empty. */
export class WorkQueue<T> {
  readonly #items: T[] = [];
  readonly #takers: ((item: T | undefined) => void)[] = [];
  #closed = false;

  get depth(): number {
    return this.#items.length;
  }

  /** False once closed: no new work is accepted while the queue drains. */
  push(item: T): boolean {
    if (this.#closed) return false;
    const taker = this.#takers.shift();
    if (taker === undefined) this.#items.push(item);
    else taker(item);
    return true;
  }

  take(): Promise<T | undefined> {
    if (this.#items.length > 0) return Promise.resolve(this.#items.shift());
    if (this.#closed) return Promise.resolve(undefined);
    return new Promise((resolve) => this.#takers.push(resolve));
  }

  /** Refuses new items; waiting takers get undefined once the items left are taken. */
  close(): void {
    this.#closed = true;
    for (const taker of this.#takers.splice(0)) taker(undefined);
  }
}
