/**
 * Registers a tracer provider and an async context manager for tests and hands back the spans
 * they finished, as plain `RecordedSpan`s. Tests see only this shape, so the provider behind
 * it (Genba's own SDK) could be swapped without touching them.
 */
import { context, DiagLogLevel, diag, propagation, trace } from '@opentelemetry/api';
import type { SpanData } from '../../src/index.ts';
import { TracerProvider } from '../../src/index.ts';
import { CollectingProcessor } from './collect.ts';

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
  // Collects synchronously at span end, so a test sees a span as soon as it ended.
  const collect = new CollectingProcessor();
  const provider = new TracerProvider({ spanProcessors: [collect] });
  // The API refuses a second registration; clear whatever an earlier setup left behind.
  trace.disable();
  context.disable();
  propagation.disable();
  provider.register();
  return {
    finished: () => collect.spans.map(toRecorded),
    reset: () => {
      collect.spans.length = 0;
    },
    async shutdown() {
      await provider.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
}

function toRecorded(span: SpanData): RecordedSpan {
  return {
    name: span.name,
    traceId: span.traceId,
    spanId: span.spanId,
    parentSpanId: span.parentSpanId,
    kind: span.kind,
    attributes: plain(span.attributes),
    events: span.events.map((e) => ({ name: e.name, attributes: plain(e.attributes) })),
    status: { code: span.status.code, message: span.status.message },
  };
}

// The model keeps OTLP ints as bigint; the tests compare with plain numbers.
function plain(attrs: Record<string, unknown>): Record<string, RecordedValue> {
  const out: Record<string, RecordedValue> = {};
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined) continue;
    out[k] = (Array.isArray(v) ? v.map(num) : num(v)) as RecordedValue;
  }
  return out;
}

const num = (v: unknown) => (typeof v === 'bigint' ? Number(v) : v);

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
