/**
 * The optional sending queue: a bounded FIFO of batches drained by a fixed number of workers.
 * `offer` never waits; a full queue says no and the caller refuses the batch, so memory stays
 * bounded when the backend is slow or down.
 */

export class SendingQueue<T> {
  #items: T[] = [];
  #head = 0;
  #capacity: number;
  #run: (item: T) => Promise<void>;
  #idle: (() => void)[] = [];
  #workers: Promise<void>[] = [];
  #closed = false;

  constructor(capacity: number, consumers: number, run: (item: T) => Promise<void>) {
    this.#capacity = capacity;
    this.#run = run;
    for (let i = 0; i < consumers; i++) this.#workers.push(this.#work());
  }

  /** Batches waiting (not those being sent). */
  get size(): number {
    return this.#items.length - this.#head;
  }

  /** Queues `item`; false when the queue is full or closed. */
  offer(item: T): boolean {
    if (this.#closed || this.size >= this.#capacity) return false;
    this.#items.push(item);
    this.#idle.shift()?.();
    return true;
  }

  /** Takes no more items; resolves when every queued item has been run. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const wake of this.#idle.splice(0)) wake();
    await Promise.all(this.#workers);
  }

  #take(): T | undefined {
    if (this.size === 0) return undefined;
    const item = this.#items[this.#head];
    this.#items[this.#head++] = undefined as T;
    // Compact now and then, so the array does not grow without bound.
    if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
    return item;
  }

  async #work(): Promise<void> {
    for (;;) {
      const item = this.#take();
      if (item !== undefined) {
        // `run` is expected to count and log its own failures; a throw must not stop the worker.
        await this.#run(item).catch(() => {});
        continue;
      }
      if (this.#closed) return;
      await new Promise<void>((resolve) => this.#idle.push(resolve));
    }
  }
}
