/**
 * A bounded memory of recent per-trace decisions, so that spans arriving after their trace was
 * decided follow that decision. Two generations: when the current one is full it becomes the old
 * one and the previous old one is dropped whole, so eviction costs nothing per entry (deleting the
 * first key of a large Map one at a time is slow in V8). A decision is remembered for at least
 * `capacity` newer traces, and at most 2 × capacity are held; a lookup that finds an entry in the
 * old generation moves it forward, so a trace that keeps receiving spans stays remembered.
 */
export class RecentDecisions<V> {
  #current = new Map<string, V>();
  #old = new Map<string, V>();
  readonly #capacity: number;

  constructor(capacity: number) {
    this.#capacity = Math.max(1, Math.floor(capacity));
  }

  get(id: string): V | undefined {
    const v = this.#current.get(id);
    if (v !== undefined) return v;
    const o = this.#old.get(id);
    if (o !== undefined) {
      this.#old.delete(id);
      this.set(id, o);
    }
    return o;
  }

  set(id: string, value: V): void {
    if (this.#current.size >= this.#capacity && !this.#current.has(id)) {
      this.#old = this.#current;
      this.#current = new Map();
    }
    this.#current.set(id, value);
  }

  /** How many decisions are held (both generations). */
  get size(): number {
    return this.#current.size + this.#old.size;
  }
}
