/**
 * The official OpenTelemetry JS SDK and exporters as clients: what they send must come back
 * from the Jaeger API with the right parents, tags, events, service and durations.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { OTLPTraceExporter as HttpJsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, SimpleSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { getJson, withTempServer } from './helpers.ts';

type Server = Awaited<ReturnType<typeof withTempServer>>;

async function emitTrace(exporter: SpanExporter, service: string) {
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': service, 'host.name': 'test-host' }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const tracer = provider.getTracer('interop-test', '1.2.3');
  const t0 = Date.now() - 1000;
  const root = tracer.startSpan('GET /orders', {
    kind: SpanKind.SERVER,
    startTime: t0,
    attributes: {
      'http.request.method': 'GET',
      'http.response.status_code': 200,
      ratio: 0.25,
      cached: false,
    },
  });
  const ctx = trace.setSpan(ROOT_CONTEXT, root);
  const child = tracer.startSpan('SELECT orders', { kind: SpanKind.CLIENT, startTime: t0 + 5 }, ctx);
  child.setAttribute('db.system', 'postgresql');
  child.setAttribute('db.rows', [1, 2, 3]);
  child.addEvent('rows fetched', { count: 3 }, t0 + 20);
  child.setStatus({ code: SpanStatusCode.ERROR, message: 'deadlock' });
  child.end(t0 + 30);
  root.end(t0 + 50);
  await provider.forceFlush();
  await provider.shutdown();
  return {
    traceId: root.spanContext().traceId,
    rootId: root.spanContext().spanId,
    childId: child.spanContext().spanId,
  };
}

function tag(tags: { key: string; type: string; value: unknown }[], key: string) {
  return tags.find((t) => t.key === key);
}

describe('OpenTelemetry exporters → OTLP/HTTP receiver → Jaeger API', () => {
  let server: Server;
  before(async () => {
    server = await withTempServer();
  });
  after(async () => server.close());

  for (const [label, make] of [
    ['exporter-trace-otlp-proto', (url: string) => new ProtoExporter({ url })],
    ['exporter-trace-otlp-http (JSON)', (url: string) => new HttpJsonExporter({ url })],
  ] as const) {
    test(label, async () => {
      const service = `interop-${label.split(' ')[0]}`;
      const ids = await emitTrace(make(`${server.urls.otlpHttp}/v1/traces`), service);
      const { status, body } = await getJson(`${server.urls.query}/api/traces/${ids.traceId}`);
      assert.equal(status, 200);
      assert.equal(body.errors, null);
      const [t] = body.data;
      assert.equal(t.traceID, ids.traceId);
      assert.equal(t.spans.length, 2);
      const root = t.spans.find((s: any) => s.spanID === ids.rootId);
      const child = t.spans.find((s: any) => s.spanID === ids.childId);
      assert.deepEqual(root.references, []);
      assert.deepEqual(child.references, [{ refType: 'CHILD_OF', traceID: ids.traceId, spanID: ids.rootId }]);
      assert.equal(root.operationName, 'GET /orders');
      assert.equal(root.duration, 50_000);
      assert.equal(child.duration, 25_000);
      assert.equal(child.startTime - root.startTime, 5_000);
      assert.deepEqual(tag(root.tags, 'http.response.status_code'), {
        key: 'http.response.status_code',
        type: 'int64',
        value: 200,
      });
      assert.deepEqual(tag(root.tags, 'ratio'), { key: 'ratio', type: 'float64', value: 0.25 });
      assert.deepEqual(tag(root.tags, 'cached'), { key: 'cached', type: 'bool', value: false });
      assert.equal(tag(root.tags, 'span.kind')?.value, 'server');
      assert.equal(tag(child.tags, 'span.kind')?.value, 'client');
      assert.equal(tag(child.tags, 'db.rows')?.value, '[1,2,3]');
      assert.equal(tag(child.tags, 'otel.status_code')?.value, 'ERROR');
      assert.equal(tag(child.tags, 'otel.status_description')?.value, 'deadlock');
      assert.equal(tag(child.tags, 'error')?.value, true);
      assert.equal(tag(child.tags, 'otel.scope.name')?.value, 'interop-test');
      assert.equal(tag(child.tags, 'otel.scope.version')?.value, '1.2.3');
      assert.equal(child.logs.length, 1);
      assert.equal(child.logs[0].timestamp - root.startTime, 20_000);
      assert.deepEqual(
        child.logs[0].fields.map((f: any) => [f.key, f.value]),
        [
          ['event', 'rows fetched'],
          ['count', 3],
        ],
      );
      const proc = t.processes[root.processID];
      assert.equal(proc.serviceName, service);
      assert.equal(tag(proc.tags, 'host.name')?.value, 'test-host');
      assert.equal(root.warnings, null);
      assert.equal(t.warnings, null);

      const services = await getJson(`${server.urls.query}/api/services`);
      assert.ok(services.body.data.includes(service));
      const search = await getJson(
        `${server.urls.query}/api/traces?service=${encodeURIComponent(service)}&tags=${encodeURIComponent(
          JSON.stringify({ 'db.system': 'postgresql' }),
        )}&lookback=1h&limit=5`,
      );
      assert.deepEqual(
        search.body.data.map((x: any) => x.traceID),
        [ids.traceId],
      );
    });
  }
});
