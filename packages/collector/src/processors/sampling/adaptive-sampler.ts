/**
 * `adaptive_sampler` (Genba's own): aims at `target_traces_per_second` kept traces for each root
 * service. Every `adjust_interval` it measures each service's incoming trace rate over the
 * interval and sets that service's probability to target ÷ rate, clamped to
 * [`min_probability`, `max_probability`] (a service with no traffic goes back to the maximum).
 *
 * A trace belongs to the service of its root span when the root is in the batch where the trace
 * is first seen, else to the service of the first span seen. It is kept when the hash of its id
 * (a fraction in [0, 1)) is below that service's probability, so instances that agree on the
 * probability agree on the trace, and a lower probability keeps a subset of what a higher one
 * kept. The decision is remembered (bounded, at least `decision_memory` traces), so later spans
 * follow it even after the probability changes: traces are not split.
 *
 * At most `max_services` services are tracked; traces of further services share one slot, named
 * by OTHER_SERVICES. Holds no spans: `consume` resolves when the kept spans are consumed
 * downstream. The gauge `genba_adaptive_sampler_probability` reports the lowest current
 * probability over services (and over adaptive samplers); `probabilities()` gives each one.
 */
import type { Span } from '@genba/model';
import { serviceName } from '@genba/model';
import { z } from 'zod';
import type { ComponentContext, Stage } from '../../component.ts';
import { durationField, durationMs } from '../../config/duration.ts';
import type { SpanConsumer } from '../../span-consumer.ts';
import { probabilityField } from './config-fields.ts';
import { RecentDecisions } from './recent-decisions.ts';
import { addGaugeReader } from './shared-gauge.ts';
import { traceFraction } from './trace-hash.ts';

export const adaptiveSamplerConfig = z
  .strictObject({
    target_traces_per_second: z
      .number()
      .positive('target_traces_per_second must be above 0')
      .refine(Number.isFinite, 'target_traces_per_second must be finite'),
    min_probability: probabilityField('min_probability', 0.01),
    max_probability: probabilityField('max_probability', 1),
    adjust_interval: durationField('adjust_interval', '10s', true),
    /** Where a service starts, clamped to [min_probability, max_probability]. */
    initial_probability: probabilityField('initial_probability', 1),
    hash_seed: z.number().int('hash_seed must be an integer').min(0).max(0xffffffff).default(0),
    decision_memory: z.number().int().positive('decision_memory must be a positive integer').default(100_000),
    max_services: z.number().int().positive('max_services must be a positive integer').default(1000),
  })
  .superRefine((c, ctx) => {
    if (c.min_probability > c.max_probability)
      ctx.addIssue({
        code: 'custom',
        path: ['min_probability'],
        message: `min_probability (${c.min_probability}) must not be above max_probability (${c.max_probability})`,
      });
  });

export type AdaptiveSamplerConfig = z.output<typeof adaptiveSamplerConfig>;

/** The slot shared by services beyond max_services. */
export const OTHER_SERVICES = '(other services)';

export interface AdaptiveSampler extends Stage {
  /** Measures each service's rate since the last adjustment and sets its probability. */
  adjust(): void;
  /** Each tracked service's current probability. */
  probabilities(): Map<string, number>;
  shutdown(): Promise<void>;
}

interface ServiceState {
  probability: number;
  /** New traces seen since the last adjustment. */
  seen: number;
}

export interface AdaptiveClockOptions {
  /** Milliseconds on a monotonic clock; tests pass their own. */
  now?: () => number;
  /** false: no timer runs, the owner calls `adjust()` (tests). */
  timer?: boolean;
}

export function createAdaptiveSampler(
  config: AdaptiveSamplerConfig,
  next: SpanConsumer,
  ctx: ComponentContext,
  name = 'adaptive_sampler',
  options: AdaptiveClockOptions = {},
): AdaptiveSampler {
  const now = options.now ?? (() => performance.now());
  const { min_probability: lo, max_probability: hi } = config;
  const clamp = (p: number) => Math.min(hi, Math.max(lo, p));
  const initial = clamp(config.initial_probability);
  const services = new Map<string, ServiceState>();
  const memory = new RecentDecisions<boolean>(config.decision_memory);
  let lastAdjust = now();

  const dropped = ctx.metrics.counter(
    'genba_processor_spans_dropped_total',
    'Spans a processor dropped, by processor and reason',
  );
  const decisions = ctx.metrics.counter(
    'genba_sampling_decisions_total',
    'Sampling decisions, by processor, policy and decision',
  );
  const removeGauge = addGaugeReader(
    ctx.metrics,
    'genba_adaptive_sampler_probability',
    'Lowest current keep probability over the services of the adaptive samplers',
    (values) => (values.length > 0 ? Math.min(...values) : 1),
    () => {
      let min = initial;
      for (const s of services.values()) min = Math.min(min, s.probability);
      return min;
    },
  );

  const stateOf = (service: string): ServiceState => {
    let s = services.get(service);
    if (!s) {
      const key = services.size >= config.max_services ? OTHER_SERVICES : service;
      s = services.get(key);
      if (!s) {
        s = { probability: initial, seen: 0 };
        services.set(key, s);
      }
    }
    return s;
  };

  const adjust = () => {
    const t = now();
    const seconds = (t - lastAdjust) / 1000;
    if (seconds <= 0) return;
    lastAdjust = t;
    for (const s of services.values()) {
      const rate = s.seen / seconds;
      s.probability = rate > 0 ? clamp(config.target_traces_per_second / rate) : hi;
      s.seen = 0;
    }
  };

  let timer: NodeJS.Timeout | undefined;
  if (options.timer !== false) {
    timer = setInterval(adjust, durationMs(config.adjust_interval));
    timer.unref();
  }

  return {
    async consume(spans: Span[]): Promise<void> {
      // First pass: the traces this batch starts, and the service each belongs to.
      const fresh = new Map<string, { service: string; root: boolean; keep: boolean }>();
      for (const span of spans) {
        const id = span.traceId;
        const isRoot = span.parentSpanId === '';
        const f = fresh.get(id);
        if (f) {
          if (isRoot && !f.root) {
            f.service = serviceName(span);
            f.root = true;
          }
        } else if (memory.get(id) === undefined) {
          fresh.set(id, { service: serviceName(span), root: isRoot, keep: false });
        }
      }
      let kept = 0;
      for (const [id, f] of fresh) {
        const state = stateOf(f.service);
        state.seen++;
        f.keep = traceFraction(id, config.hash_seed) < state.probability;
        memory.set(id, f.keep);
        if (f.keep) kept++;
      }
      if (kept > 0) decisions({ processor: name, policy: 'adaptive', decision: 'sampled' }, kept);
      if (fresh.size > kept)
        decisions({ processor: name, policy: 'adaptive', decision: 'not_sampled' }, fresh.size - kept);

      const out = spans.filter((s) => fresh.get(s.traceId)?.keep ?? memory.get(s.traceId) === true);
      if (out.length < spans.length)
        dropped({ processor: name, reason: 'not_sampled' }, spans.length - out.length);
      if (out.length > 0) await next.consume(out);
    },
    adjust,
    probabilities: () => new Map([...services].map(([k, s]) => [k, s.probability])),
    async shutdown() {
      if (timer) clearInterval(timer);
      removeGauge();
    },
  };
}
