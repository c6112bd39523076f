/**
 * The real `jaeger-client` (Node) reporting to the receiver: its UDPSender (emitBatch in the
 * binary protocol, to the agent's binary port) and its HTTPSender (a Thrift-binary Batch posted
 * to /api/traces).
 */
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { describe, test } from 'node:test';
import { type Span, SpanKind, StatusCode } from '@genba/model';
import { createJaegerReceiver, jaegerReceiverConfig } from '../src/receivers/jaeger/jaeger-receiver.ts';
import { CapturingConsumer, counterValue, testContext, until } from './support/jaeger-capture.ts';

interface ClientSpan {
  setTag(key: string, value: unknown): ClientSpan;
  log(fields: Record<string, unknown>): ClientSpan;
  finish(): void;
}
interface ClientTracer {
  startSpan(name: string, options?: { childOf?: ClientSpan; tags?: Record<string, unknown> }): ClientSpan;
  close(done: () => void): void;
}
const require = createRequire(import.meta.url);
const { initTracer } = require('jaeger-client') as {
  initTracer(config: Record<string, unknown>, options: Record<string, unknown>): ClientTracer;
};

/** A parent and a child with tags of each JS type, a log and an error, then a flush. */
async function sendTrace(reporter: Record<string, unknown>, traceId128bit: boolean): Promise<string[]> {
  const errors: string[] = [];
  const tracer = initTracer(
    {
      serviceName: 'orders',
      sampler: { type: 'const', param: 1 },
      reporter: { flushIntervalMs: 60_000, ...reporter },
    },
    {
      tags: { 'deploy.env': 'test', 'build.number': 42 },
      logger: { info: () => {}, error: (m: string) => errors.push(m) },
      traceId128bit,
    },
  );
  const parent = tracer.startSpan('GET /orders', {
    tags: { 'span.kind': 'server', 'http.method': 'GET', 'http.url': '/orders/7' },
  });
  const child = tracer.startSpan('charge card', {
    childOf: parent,
    tags: { 'span.kind': 'client', 'payment.retry': false, 'payment.amount': 12.5, 'payment.attempt': 2 },
  });
  child.setTag('error', true);
  child.log({ event: 'error', message: 'card declined', 'error.kind': 'Declined' });
  child.finish();
  parent.finish();
  await new Promise<void>((resolve) => tracer.close(resolve));
  return errors;
}

function checkTrace(spans: Span[]): { parent: Span; child: Span } {
  const parent = spans.find((s) => s.name === 'GET /orders');
  const child = spans.find((s) => s.name === 'charge card');
  assert.ok(parent && child, `got ${spans.map((s) => s.name).join(', ')}`);

  assert.equal(parent.resource.attributes['service.name'], 'orders');
  assert.equal(parent.resource.attributes['deploy.env'], 'test');
  assert.equal(parent.resource.attributes['build.number'], 42);
  assert.equal(typeof parent.resource.attributes['host.name'], 'string'); // jaeger-client's `hostname`
  assert.match(String(parent.resource.attributes['opencensus.exporterversion']), /^Jaeger-Node-3\./);
  assert.equal(parent.resource, child.resource);

  assert.equal(parent.parentSpanId, '');
  assert.equal(child.traceId, parent.traceId);
  assert.equal(child.parentSpanId, parent.spanId);
  assert.match(parent.spanId, /^[0-9a-f]{16}$/);

  assert.equal(parent.kind, SpanKind.SERVER);
  assert.equal(child.kind, SpanKind.CLIENT);
  assert.equal(parent.status.code, StatusCode.UNSET);
  assert.equal(child.status.code, StatusCode.ERROR);

  assert.equal(parent.attributes['http.method'], 'GET');
  assert.equal(parent.attributes['sampler.type'], 'const');
  assert.equal(parent.attributes['sampler.param'], true);
  // jaeger-client sends every JS number as a Thrift double.
  assert.deepEqual(
    {
      retry: child.attributes['payment.retry'],
      amount: child.attributes['payment.amount'],
      attempt: child.attributes['payment.attempt'],
    },
    { retry: false, amount: 12.5, attempt: 2 },
  );
  assert.equal('span.kind' in child.attributes, false);
  assert.equal('error' in child.attributes, false);

  assert.equal(child.events.length, 1);
  const [ev] = child.events;
  assert.equal(ev.name, 'error');
  assert.deepEqual(ev.attributes, { message: 'card declined', 'error.kind': 'Declined' });
  assert.ok(ev.timeUnixNano >= child.startTimeUnixNano && ev.timeUnixNano <= child.endTimeUnixNano);
  assert.ok(parent.startTimeUnixNano <= child.startTimeUnixNano);
  assert.ok(parent.endTimeUnixNano >= child.endTimeUnixNano);
  assert.ok(Number(parent.startTimeUnixNano / 1_000_000n) > Date.now() - 60_000);
  return { parent, child };
}

describe('jaeger-client', () => {
  test('UDPSender (agentHost/agentPort): binary emitBatch to thrift_binary', async () => {
    const consumer = new CapturingConsumer();
    const ctx = testContext();
    const receiver = await createJaegerReceiver(
      jaegerReceiverConfig.parse({ protocols: { thrift_binary: { endpoint: '127.0.0.1:0' } } }),
      consumer,
      ctx,
    );
    try {
      const port = Number(receiver.endpoints.thrift_binary.split(':')[1]);
      const errors = await sendTrace({ agentHost: '127.0.0.1', agentPort: port }, false);
      assert.deepEqual(errors, []);
      await until(() => consumer.spans.length >= 2, 'two spans over UDP');
      const { parent } = checkTrace(consumer.spans);
      assert.match(parent.traceId, /^0{16}[0-9a-f]{16}$/); // 64-bit trace ids unless asked otherwise
      assert.equal(
        counterValue(ctx.metrics, 'genba_receiver_spans_total', {
          receiver: 'jaeger_thrift_binary',
          outcome: 'accepted',
        }),
        2,
      );
      assert.deepEqual(ctx.warnings, []);
    } finally {
      await receiver.shutdown();
    }
  });

  test('HTTPSender (collectorEndpoint): Thrift-binary Batch to POST /api/traces', async () => {
    const consumer = new CapturingConsumer();
    const ctx = testContext();
    const receiver = await createJaegerReceiver(
      jaegerReceiverConfig.parse({ protocols: { thrift_http: { endpoint: '127.0.0.1:0' } } }),
      consumer,
      ctx,
    );
    try {
      const errors = await sendTrace(
        { collectorEndpoint: `${receiver.endpoints.thrift_http}/api/traces` },
        true,
      );
      assert.deepEqual(errors, []);
      // The HTTP answer comes after consume resolved, and close() waited for it.
      const { parent } = checkTrace(consumer.spans);
      assert.doesNotMatch(parent.traceId, /^0{16}/); // 128-bit trace id: the high half is kept
      assert.equal(
        counterValue(ctx.metrics, 'genba_receiver_requests_total', {
          receiver: 'jaeger_thrift_http',
          status: '202',
        }),
        1,
      );
    } finally {
      await receiver.shutdown();
    }
  });
});
