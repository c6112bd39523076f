/**
 * The three kinds of pipeline component, shaped like the OTel Collector's: receivers turn wire
 * input into spans, processors are consumers that hand (some of) their input to the next
 * consumer, exporters are the last consumers. Each kind is a tiny interface; the config names
 * components by their Collector type (`otlp`, `tail_sampling`, `otlphttp`, …).
 */
import type { Metrics } from './metrics.ts';
import type { SpanConsumer } from './span-consumer.ts';

/** What every component may use. Metrics labels are fixed by code, never by input. */
export interface ComponentContext {
  metrics: Metrics;
  /** Warnings that an operator should see (malformed UDP packets, failed health checks). */
  log: { warn(msg: string): void; info(msg: string): void };
}

/** Anything that holds resources (sockets, timers, buffered spans) and must be shut down. */
export interface Lifecycle {
  /** Stops taking input, hands what it still holds to the next consumer where it can, then frees it. */
  shutdown(): Promise<void>;
}

/**
 * A processor or exporter. `consume` resolves when the spans are durable downstream, or
 * deliberately dropped and counted. A refusal is a thrown `GenbaError` (429 with retryAfter
 * under pressure), which receivers map to their protocol's status.
 */
export interface Stage extends SpanConsumer, Partial<Lifecycle> {}

export interface ListeningReceiver extends Lifecycle {
  /** Where it listens, by protocol: `{ grpc: '127.0.0.1:4317' }`, `{ http: 'http://127.0.0.1:9411' }`. */
  readonly endpoints: Record<string, string>;
}
