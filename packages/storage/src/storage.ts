/**
 * The storage contract. Every backend (embedded chdb, a ClickHouse server, a cluster)
 * implements it, and one conformance suite (test/conformance.ts) checks every backend.
 */
import type { Span } from '@genba/model';

export interface SpanWriter {
  /**
   * Stores a batch of spans.
   * - MUST resolve only once every span of the batch is durable: after a process crash
   *   (kill -9) that follows the resolution, every span is readable again.
   * - MUST reject when any span could not be stored; the caller may retry the whole batch.
   * - MAY store a span twice when a batch is retried; readers MUST return it once.
   * - MUST accept spans of any trace in any order, and spans of one trace across batches.
   */
  write(spans: readonly Span[]): Promise<void>;
}

export interface TraceQuery {
  /** REQUIRED: only spans of this service match. */
  service: string;
  /** When set, only spans with this name match. */
  operation?: string;
  /** Every tag MUST match the same span: its attributes, its resource attributes, or the span's
   * intrinsic fields `error` (status ERROR), `span.kind`, `otel.status_code`. Values compare as text. */
  tags?: Record<string, string>;
  /** Inclusive bounds on the matching span's start, in nanoseconds. */
  startMin: bigint;
  startMax: bigint;
  /** Inclusive bounds on the matching span's duration, in nanoseconds. */
  durationMin?: bigint;
  durationMax?: bigint;
  /** At most this many traces; MUST be honoured. */
  limit: number;
}

/** What a result list needs, without loading whole traces. */
export interface TraceSummary {
  traceId: string;
  rootService: string;
  rootName: string;
  startTimeUnixNano: bigint;
  durationNano: bigint;
  spanCount: number;
  errorCount: number;
  services: string[];
}

export interface Operation {
  name: string;
  /** OTLP span kind name in lower case: 'server', 'client', 'producer', 'consumer', 'internal', or ''. */
  spanKind: string;
}

export interface SpanReader {
  /** MUST return every stored span of the trace exactly once, or [] when the trace is unknown. */
  getTrace(traceId: string): Promise<Span[]>;
  /** Like getTrace for several ids; absent ids are absent from the map. */
  getTraces(traceIds: readonly string[]): Promise<Map<string, Span[]>>;
  /** Traces with at least one span matching every condition, newest matching span first. */
  findTraces(query: TraceQuery): Promise<TraceSummary[]>;
  /** Service names, sorted. */
  getServices(): Promise<string[]>;
  /** Operations of a service, sorted by name; only those of `spanKind` when given. */
  getOperations(service: string, spanKind?: string): Promise<Operation[]>;
}

export interface Storage extends SpanWriter, SpanReader {
  /** Flushes pending work and releases the engine. The store MUST NOT be used afterwards. */
  close(): Promise<void>;
}
