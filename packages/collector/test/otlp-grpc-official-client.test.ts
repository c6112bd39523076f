/**
 * The official OpenTelemetry JS OTLP/gRPC exporter, driven by the official SDK, against the
 * receiver over real sockets: uncompressed and gzip (checked on the wire through a counting
 * TCP proxy), and a throttled answer.
 */
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { Span } from '@genba/model';
import { GenbaError, SpanKind, StatusCode } from '@genba/model';
import * as api from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import type { ComponentContext, ListeningReceiver } from '../src/component.ts';
import { Metrics } from '../src/metrics.ts';
import { startOtlpGrpcReceiver } from '../src/receivers/otlp-grpc-receiver.ts';

type ExporterConfig = NonNullable<ConstructorParameters<typeof OTLPTraceExporter>[0]>;

class CapturingConsumer {
  spans: Span[] = [];
  next: () => Promise<void> = async () => {};
  async consume(spans: Span[]): Promise<void> {
    await this.next();
    this.spans.push(...spans);
  }
}

/** A TCP proxy that counts the bytes the client sends, to see whether gzip was really used. */
async function countingProxy(target: string) {
  const [host, port] = [
    target.slice(0, target.lastIndexOf(':')),
    Number(target.slice(target.lastIndexOf(':') + 1)),
  ];
  let sent = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((down) => {
    const up = net.connect(port, host);
    sockets.add(down).add(up);
    down.on('data', (d: Buffer) => {
      sent += d.length;
    });
    down.pipe(up).pipe(down);
    const end = () => {
      down.destroy();
      up.destroy();
    };
    down.on('error', end).on('close', end);
    up.on('error', end).on('close', end);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port: proxyPort } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${proxyPort}`,
    sent: () => sent,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    },
  };
}

/** Makes a parent and child span with the official SDK and exports them with `exporter`. */
async function sendParentAndChild(exporter: OTLPTraceExporter, blob = ''): Promise<void> {
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'checkout', 'deployment.environment': 'test' }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const tracer = provider.getTracer('official-client-test', '1.2.3');
  const parent = tracer.startSpan('POST /checkout', {
    kind: api.SpanKind.SERVER,
    attributes: { 'http.request.method': 'POST', 'http.response.status_code': 200, blob },
  });
  const child = tracer.startSpan(
    'charge card',
    { kind: api.SpanKind.CLIENT, attributes: { 'payment.amount': 12.5, 'payment.retry': false } },
    api.trace.setSpan(api.context.active(), parent),
  );
  child.setStatus({ code: api.SpanStatusCode.ERROR, message: 'card declined' });
  child.end();
  parent.end();
  await provider.forceFlush();
  await provider.shutdown();
}

function assertParentAndChild(spans: Span[]): void {
  assert.equal(spans.length, 2);
  const parent = spans.find((s) => s.name === 'POST /checkout');
  const child = spans.find((s) => s.name === 'charge card');
  assert.ok(parent && child);
  assert.equal(parent.resource.attributes['service.name'], 'checkout');
  assert.equal(parent.resource.attributes['deployment.environment'], 'test');
  assert.equal(parent.scope.name, 'official-client-test');
  assert.equal(parent.scope.version, '1.2.3');
  assert.equal(parent.parentSpanId, '');
  assert.equal(child.traceId, parent.traceId);
  assert.equal(child.parentSpanId, parent.spanId);
  assert.equal(parent.kind, SpanKind.SERVER);
  assert.equal(child.kind, SpanKind.CLIENT);
  assert.equal(parent.attributes['http.request.method'], 'POST');
  assert.equal(parent.attributes['http.response.status_code'], 200n);
  assert.equal(child.attributes['payment.amount'], 12.5);
  assert.equal(child.attributes['payment.retry'], false);
  assert.deepEqual(child.status, { code: StatusCode.ERROR, message: 'card declined' });
  assert.equal(parent.status.code, StatusCode.UNSET);
  assert.ok(child.endTimeUnixNano >= child.startTimeUnixNano && child.startTimeUnixNano > 0n);
}

describe('official @opentelemetry/exporter-trace-otlp-grpc → receiver', () => {
  const consumer = new CapturingConsumer();
  const ctx: ComponentContext = { metrics: new Metrics(), log: { warn: () => {}, info: () => {} } };
  let receiver: ListeningReceiver;

  before(async () => {
    receiver = await startOtlpGrpcReceiver({ endpoint: '127.0.0.1:0' }, consumer, ctx);
  });
  after(() => receiver.shutdown());

  for (const compression of ['none', 'gzip'] as const) {
    test(`a parent and a child span arrive intact (compression ${compression})`, async () => {
      consumer.spans = [];
      consumer.next = async () => {};
      const proxy = await countingProxy(receiver.endpoints.grpc);
      const blob = 'abc'.repeat(100_000);
      const exporter = new OTLPTraceExporter({
        url: proxy.url,
        compression: compression as ExporterConfig['compression'],
      });
      try {
        await sendParentAndChild(exporter, blob);
      } finally {
        await proxy.close();
      }
      assertParentAndChild(consumer.spans);
      assert.equal(consumer.spans.find((s) => s.name === 'POST /checkout')?.attributes.blob, blob);
      // 300 kB of attribute: sent as is, or squeezed by gzip to a few kB.
      if (compression === 'gzip') assert.ok(proxy.sent() < 50_000, `gzip on the wire: ${proxy.sent()} bytes`);
      else assert.ok(proxy.sent() > 300_000, `plain on the wire: ${proxy.sent()} bytes`);
    });
  }

  test('a throttled export fails with RESOURCE_EXHAUSTED and the receiver keeps serving', async () => {
    // Spans made by the official SDK, then exported by hand to see the exporter's result.
    const memory = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(memory)] });
    provider.getTracer('t').startSpan('throttled').end();
    await provider.forceFlush();
    const spans: ReadableSpan[] = memory.getFinishedSpans();
    const exporter = new OTLPTraceExporter({ url: `http://${receiver.endpoints.grpc}` });
    const exportOnce = () =>
      new Promise<{ code: number; error?: Error }>((resolve) =>
        exporter.export(spans as never, (r) => resolve(r)),
      );

    consumer.spans = [];
    consumer.next = async () => {
      throw new GenbaError('too_many_requests', 'busy', { retryAfter: 1 });
    };
    const refused = await exportOnce();
    assert.equal(refused.code, 1, 'ExportResultCode.FAILED');
    assert.equal((refused.error as { code?: number } | undefined)?.code, 8, 'RESOURCE_EXHAUSTED');
    assert.equal(consumer.spans.length, 0);

    consumer.next = async () => {};
    const ok = await exportOnce();
    assert.equal(ok.code, 0, 'ExportResultCode.SUCCESS');
    assert.deepEqual(
      consumer.spans.map((s) => s.name),
      ['throttled'],
    );
    await exporter.shutdown();
    await provider.shutdown();
  });
});
