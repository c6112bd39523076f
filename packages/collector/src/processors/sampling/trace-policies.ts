/** Policies that look at the trace as a whole: its duration, statuses, size, id, or a rate. */
import { StatusCode } from '@genba/model';
import type { Decision, Evaluator, TraceData } from './policy.ts';
import type { LeafPolicyConfig } from './tail-sampling-config.ts';
import { TokenBucket } from './token-bucket.ts';
import { atOrBelow, saltedTraceHash, threshold64 } from './trace-hash.ts';

type Block<K extends keyof LeafPolicyConfig> = NonNullable<LeafPolicyConfig[K]>;

const vote = (yes: boolean): Decision => (yes ? 'sampled' : 'not_sampled');

export const alwaysSample: Evaluator = { evaluate: () => 'sampled' };

/** Duration from the earliest start to the latest end of the spans seen, in whole milliseconds. */
export function traceDurationMs(trace: TraceData): number {
  let min = 0n;
  let max = 0n;
  let first = true;
  for (const s of trace.spans) {
    if (first || s.startTimeUnixNano < min) min = s.startTimeUnixNano;
    if (first || s.endTimeUnixNano > max) max = s.endTimeUnixNano;
    first = false;
  }
  return max > min ? Number((max - min) / 1_000_000n) : 0;
}

export function latencyPolicy(c: Block<'latency'>): Evaluator {
  return {
    evaluate(trace) {
      const ms = traceDurationMs(trace);
      if (c.upper_threshold_ms === 0) return vote(ms >= c.threshold_ms);
      return vote(c.threshold_ms < ms && ms <= c.upper_threshold_ms);
    },
  };
}

export function statusCodePolicy(c: Block<'status_code'>): Evaluator {
  const codes = new Set<number>(c.status_codes.map((name) => StatusCode[name]));
  return { evaluate: (trace) => vote(trace.spans.some((s) => codes.has(s.status.code))) };
}

/**
 * The Collector's default salt, so an unsalted policy hashes as the Collector's does. Like the
 * Collector's, the decision compares FNV's top bits, which mix the last id bytes poorly: it is
 * fair for random trace ids (as W3C asks) and skewed for ids that count up.
 */
const DEFAULT_SALT = 'default-hash-seed';

export function probabilisticPolicy(c: Block<'probabilistic'>): Evaluator {
  const salt = new TextEncoder().encode(c.hash_salt === '' ? DEFAULT_SALT : c.hash_salt);
  const limit = threshold64(c.sampling_percentage / 100);
  const never = c.sampling_percentage <= 0;
  return {
    evaluate: (trace) => vote(!never && atOrBelow(saltedTraceHash(trace.traceId, salt), limit)),
  };
}

/** Spans per second with a burst of two seconds' worth, as the Collector's policy. */
export function rateLimitingPolicy(c: Block<'rate_limiting'>, now: number): Evaluator {
  const bucket = new TokenBucket(c.spans_per_second, c.spans_per_second * 2, now);
  return { evaluate: (trace, t) => vote(bucket.take(trace.spans.length, t)) };
}

export function spanCountPolicy(c: Block<'span_count'>): Evaluator {
  return {
    evaluate(trace) {
      const n = trace.spans.length;
      return vote(n >= c.min_spans && (c.max_spans === 0 || n <= c.max_spans));
    },
  };
}
