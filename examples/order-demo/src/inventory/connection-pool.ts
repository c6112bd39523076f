/**
 * A fixed number of database connections. `acquire` really waits, first come first served,
 * while all are in use: this is where a slow query makes other orders queue.
 */

export class PoolTimeoutError extends Error {
  override readonly name = 'PoolTimeoutError';
}

export interface Lease {
  /** Hands the connection back; safe to call twice. */
  release(): void;
}

interface Waiter {
  grant: (lease: Lease) => void;
  timer: NodeJS.Timeout;
}

export class ConnectionPool {
  readonly size: number;
  #inUse = 0;
  readonly #waiters: Waiter[] = [];

  constructor(size: number) {
    this.size = size;
  }

  get inUse(): number {
    return this.#inUse;
  }

  get waiting(): number {
    return this.#waiters.length;
  }

  acquire(timeoutMs: number): Promise<Lease> {
    if (this.#inUse < this.size) {
      this.#inUse++;
      return Promise.resolve(this.#lease());
    }
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        grant: resolve,
        timer: setTimeout(() => {
          this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
          reject(new PoolTimeoutError(`no connection free within ${timeoutMs} ms`));
        }, timeoutMs),
      };
      this.#waiters.push(waiter);
    });
  }

  #lease(): Lease {
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        const next = this.#waiters.shift();
        // The connection passes straight to the next waiter; inUse does not change.
        if (next === undefined) this.#inUse--;
        else {
          clearTimeout(next.timer);
          next.grant(this.#lease());
        }
      },
    };
  }
}
