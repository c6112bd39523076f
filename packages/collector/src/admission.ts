/**
 * The first stage of the pipeline: it bounds the spans in flight (decoded, not yet durable).
 * Past the bound a request is refused with 429 and Retry-After instead of growing memory,
 * and the refused spans are counted.
 */
import type { Span } from '@genba/model';
import { GenbaError } from '@genba/model';
import type { SpanConsumer } from './span-consumer.ts';

export class Admission implements SpanConsumer {
  #next: SpanConsumer;
  #max: number;
  #inFlight = 0;

  constructor(next: SpanConsumer, maxInFlightSpans: number) {
    this.#next = next;
    this.#max = maxInFlightSpans;
  }

  get inFlight(): number {
    return this.#inFlight;
  }

  async consume(spans: Span[]): Promise<void> {
    if (this.#inFlight > 0 && this.#inFlight + spans.length > this.#max) {
      throw new GenbaError(
        'too_many_requests',
        `server busy: ${this.#inFlight} spans in flight; retry later`,
        {
          retryAfter: 1,
        },
      );
    }
    this.#inFlight += spans.length;
    try {
      await this.#next.consume(spans);
    } finally {
      this.#inFlight -= spans.length;
    }
  }
}
