import type { Span } from '@genba/model';

/** Where receivers hand spans. Resolves only when the spans are durable (or deliberately dropped and counted). */
export interface SpanConsumer {
  consume(spans: Span[]): Promise<void>;
}
