/**
 * The SDK's small interfaces, shaped like opentelemetry-js's so that code written against
 * one reads naturally against the other. Exporters and processors return promises.
 */

import type { Span as ModelSpan } from '@genba/model';
import type { Attributes, Context, Link, SpanKind, TraceState } from '@opentelemetry/api';

/** A finished span as exporters see it: Genba's OTLP-shaped model span. */
export type SpanData = ModelSpan;

/**
 * What a processor gets at `onEnd`: a recorded span, frozen. Converting it to `SpanData`
 * is deferred so that ending a span stays cheap; call `toSpanData()` off the hot path.
 */
export interface ReadableSpan {
  readonly name: string;
  readonly traceId: string;
  readonly spanId: string;
  /** The W3C sampled bit of its context; processors export only sampled spans. */
  readonly sampled: boolean;
  toSpanData(): SpanData;
}

export const ExportResultCode = { SUCCESS: 0, FAILED: 1 } as const;
export type ExportResultCode = (typeof ExportResultCode)[keyof typeof ExportResultCode];

export interface ExportResult {
  code: ExportResultCode;
  error?: Error;
  /** How many export attempts were retries (0 when the first attempt settled it). */
  retries?: number;
}

/**
 * Sends finished spans somewhere. `export` MUST NOT throw: failures resolve with
 * `ExportResultCode.FAILED`. Calls are never concurrent from the batch processor.
 */
export interface SpanExporter {
  export(spans: readonly SpanData[]): Promise<ExportResult>;
  forceFlush?(): Promise<void>;
  shutdown(): Promise<void>;
}

/** Sees every span start and end. `onStart`/`onEnd` are on the caller's path: keep them O(1). */
export interface SpanProcessor {
  onStart(span: ReadableSpan, parentContext: Context): void;
  onEnd(span: ReadableSpan): void;
  forceFlush(): Promise<void>;
  shutdown(): Promise<void>;
}

export const SamplingDecision = { NOT_RECORD: 0, RECORD: 1, RECORD_AND_SAMPLED: 2 } as const;
export type SamplingDecision = (typeof SamplingDecision)[keyof typeof SamplingDecision];

export interface SamplingResult {
  decision: SamplingDecision;
  attributes?: Attributes;
  traceState?: TraceState;
}

/** Same call shape as opentelemetry-js's `Sampler`, so its samplers plug in unchanged. */
export interface Sampler {
  shouldSample(
    context: Context,
    traceId: string,
    spanName: string,
    spanKind: SpanKind,
    attributes: Attributes,
    links: Link[],
  ): SamplingResult;
  toString(): string;
}

/** Counters behind `getExportStats()`. */
export interface ExportStats {
  totalSpans: number;
  exportedSpans: number;
  droppedSpans: number;
  successfulExports: number;
  failedExports: number;
  retryCount: number;
  lastExportTime: number | null;
  lastError: string | null;
}
