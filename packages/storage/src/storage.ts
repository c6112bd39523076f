/**
 * The storage contract. Every backend (embedded chdb, a ClickHouse server, a cluster)
 * implements it, and one conformance suite (test/conformance.ts) checks every backend.
 */
import type { Span } from '@genba/model';

export interface SpanWriter {
  /**
   * Stores a batch of spans.
   * - MUST resolve only once every span of the batch is durable: after a process crash
   *   (kill -9) that follows the resolution, every span is readable again. A write-ahead log
   *   that the store replays on open counts as durable.
   * - Every read that starts after the resolution MUST see the batch's spans.
   * - MUST reject when any span could not be stored; the caller may retry the whole batch.
   * - MAY store a span twice when a batch is retried; readers MUST return it once.
   * - MUST accept spans of any trace in any order, and spans of one trace across batches.
   * - MUST drop (and count in `stats().expiredSpans`) spans that start before the retention
   *   window, and resolve as if they were stored.
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

/** One edge of the service graph over a window, from the ingest-time `dependencies` table. */
export interface DependencyLink {
  parent: string;
  child: string;
  callCount: number;
  errorCount: number;
  /** Sum of the child spans' durations, in nanoseconds. */
  durationSumNano: bigint;
  /**
   * The P50 and P95 of the child spans' durations over the window, in nanoseconds.
   * - MUST be answered from ingest-time aggregates (a latency histogram per minute and edge),
   *   never by scanning spans.
   * - MUST be within 4.4 % (plus 1 ns) of the exact nearest-rank quantile, the ⌈q·n⌉-th smallest
   *   duration of those calls (the bound of the buckets in latency-histogram.ts).
   * - Calls stored before schema version 4 have no histogram: they count in callCount but not
   *   here; both MUST be 0 when no call of the window has one.
   */
  p50Nano: number;
  p95Nano: number;
}

export interface LatencyQuery {
  /** Inclusive window on span start, in nanoseconds. */
  startMin: bigint;
  startMax: bigint;
  /** Only this service's operations when set. */
  service?: string;
  /** Only root spans (the anomaly baselines) when true. */
  rootOnly?: boolean;
}

/** Latency of one operation over a window, from the ingest-time `latency_stats` table. */
export interface OperationLatency {
  service: string;
  name: string;
  spanKind: string;
  count: number;
  errorCount: number;
  p50Nano: number;
  p95Nano: number;
  p99Nano: number;
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
  /** Service-to-service calls (a child span whose parent is in another service) that started in the
   * window, summed per edge. MUST be answered from ingest-time aggregates, never by scanning spans. */
  getDependencies(startMin: bigint, startMax: bigint): Promise<DependencyLink[]>;
  /** Per-operation latency quantiles over the window, sorted by service then name.
   * MUST be answered from ingest-time aggregates. */
  getLatencies(query: LatencyQuery): Promise<OperationLatency[]>;
}

export interface StoreStats {
  /** Spans that arrived already older than the retention window: accepted, not stored. */
  expiredSpans: number;
  /** Spans acknowledged (durable in a write-ahead log) and not yet in the engine. */
  queuedSpans: number;
  /** Inserts into the engine that failed; logged spans are retried, others reported to the writer. */
  failedInserts: number;
}

export interface Storage extends SpanWriter, SpanReader {
  /** Counters since the store was opened. */
  stats(): StoreStats;
  /** Flushes pending work and releases the engine. The store MUST NOT be used afterwards. */
  close(): Promise<void>;
}
