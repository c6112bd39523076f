/**
 * `probabilistic_sampler`, keyed like the Collector's: `sampling_percentage` (0–100) and
 * `hash_seed`. A span is kept when the hash of its trace id falls under the percentage, so every
 * span of a trace, in every instance configured alike, gets the same answer and traces are never
 * split. The hash is the Collector's `hash_seed` mode: FNV-1a 32 over the seed's four
 * little-endian bytes and the 16 id bytes, its low 14 bits compared with the percentage scaled
 * to 2^14 buckets. The Collector's other keys (`mode`, `sampling_priority`, …) are not supported
 * and are refused by name.
 *
 * Holds nothing: `consume` resolves when the kept spans are consumed downstream.
 */
import type { Span } from '@genba/model';
import { z } from 'zod';
import type { ComponentContext, Stage } from '../../component.ts';
import type { SpanConsumer } from '../../span-consumer.ts';
import { percentageField } from './config-fields.ts';
import { seededTraceHash } from './trace-hash.ts';

export const probabilisticSamplerConfig = z.strictObject({
  sampling_percentage: percentageField('sampling_percentage'),
  hash_seed: z
    .number()
    .int('hash_seed must be an integer')
    .min(0, 'hash_seed must be between 0 and 4294967295')
    .max(0xffffffff, 'hash_seed must be between 0 and 4294967295')
    .default(0),
});

export type ProbabilisticSamplerConfig = z.output<typeof probabilisticSamplerConfig>;

const BUCKETS = 0x4000;

/** Whether the trace falls in the kept share: the same answer for the same id, seed and percentage. */
export function keepsTrace(traceId: string, seed: number, percentage: number): boolean {
  const scaled = Math.floor((percentage * BUCKETS) / 100);
  return (seededTraceHash(traceId, seed) & (BUCKETS - 1)) < scaled;
}

export function createProbabilisticSampler(
  config: ProbabilisticSamplerConfig,
  next: SpanConsumer,
  ctx: ComponentContext,
  name = 'probabilistic_sampler',
): Stage {
  const dropped = ctx.metrics.counter(
    'genba_processor_spans_dropped_total',
    'Spans a processor dropped, by processor and reason',
  );
  const { sampling_percentage: percentage, hash_seed: seed } = config;
  return {
    async consume(spans: Span[]): Promise<void> {
      const kept: Span[] = [];
      // Consecutive spans of one trace are common: reuse the last answer.
      let lastId = '';
      let lastKeep = false;
      for (const span of spans) {
        if (span.traceId !== lastId) {
          lastId = span.traceId;
          lastKeep = keepsTrace(lastId, seed, percentage);
        }
        if (lastKeep) kept.push(span);
      }
      if (kept.length < spans.length)
        dropped({ processor: name, reason: 'not_sampled' }, spans.length - kept.length);
      if (kept.length > 0) await next.consume(kept);
    },
  };
}
