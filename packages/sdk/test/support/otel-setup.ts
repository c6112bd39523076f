/**
 * Registers a tracer provider and an async context manager for tests and hands back the spans
 * they finished, as plain `RecordedSpan`s. Tests see only this shape, so the provider behind
 * it (OTel's SDK today) can be swapped for Genba's own without touching them.
 */
import { context, DiagLogLevel, diag, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';

export type RecordedValue = string | number | boolean | Array<string | number | boolean | null | undefined>;

export interface RecordedSpan {
  name: string;
  traceId: string;
  spanId: string;
  /** '' for a root span. */
  parentSpanId: string;
  /** OTLP numbering: INTERNAL 1, SERVER 2, CLIENT 3, PRODUCER 4, CONSUMER 5. */
  kind: number;
  attributes: Record<string, RecordedValue>;
  events: { name: string; attributes: Record<string, RecordedValue> }[];
  /** 0 UNSET, 1 OK, 2 ERROR. */
  status: { code: 0 | 1 | 2; message: string };
}

export interface Tracing {
  /** Spans ended so far, in the order they ended. */
  finished(): RecordedSpan[];
  reset(): void;
  /** Unregisters the provider and context manager, so another `setupTracing` can follow. */
  shutdown(): Promise<void>;
}

export function setupTracing(): Tracing {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  // The API refuses a second registration; clear whatever an earlier setup left behind.
  trace.disable();
  context.disable();
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  trace.setGlobalTracerProvider(provider);
  return {
    finished: () => exporter.getFinishedSpans().map(toRecorded),
    reset: () => exporter.reset(),
    async shutdown() {
      await provider.shutdown();
      trace.disable();
      context.disable();
    },
  };
}

function toRecorded(span: ReadableSpan): RecordedSpan {
  const ctx = span.spanContext();
  return {
    name: span.name,
    traceId: ctx.traceId,
    spanId: ctx.spanId,
    parentSpanId: span.parentSpanContext?.spanId ?? '',
    kind: span.kind + 1,
    attributes: plain(span.attributes),
    events: span.events.map((e) => ({ name: e.name, attributes: plain(e.attributes ?? {}) })),
    status: { code: span.status.code as 0 | 1 | 2, message: span.status.message ?? '' },
  };
}

function plain(attrs: Record<string, unknown>): Record<string, RecordedValue> {
  const out: Record<string, RecordedValue> = {};
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined) out[k] = v as RecordedValue;
  return out;
}

/**
 * Collects the SDK's diagnostic warnings (where `reportOnce` writes misuse) from now on.
 * `reportOnce` speaks once per kind per process, so assert each kind in one test only.
 */
export function captureWarnings(): string[] {
  const warnings: string[] = [];
  const ignore = () => {};
  diag.setLogger(
    {
      warn: (message: string) => warnings.push(message),
      error: ignore,
      info: ignore,
      debug: ignore,
      verbose: ignore,
    },
    { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true },
  );
  return warnings;
}
