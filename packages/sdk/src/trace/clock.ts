/**
 * Span times are kept as milliseconds relative to `performance.timeOrigin` (a plain number:
 * cheap to read and to store) and become epoch nanoseconds only at export.
 */
import type { TimeInput } from '@opentelemetry/api';

const origin = performance.timeOrigin;
// Whole nanoseconds of the origin as a bigint, plus the sub-nanosecond rest folded in at export.
const originNanos = BigInt(Math.floor(origin * 1e6));
const originRestMs = origin - Number(originNanos) / 1e6;

/** Now, in ms since the time origin. */
export const now: () => number = () => performance.now();

/**
 * A user-supplied time (epoch ms, Date, or [seconds, nanos] HrTime) → ms since the origin.
 * Returns NaN for anything else so the caller can report it and fall back to now().
 */
export function fromTimeInput(t: TimeInput): number {
  if (typeof t === 'number') {
    // OTel accepts both epoch ms and performance.now()-style values. Uptime stays below 1e11 ms
    // (3 years) and epoch ms are above it since 1973, so size tells them apart; comparing with
    // the time origin instead would misread any epoch time from before the process started.
    return t < 1e11 ? t : t - origin;
  }
  if (t instanceof Date) return t.getTime() - origin;
  if (Array.isArray(t) && t.length === 2 && typeof t[0] === 'number' && typeof t[1] === 'number') {
    return t[0] * 1e3 - origin + t[1] / 1e6;
  }
  return Number.NaN;
}

/** ms since the origin → epoch nanoseconds. */
export function toEpochNanos(ms: number): bigint {
  return originNanos + BigInt(Math.round((ms + originRestMs) * 1e6));
}
