/**
 * At most one warning per interval, so that a flood of bad datagrams cannot flood the log;
 * the next warning says how many were held back.
 */
export class WarnLimiter {
  #warn: (msg: string) => void;
  #intervalMs: number;
  #now: () => number;
  #last = Number.NEGATIVE_INFINITY;
  #suppressed = 0;

  constructor(warn: (msg: string) => void, intervalMs = 10_000, now: () => number = Date.now) {
    this.#warn = warn;
    this.#intervalMs = intervalMs;
    this.#now = now;
  }

  warn(msg: string): void {
    const t = this.#now();
    if (t - this.#last < this.#intervalMs) {
      this.#suppressed++;
      return;
    }
    this.#last = t;
    const held = this.#suppressed;
    this.#suppressed = 0;
    this.#warn(held ? `${msg} (${held} similar warnings suppressed)` : msg);
  }
}
