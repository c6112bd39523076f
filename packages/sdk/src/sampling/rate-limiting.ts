/**
 * Keeps at most N new traces per second with a token bucket (burst of one second's worth).
 * Time is read from performance.now(), which never goes backwards.
 */
import type { Sampler, SamplingResult } from '../types.ts';
import { NOT_SAMPLED, SAMPLED } from './results.ts';

export class RateLimitingSampler implements Sampler {
  #perSecond: number;
  #tokens: number;
  #last: number;

  constructor(tracesPerSecond: number) {
    this.#perSecond = Math.max(0, Number(tracesPerSecond) || 0);
    this.#tokens = this.#perSecond;
    this.#last = performance.now();
  }

  get tracesPerSecond(): number {
    return this.#perSecond;
  }

  set tracesPerSecond(n: number) {
    this.#perSecond = Math.max(0, Number(n) || 0);
    this.#tokens = Math.min(this.#tokens, this.#perSecond);
  }

  shouldSample(): SamplingResult {
    const t = performance.now();
    this.#tokens = Math.min(this.#perSecond, this.#tokens + ((t - this.#last) / 1000) * this.#perSecond);
    this.#last = t;
    if (this.#tokens < 1) return NOT_SAMPLED;
    this.#tokens -= 1;
    return SAMPLED;
  }

  toString(): string {
    return `RateLimitingSampler{${this.#perSecond}}`;
  }
}
