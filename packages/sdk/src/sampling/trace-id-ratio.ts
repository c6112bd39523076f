/**
 * Keeps a fixed fraction of traces, decided by the trace id alone, so every service that
 * uses the same ratio keeps the same traces. The decision reads the id's last 8 hex digits
 * (random in W3C ids) as an unsigned 32-bit number and keeps it below ratio × 2^32.
 */
import type { Sampler, SamplingResult } from '../types.ts';
import { NOT_SAMPLED, SAMPLED } from './results.ts';

export class TraceIdRatioBasedSampler implements Sampler {
  #ratio = 0;
  #bound = 0;

  constructor(ratio = 1) {
    this.ratio = ratio;
  }

  get ratio(): number {
    return this.#ratio;
  }

  /** Out-of-range or non-numeric ratios are clamped to [0, 1] (NaN → 0). */
  set ratio(r: number) {
    const n = typeof r === 'number' && !Number.isNaN(r) ? Math.min(1, Math.max(0, r)) : 0;
    this.#ratio = n;
    this.#bound = Math.floor(n * 0x100000000);
  }

  shouldSample(_ctx: unknown, traceId: string): SamplingResult {
    if (this.#ratio >= 1) return SAMPLED;
    if (this.#ratio <= 0) return NOT_SAMPLED;
    const x = Number.parseInt(traceId.slice(-8), 16);
    return Number.isNaN(x) || x >= this.#bound ? NOT_SAMPLED : SAMPLED;
  }

  toString(): string {
    return `TraceIdRatioBased{${this.#ratio}}`;
  }
}
