// Small Jaeger-shaped traces for the unit tests.
import type { JaegerSpan, JaegerTag, JaegerTrace } from '../src/api/jaeger-types.ts';

export const TRACE_ID = 'abc123';

type SpanSpec = {
  id: string;
  parent?: string;
  refType?: 'CHILD_OF' | 'FOLLOWS_FROM';
  start: number;
  duration: number;
  op?: string;
  proc?: string;
  tags?: JaegerTag[];
};

export function span(s: SpanSpec): JaegerSpan {
  return {
    traceID: TRACE_ID,
    spanID: s.id,
    operationName: s.op ?? `op-${s.id}`,
    references: s.parent ? [{ refType: s.refType ?? 'CHILD_OF', traceID: TRACE_ID, spanID: s.parent }] : [],
    flags: 1,
    startTime: s.start,
    duration: s.duration,
    tags: s.tags ?? [],
    logs: [],
    processID: s.proc ?? 'p1',
    warnings: null,
  };
}

export function trace(spans: JaegerSpan[]): JaegerTrace {
  return {
    traceID: TRACE_ID,
    spans,
    processes: {
      p1: { serviceName: 'frontend', tags: [] },
      p2: { serviceName: 'orders', tags: [] },
      p3: { serviceName: 'payments', tags: [] },
    },
    warnings: null,
  };
}

/**
 *  a (frontend, 0..1000)
 *  ├── b (orders, 100..600)
 *  │   ├── d (payments, 200..300, error)
 *  │   └── e (payments, 350..500)
 *  └── c (orders, 700..900)
 *  Given out of order, to check the sorting.
 */
export function sampleTrace(): JaegerTrace {
  return trace([
    span({ id: 'e', parent: 'b', start: 350, duration: 150, proc: 'p3' }),
    span({ id: 'c', parent: 'a', start: 700, duration: 200, proc: 'p2' }),
    span({
      id: 'd',
      parent: 'b',
      start: 200,
      duration: 100,
      proc: 'p3',
      tags: [{ key: 'error', type: 'bool', value: true }],
    }),
    span({ id: 'a', start: 0, duration: 1000, op: 'GET /checkout' }),
    span({ id: 'b', parent: 'a', start: 100, duration: 500, proc: 'p2' }),
  ]);
}
