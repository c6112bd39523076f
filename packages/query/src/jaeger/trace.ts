/** A trace's model spans to the Jaeger v1 trace that `/api/traces/{id}` returns. */
import type { Span } from '@genba/model';
import { ProcessTable } from './process.ts';
import { toJaegerSpan } from './span.ts';
import type { JaegerTrace } from './types.ts';

/** Spans by start time; ties keep their input order (Array.prototype.sort is stable). */
function byStart(spans: readonly Span[]): Span[] {
  return [...spans].sort((a, b) =>
    a.startTimeUnixNano < b.startTimeUnixNano ? -1 : a.startTimeUnixNano > b.startTimeUnixNano ? 1 : 0,
  );
}

export function toJaegerTrace(spans: readonly Span[]): JaegerTrace {
  const table = new ProcessTable();
  const out = byStart(spans).map((s) => toJaegerSpan(s, table.keyOf(s.resource)));
  return {
    traceID: out.length > 0 ? out[0].traceID : '',
    spans: out,
    processes: table.processes,
    warnings: null,
  };
}

/** Several traces (for `/api/traces?service=…`), each with its own process table, as Jaeger does. */
export function toJaegerTraces(traces: Iterable<readonly Span[]>): JaegerTrace[] {
  const out: JaegerTrace[] = [];
  for (const spans of traces) if (spans.length > 0) out.push(toJaegerTrace(spans));
  return out;
}
