/**
 * `rate_limiting` (Genba's own): admits at most `traces_per_second` new traces a second (a token
 * bucket holding `burst` traces, by default one second's worth). The decision is made at a
 * trace's first span and remembered, so later spans of an admitted trace pass even when the
 * bucket is empty, and later spans of a refused trace stay out: a trace is never split while its
 * decision is remembered. The memory is bounded: a decision is kept for at least
 * `decision_memory` newer traces (see RecentDecisions); a span arriving after that is treated
 * as a new trace.
 *
 * Holds no spans: `consume` resolves when the admitted spans are consumed downstream; if the
 * next stage refuses them the refusal goes back to the caller (whose client retries, and the
 * retried spans follow the remembered decision).
 */
import type { Span } from '@genba/model';
import { z } from 'zod';
import type { ComponentContext, Stage } from '../../component.ts';
import type { SpanConsumer } from '../../span-consumer.ts';
import { RecentDecisions } from './recent-decisions.ts';
import { TokenBucket } from './token-bucket.ts';

export const rateLimitingConfig = z.strictObject({
  traces_per_second: z.number().positive('traces_per_second must be above 0'),
  /** Traces that may pass at once after a quiet spell; defaults to traces_per_second (at least 1). */
  burst: z.number().positive('burst must be above 0').optional(),
  decision_memory: z.number().int().positive('decision_memory must be a positive integer').default(100_000),
});

export type RateLimitingConfig = z.output<typeof rateLimitingConfig>;

export interface ClockOptions {
  /** Milliseconds on a monotonic clock; tests pass their own. */
  now?: () => number;
}

export function createRateLimiting(
  config: RateLimitingConfig,
  next: SpanConsumer,
  ctx: ComponentContext,
  name = 'rate_limiting',
  options: ClockOptions = {},
): Stage {
  const now = options.now ?? (() => performance.now());
  const dropped = ctx.metrics.counter(
    'genba_processor_spans_dropped_total',
    'Spans a processor dropped, by processor and reason',
  );
  const decisions = ctx.metrics.counter(
    'genba_sampling_decisions_total',
    'Sampling decisions, by processor, policy and decision',
  );
  const burst = config.burst ?? Math.max(1, config.traces_per_second);
  const bucket = new TokenBucket(config.traces_per_second, burst, now());
  const memory = new RecentDecisions<boolean>(config.decision_memory);

  return {
    async consume(spans: Span[]): Promise<void> {
      const t = now();
      const kept: Span[] = [];
      let admitted = 0;
      let refused = 0;
      for (const span of spans) {
        let keep = memory.get(span.traceId);
        if (keep === undefined) {
          keep = bucket.take(1, t);
          memory.set(span.traceId, keep);
          if (keep) admitted++;
          else refused++;
        }
        if (keep) kept.push(span);
      }
      if (admitted) decisions({ processor: name, policy: 'rate_limiting', decision: 'sampled' }, admitted);
      if (refused) decisions({ processor: name, policy: 'rate_limiting', decision: 'not_sampled' }, refused);
      if (kept.length < spans.length)
        dropped({ processor: name, reason: 'rate_limited' }, spans.length - kept.length);
      if (kept.length > 0) await next.consume(kept);
    },
  };
}
