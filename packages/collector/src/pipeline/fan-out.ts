/**
 * Hands one batch to several consumers and resolves when all have it. Each consumer after the
 * first gets its own copies of the spans' attributes, so a processor that edits attributes in one
 * pipeline cannot change what another pipeline sees.
 */
import type { Span } from '@genba/model';
import type { SpanConsumer } from '../span-consumer.ts';

function copy(spans: Span[]): Span[] {
  return spans.map((s) => ({ ...s, attributes: { ...s.attributes }, status: { ...s.status } }));
}

export function fanOut(consumers: SpanConsumer[]): SpanConsumer {
  if (consumers.length === 1) return consumers[0];
  return {
    async consume(spans) {
      await Promise.all(consumers.map((c, i) => c.consume(i === 0 ? spans : copy(spans))));
    },
  };
}
