/**
 * Finished spans from the real OpenTelemetry JS SDK, shaped like an instrumented HTTP service:
 * traces of 8 spans, each span with 6 attributes and 1 event. Used by the codec benchmark.
 */
import { ROOT_CONTEXT, SpanKind, trace } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';

export function sdkSpans(count: number): ReadableSpan[] {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({
      'service.name': 'orders',
      'service.version': '1.4.2',
      'deployment.environment.name': 'production',
      'host.name': 'orders-7f9c6d-xk2p4',
    }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const tracer = provider.getTracer('@genba/bench', '1.0.0');
  for (let made = 0; made < count; ) {
    const root = tracer.startSpan('GET /api/orders/{id}', { kind: SpanKind.SERVER, attributes: attrs(made) });
    root.addEvent('request.received', { 'message.size': 512 });
    const ctx = trace.setSpan(ROOT_CONTEXT, root);
    made++;
    for (let i = 1; i < 8 && made < count; i++, made++) {
      const child = tracer.startSpan(
        `SELECT orders ${i}`,
        { kind: SpanKind.CLIENT, attributes: attrs(made) },
        ctx,
      );
      child.addEvent('query.sent', { 'db.rows': i });
      child.end();
    }
    root.end();
  }
  return exporter.getFinishedSpans();
}

function attrs(i: number) {
  return {
    'http.request.method': 'GET',
    'url.path': `/api/orders/${10_000 + i}`,
    'http.response.status_code': 200,
    'server.port': 8080,
    'retry.ratio': 0.125,
    'cache.hit': i % 3 === 0,
  };
}
