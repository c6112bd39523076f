/**
 * Clients nobody here wrote, each on its own protocol, into one real server with the default
 * pipeline: what they send must come back from the Jaeger API with the right parents, tags and
 * service names. OTLP/gRPC (the official exporter), Zipkin v2 JSON (zipkin-js) and Jaeger Thrift
 * over UDP and over HTTP (jaeger-client).
 */
import assert from 'node:assert/strict';
import type { EventEmitter } from 'node:events';
import { createRequire } from 'node:module';
import { after, before, describe, test } from 'node:test';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import zipkin from 'zipkin';
import { HttpLogger } from 'zipkin-transport-http';
import { getJson, withTempServer } from './helpers.ts';

type Server = Awaited<ReturnType<typeof withTempServer>>;
type JaegerSpan = {
  spanID: string;
  operationName: string;
  references: { refType: string; spanID: string }[];
  tags: { key: string; type: string; value: unknown }[];
  processID: string;
};
type JaegerTrace = { spans: JaegerSpan[]; processes: Record<string, { serviceName: string }> };

const require = createRequire(import.meta.url);
const { initTracer } = require('jaeger-client') as {
  initTracer(config: Record<string, unknown>, options: Record<string, unknown>): any;
};

/** Polls the Jaeger API until the trace has `spans` spans (UDP has no acknowledgement). */
async function traceOf(server: Server, traceId: string, spans: number): Promise<JaegerTrace> {
  for (let i = 0; i < 100; i++) {
    const { status, body } = await getJson(`${server.urls.query}/api/traces/${traceId}`);
    if (status === 200 && body.data[0]?.spans.length === spans) return body.data[0];
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`trace ${traceId} did not arrive with ${spans} spans`);
}

function span(t: JaegerTrace, name: string): JaegerSpan & { service: string; tag(k: string): unknown } {
  const s = t.spans.find((x) => x.operationName === name);
  assert.ok(s, `no span "${name}" in ${t.spans.map((x) => x.operationName).join(', ')}`);
  return {
    ...s,
    service: t.processes[s.processID].serviceName,
    tag: (k: string) => s.tags.find((x) => x.key === k)?.value,
  };
}

describe('every receiver, with real clients, into the Jaeger API', () => {
  let server: Server;
  before(async () => {
    server = await withTempServer();
  });
  after(async () => server.close());

  test('OTLP/gRPC: @opentelemetry/exporter-trace-otlp-grpc', async () => {
    const exporter = new OTLPTraceExporter({ url: `http://${server.endpoints.otlp.grpc}` });
    const provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': 'grpc-shop' }),
      spanProcessors: [new SimpleSpanProcessor(exporter)],
    });
    const tracer = provider.getTracer('interop');
    const root = tracer.startSpan('GET /cart', {
      kind: SpanKind.SERVER,
      attributes: { 'http.status_code': 200 },
    });
    const child = tracer.startSpan('redis GET', { kind: SpanKind.CLIENT }, trace.setSpan(ROOT_CONTEXT, root));
    child.setStatus({ code: SpanStatusCode.ERROR, message: 'timeout' });
    child.end();
    root.end();
    await provider.shutdown();
    const t = await traceOf(server, root.spanContext().traceId, 2);
    const r = span(t, 'GET /cart');
    const c = span(t, 'redis GET');
    assert.equal(r.service, 'grpc-shop');
    assert.equal(r.tag('http.status_code'), 200);
    assert.equal(r.tag('span.kind'), 'server');
    assert.deepEqual(
      c.references.map((x) => [x.refType, x.spanID]),
      [['CHILD_OF', r.spanID]],
    );
    assert.equal(c.tag('error'), true);
    assert.equal(c.tag('otel.status_description'), 'timeout');
  });

  test('Zipkin v2 JSON: zipkin-js with zipkin-transport-http', async () => {
    const { Annotation, BatchRecorder, ExplicitContext, Tracer, jsonEncoder } = zipkin;
    const logger = new HttpLogger({
      endpoint: `${server.endpoints.zipkin.http}/api/v2/spans`,
      jsonEncoder: jsonEncoder.JSON_V2,
      httpInterval: 3_600_000,
    }) as unknown as EventEmitter & { processQueue(f: unknown): void; fetchImplementation: unknown };
    const recorder = new BatchRecorder({ logger: logger as unknown as zipkin.Logger });
    const tracer = new Tracer({ ctxImpl: new ExplicitContext(), recorder, localServiceName: 'zipkin-web' });
    const t0 = Date.now() * 1000;
    const rootId = tracer.createRootId();
    tracer.letId(rootId, () => {
      tracer.recordServiceName('zipkin-web');
      tracer.recordRpc('get /home');
      tracer.recordAnnotation(new Annotation.ServerRecv(), t0);
      tracer.recordBinary('http.path', '/home');
    });
    const childId = tracer.letId(rootId, () => tracer.createChildId());
    tracer.letId(childId, () => {
      tracer.recordServiceName('zipkin-web');
      tracer.recordRpc('get /recommendations');
      tracer.recordAnnotation(new Annotation.ClientSend(), t0 + 100);
      tracer.recordBinary('error', 'upstream 503');
    });
    tracer.letId(childId, () => tracer.recordAnnotation(new Annotation.ClientRecv(), t0 + 900));
    tracer.letId(rootId, () => tracer.recordAnnotation(new Annotation.ServerSend(), t0 + 1000));
    await new Promise<void>((resolve, reject) => {
      logger.once('success', () => resolve());
      logger.once('error', reject);
      logger.processQueue(logger.fetchImplementation);
    });
    const t = await traceOf(server, `0000000000000000${rootId.traceId}`, 2);
    const r = span(t, 'get /home');
    const c = span(t, 'get /recommendations');
    assert.equal(r.service, 'zipkin-web');
    assert.equal(r.tag('http.path'), '/home');
    assert.equal(c.tag('span.kind'), 'client');
    assert.deepEqual(
      c.references.map((x) => [x.refType, x.spanID]),
      [['CHILD_OF', r.spanID]],
    );
    // Zipkin's error tag carries its message; the span's status is ERROR with that message.
    assert.equal(c.tag('error'), 'upstream 503');
    assert.equal(c.tag('otel.status_code'), 'ERROR');
  });

  for (const [label, reporter] of [
    [
      'Jaeger Thrift binary over UDP: jaeger-client UDPSender',
      (s: Server) => {
        const [host, port] = s.endpoints.jaeger.thrift_binary.split(':');
        return { agentHost: host, agentPort: Number(port) };
      },
    ],
    [
      'Jaeger Thrift over HTTP: jaeger-client HTTPSender',
      (s: Server) => ({
        collectorEndpoint: `${s.endpoints.jaeger.thrift_http}/api/traces`,
      }),
    ],
  ] as const) {
    test(label, async () => {
      const service = label.includes('UDP') ? 'jaeger-udp' : 'jaeger-http';
      const tracer = initTracer(
        {
          serviceName: service,
          sampler: { type: 'const', param: 1 },
          reporter: { flushIntervalMs: 60_000, ...reporter(server) },
        },
        { tags: { 'deploy.env': 'test' }, logger: { info() {}, error() {} }, traceId128bit: true },
      );
      const parent = tracer.startSpan('GET /orders', {
        tags: { 'span.kind': 'server', 'http.method': 'GET' },
      });
      const child = tracer.startSpan('charge', {
        childOf: parent,
        tags: { 'span.kind': 'client', attempt: 2 },
      });
      child.setTag('error', true);
      child.finish();
      parent.finish();
      await new Promise<void>((resolve) => tracer.close(resolve));
      const traceId = parent.context().toTraceId().padStart(32, '0');
      const t = await traceOf(server, traceId, 2);
      const p = span(t, 'GET /orders');
      const c = span(t, 'charge');
      assert.equal(p.service, service);
      assert.equal(c.service, service);
      assert.equal(p.tag('http.method'), 'GET');
      assert.equal(p.tag('span.kind'), 'server');
      assert.equal(c.tag('attempt'), 2);
      assert.equal(c.tag('error'), true);
      assert.deepEqual(
        c.references.map((x) => [x.refType, x.spanID]),
        [['CHILD_OF', p.spanID]],
      );
    });
  }

  test('/metrics counts accepted spans per receiver', async () => {
    const text = await (await fetch(`${server.urls.query}/metrics`)).text();
    for (const receiver of ['otlp_grpc', 'zipkin', 'jaeger_thrift_binary', 'jaeger_thrift_http'])
      assert.match(
        text,
        new RegExp(`genba_receiver_spans_total\\{receiver="${receiver}",outcome="accepted"\\} [1-9]`),
      );
  });
});
