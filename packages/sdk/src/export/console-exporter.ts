/**
 * Writes each span as one compact JSON line, for development and debugging. Ints are bigint
 * in the model, so they are written as JSON strings (like OTLP/JSON does for int64) rather
 * than making JSON.stringify throw; bytes are written as hex.
 */
import type { ExportResult, SpanData, SpanExporter } from '../types.ts';
import { ExportResultCode } from '../types.ts';
import { asError } from './retry.ts';

/** The part of a writable stream the exporter uses; process.stdout by default. */
export interface LineSink {
  write(chunk: string): unknown;
}

function replacer(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Uint8Array)
    return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex');
  return value;
}

/** One span as its console line: ids, timing, status and attributes; the resource by service name only. */
export function spanToJsonLine(span: SpanData): string {
  return JSON.stringify(
    {
      traceId: span.traceId,
      spanId: span.spanId,
      parentSpanId: span.parentSpanId || undefined,
      name: span.name,
      kind: span.kind,
      service: span.resource.attributes['service.name'],
      scope: span.scope.name || undefined,
      startTimeUnixNano: span.startTimeUnixNano,
      durationMicros: Number((span.endTimeUnixNano - span.startTimeUnixNano) / 1000n),
      status: span.status.code === 0 ? undefined : span.status,
      attributes: span.attributes,
      events: span.events.length > 0 ? span.events : undefined,
      links: span.links.length > 0 ? span.links : undefined,
    },
    replacer,
  );
}

export class ConsoleSpanExporter implements SpanExporter {
  #sink: LineSink;

  constructor(sink: LineSink = process.stdout) {
    this.#sink = sink;
  }

  async export(spans: readonly SpanData[]): Promise<ExportResult> {
    try {
      let out = '';
      for (const span of spans) out += `${spanToJsonLine(span)}\n`;
      if (out !== '') this.#sink.write(out);
      return { code: ExportResultCode.SUCCESS, retries: 0 };
    } catch (err) {
      return { code: ExportResultCode.FAILED, error: asError(err), retries: 0 };
    }
  }

  async forceFlush(): Promise<void> {}

  async shutdown(): Promise<void> {}
}
