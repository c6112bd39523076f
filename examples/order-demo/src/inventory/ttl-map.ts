/** A Map whose entries expire, so a read-through cache keeps missing now and then. */
export class TtlMap<K, V> {
  readonly #ttlMs: number;
  readonly #entries = new Map<K, { value: V; expires: number }>();

  constructor(ttlMs: number) {
    this.#ttlMs = ttlMs;
  }

  get(key: K): V | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expires <= performance.now()) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  set(key: K, value: V): void {
    this.#entries.set(key, { value, expires: performance.now() + this.#ttlMs });
  }
}
