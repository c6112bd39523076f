/** A token bucket: `rate` tokens a second, holding at most `burst`. Times are milliseconds. */
export class TokenBucket {
  readonly #rate: number;
  readonly #burst: number;
  #tokens: number;
  #last: number;

  constructor(rate: number, burst: number, now: number) {
    this.#rate = rate;
    this.#burst = burst;
    this.#tokens = burst;
    this.#last = now;
  }

  /** Takes `n` tokens if the bucket holds them; a request larger than the burst never passes. */
  take(n: number, now: number): boolean {
    if (now > this.#last) {
      this.#tokens = Math.min(this.#burst, this.#tokens + ((now - this.#last) / 1000) * this.#rate);
      this.#last = now;
    }
    if (this.#tokens < n) return false;
    this.#tokens -= n;
    return true;
  }
}
