/**
 * The real zipkin-js tracer and its HTTP transport (JSON v2) report a small trace to the
 * receiver over a socket; the spans that reach the consumer are checked field by field.
 */
import assert from 'node:assert/strict';
import type { EventEmitter } from 'node:events';
import { after, before, test } from 'node:test';
import { type Span, SpanKind, StatusCode } from '@genba/model';
import zipkin from 'zipkin';
import { HttpLogger } from 'zipkin-transport-http';
import type { ListeningReceiver } from '../src/component.ts';
import { Metrics } from '../src/metrics.ts';
import { createZipkinReceiver } from '../src/receivers/zipkin/zipkin-receiver.ts';

const { Annotation, BatchRecorder, ExplicitContext, InetAddress, Tracer, jsonEncoder } = zipkin;

/** What zipkin-js's HttpLogger does but does not declare in its types. */
interface FlushableLogger extends EventEmitter {
  processQueue(fetchImpl: unknown): void;
  fetchImplementation: unknown;
}

const captured: Span[] = [];
const metrics = new Metrics();
let receiver: ListeningReceiver;

before(async () => {
  receiver = await createZipkinReceiver(
    { endpoint: '127.0.0.1:0' },
    {
      consume: async (spans) => {
        captured.push(...spans);
      },
    },
    { metrics, log: { warn: () => {}, info: () => {} } },
  );
});
after(() => receiver.shutdown());

/** Sends what the logger has queued and waits for its verdict on the response. */
function flush(logger: FlushableLogger): Promise<void> {
  return new Promise((resolve, reject) => {
    logger.once('success', () => resolve());
    logger.once('error', reject);
    logger.processQueue(logger.fetchImplementation);
  });
}

test('zipkin-js (HttpLogger, JSON v2): a server span, its client child and the callee server span', async () => {
  const logger = new HttpLogger({
    endpoint: `${receiver.endpoints.http}/api/v2/spans`,
    jsonEncoder: jsonEncoder.JSON_V2,
    httpInterval: 3_600_000, // flushed by hand below
  }) as unknown as FlushableLogger;
  const recorder = new BatchRecorder({ logger: logger as unknown as zipkin.Logger });
  const gateway = new Tracer({ ctxImpl: new ExplicitContext(), recorder, localServiceName: 'gateway' });
  const orders = new Tracer({ ctxImpl: new ExplicitContext(), recorder, localServiceName: 'orders' });
  const t0 = Date.now() * 1000; // epoch microseconds, near now so the recorder does not expire the spans

  const rootId = gateway.createRootId();
  gateway.letId(rootId, () => {
    // zipkin-js instrumentations record the service name on each span (the recorder does not add it).
    gateway.recordServiceName('gateway');
    gateway.recordRpc('get /checkout');
    gateway.recordAnnotation(new Annotation.ServerRecv(), t0);
    gateway.recordAnnotation(
      new Annotation.ClientAddr({ host: new InetAddress('192.168.1.7'), port: 52000 }),
      t0,
    );
    gateway.recordBinary('http.path', '/checkout');
    gateway.recordAnnotation(new Annotation.Message('cart loaded'), t0 + 1500);
  });
  const clientId = gateway.letId(rootId, () => gateway.createChildId());
  gateway.letId(clientId, () => {
    gateway.recordServiceName('gateway');
    gateway.recordRpc('post /orders');
    gateway.recordAnnotation(new Annotation.ClientSend(), t0 + 2000);
    gateway.recordAnnotation(
      new Annotation.ServerAddr({ serviceName: 'orders', host: new InetAddress('10.1.2.3'), port: 8080 }),
      t0 + 2000,
    );
    gateway.recordBinary('http.status_code', '500');
    gateway.recordBinary('error', 'payment declined');
  });
  const calleeId = orders.createChildId(clientId);
  orders.letId(calleeId, () => {
    orders.recordServiceName('orders');
    orders.recordRpc('create order');
    orders.recordAnnotation(new Annotation.ServerRecv(), t0 + 2500);
    orders.recordBinary('order.items', '3');
    orders.recordAnnotation(new Annotation.ServerSend(), t0 + 9000);
  });
  gateway.letId(clientId, () => gateway.recordAnnotation(new Annotation.ClientRecv(), t0 + 9800));
  gateway.letId(rootId, () => gateway.recordAnnotation(new Annotation.ServerSend(), t0 + 10_000));

  await flush(logger);

  assert.equal(captured.length, 3);
  const byName = new Map(captured.map((s) => [s.name, s]));
  const server = byName.get('get /checkout');
  const client = byName.get('post /orders');
  const callee = byName.get('create order');
  assert.ok(server && client && callee, `span names: ${[...byName.keys()].join(', ')}`);
  const us = (n: number) => BigInt(n) * 1000n;

  // zipkin-js makes 64-bit trace ids by default; they become 128-bit with zero high bits.
  assert.equal(rootId.traceId.length, 16);
  for (const s of captured) assert.equal(s.traceId, `0000000000000000${rootId.traceId}`);

  assert.equal(server.spanId, rootId.spanId);
  assert.equal(server.parentSpanId, '');
  assert.equal(server.kind, SpanKind.SERVER);
  assert.equal(server.resource.attributes['service.name'], 'gateway');
  assert.equal(server.startTimeUnixNano, us(t0));
  assert.equal(server.endTimeUnixNano, us(t0 + 10_000));
  assert.equal(server.attributes['http.path'], '/checkout');
  assert.equal(server.attributes['network.peer.address'], '192.168.1.7');
  assert.equal(server.attributes['network.peer.port'], 52000n);
  assert.deepEqual(server.events, [
    { timeUnixNano: us(t0 + 1500), name: 'cart loaded', attributes: {}, droppedAttributesCount: 0 },
  ]);
  assert.deepEqual(server.status, { code: StatusCode.UNSET, message: '' });

  assert.equal(client.spanId, clientId.spanId);
  assert.equal(client.parentSpanId, server.spanId);
  assert.equal(client.kind, SpanKind.CLIENT);
  assert.equal(client.resource, server.resource, 'spans of one service share one resource object');
  assert.equal(client.startTimeUnixNano, us(t0 + 2000));
  assert.equal(client.endTimeUnixNano, us(t0 + 9800));
  assert.equal(client.attributes['service.peer.name'], 'orders');
  assert.equal(client.attributes['network.peer.address'], '10.1.2.3');
  assert.equal(client.attributes['network.peer.port'], 8080n);
  assert.equal(client.attributes['http.status_code'], '500', 'tags stay strings unless parse_string_tags');
  assert.deepEqual(client.status, { code: StatusCode.ERROR, message: 'payment declined' });
  assert.equal(
    client.attributes.error,
    'payment declined',
    'an error tag with a message stays, as in the Collector',
  );

  assert.equal(callee.parentSpanId, client.spanId);
  assert.equal(callee.kind, SpanKind.SERVER);
  assert.equal(callee.resource.attributes['service.name'], 'orders');
  assert.equal(callee.startTimeUnixNano, us(t0 + 2500));
  assert.equal(callee.endTimeUnixNano, us(t0 + 9000));
  assert.equal(callee.attributes['order.items'], '3');
  assert.equal(callee.status.code, StatusCode.UNSET);

  const text = metrics.render();
  assert.match(text, /genba_receiver_spans_total\{receiver="zipkin",outcome="accepted"\} 3/);
  assert.match(text, /genba_receiver_requests_total\{receiver="zipkin",status="202"\} 1/);
});
