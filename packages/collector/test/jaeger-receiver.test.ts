/** The jaeger receiver on real sockets: Thrift over HTTP and both UDP agent ports, good and hostile input. */
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { GenbaError } from '@genba/model';
import type { ListeningReceiver } from '../src/component.ts';
import { createJaegerReceiver, jaegerReceiverConfig } from '../src/receivers/jaeger/jaeger-receiver.ts';
import { type JaegerBatch, TagType } from '../src/receivers/jaeger/jaeger-thrift-decoder.ts';
import { CapturingConsumer, counterValue, testContext, until } from './support/jaeger-capture.ts';
import { BinaryWriter, CompactWriter, emitBatch, T, writeBatch } from './support/jaeger-thrift-writer.ts';

const THRIFT = { 'content-type': 'application/x-thrift' };

function batchOf(name: string, spanId = 7n): JaegerBatch {
  return {
    process: { serviceName: 'recv-test', tags: [] },
    spans: [
      {
        traceIdLow: 0xabcn,
        traceIdHigh: 0n,
        spanId,
        parentSpanId: 0n,
        operationName: name,
        references: [],
        flags: 1,
        startTime: 1_700_000_000_000_000n,
        duration: 10n,
        tags: [{ key: 'k', vType: TagType.STRING, vStr: 'v' }],
        logs: [],
      },
    ],
  };
}

const httpBody = (name: string) => writeBatch(new BinaryWriter(), batchOf(name)).bytes();

async function start(protocols: Record<string, unknown>, consumer: CapturingConsumer, maxBodyBytes?: number) {
  const ctx = testContext();
  const receiver = await createJaegerReceiver(jaegerReceiverConfig.parse({ protocols }), consumer, ctx, {
    maxBodyBytes,
  });
  return { receiver, ctx };
}

async function post(url: string, body: Uint8Array, headers: Record<string, string> = THRIFT) {
  const res = await fetch(`${url}/api/traces`, { method: 'POST', body, headers });
  return { status: res.status, text: await res.text(), retryAfter: res.headers.get('retry-after') };
}

async function sendUdp(endpoint: string, bytes: Uint8Array): Promise<void> {
  const sep = endpoint.lastIndexOf(':');
  const socket = createSocket('udp4');
  await new Promise<void>((resolve, reject) =>
    socket.send(bytes, Number(endpoint.slice(sep + 1)), endpoint.slice(0, sep), (err) =>
      err ? reject(err) : resolve(),
    ),
  );
  socket.close();
}

describe('config', () => {
  test('an empty protocol entry (YAML null) means on with the defaults; absent ones stay off', () => {
    const c = jaegerReceiverConfig.parse({ protocols: { thrift_http: null, thrift_compact: {} } });
    assert.deepEqual(c.protocols.thrift_http, { endpoint: '127.0.0.1:14268' });
    assert.deepEqual(c.protocols.thrift_compact, {
      endpoint: '127.0.0.1:6831',
      queue_size: 1000,
      max_packet_size: 65000,
    });
    assert.equal(c.protocols.thrift_binary, undefined);
    assert.equal(
      jaegerReceiverConfig.parse({ protocols: { thrift_binary: null } }).protocols.thrift_binary?.endpoint,
      '127.0.0.1:6832',
    );
  });

  test('mistakes are named', () => {
    const problems = (v: unknown) => {
      const r = jaegerReceiverConfig.safeParse(v);
      assert.equal(r.success, false);
      return r.error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n');
    };
    assert.match(problems({ protocols: {} }) ?? '', /name at least one of thrift_http/);
    assert.match(
      problems({ protocols: { thrift_http: { endpoint: 'nowhere' } } }) ?? '',
      /thrift_http.endpoint: expected host:port/,
    );
    assert.match(problems({ protocols: { grpc: {} } }) ?? '', /grpc/);
    assert.match(
      problems({ protocols: { thrift_compact: { max_packet_size: 70000 } } }) ?? '',
      /max_packet_size/,
    );
  });

  test('only the protocols present are opened, and endpoints report the real ports', async () => {
    const { receiver } = await start({ thrift_binary: { endpoint: '127.0.0.1:0' } }, new CapturingConsumer());
    try {
      assert.deepEqual(Object.keys(receiver.endpoints), ['thrift_binary']);
      assert.match(receiver.endpoints.thrift_binary, /^127\.0\.0\.1:\d+$/);
      assert.notEqual(receiver.endpoints.thrift_binary, '127.0.0.1:0');
    } finally {
      await receiver.shutdown();
    }
  });

  test('a port in use fails the start and releases what was already opened', async () => {
    const taken = createSocket('udp4');
    await new Promise<void>((resolve) => taken.bind(0, '127.0.0.1', resolve));
    const port = taken.address().port;
    const consumer = new CapturingConsumer();
    const ctx = testContext();
    const config = jaegerReceiverConfig.parse({
      protocols: {
        thrift_http: { endpoint: '127.0.0.1:0' },
        thrift_compact: { endpoint: `127.0.0.1:${port}` },
      },
    });
    await assert.rejects(createJaegerReceiver(config, consumer, ctx), /EADDRINUSE/);
    taken.close();
    // Nothing is left listening: a fresh receiver on the same UDP port now starts.
    const again = await createJaegerReceiver(
      jaegerReceiverConfig.parse({ protocols: { thrift_compact: { endpoint: `127.0.0.1:${port}` } } }),
      consumer,
      ctx,
    );
    await again.shutdown();
  });
});

describe('thrift_http', () => {
  const consumer = new CapturingConsumer();
  let receiver: ListeningReceiver;
  let url: string;
  let ctx: ReturnType<typeof testContext>;
  before(async () => {
    ({ receiver, ctx } = await start({ thrift_http: { endpoint: '127.0.0.1:0' } }, consumer, 64 * 1024));
    url = receiver.endpoints.thrift_http;
  });
  after(() => receiver.shutdown());

  test('a Thrift-binary Batch is answered 202 once consumed', async () => {
    const r = await post(url, httpBody('plain'));
    assert.equal(r.status, 202);
    const s = consumer.byName('plain');
    assert.equal(s.traceId, '00000000000000000000000000000abc');
    assert.equal(s.resource.attributes['service.name'], 'recv-test');
    assert.equal(
      counterValue(ctx.metrics, 'genba_receiver_requests_total', {
        receiver: 'jaeger_thrift_http',
        status: '202',
      }) > 0,
      true,
    );
  });

  test('gzip bodies and the vnd.apache.thrift.binary type are accepted', async () => {
    const r = await post(url, gzipSync(httpBody('zipped')), {
      'content-type': 'application/vnd.apache.thrift.binary',
      'content-encoding': 'gzip',
    });
    assert.equal(r.status, 202);
    consumer.byName('zipped');
  });

  test('garbage gets 400 naming the problem, and the receiver keeps working', async () => {
    const before = counterValue(ctx.metrics, 'genba_receiver_spans_total', {
      receiver: 'jaeger_thrift_http',
      outcome: 'malformed',
    });
    const r = await post(url, Buffer.from('this is not thrift at all'));
    assert.equal(r.status, 400);
    assert.match(r.text, /^malformed Jaeger Thrift batch: .+ \(at byte \d+\)/);
    const huge = new BinaryWriter()
      .field(T.STRUCT, 1)
      .field(T.STRING, 1)
      .i32(1 << 30)
      .bytes();
    const r2 = await post(url, huge);
    assert.equal(r2.status, 400);
    assert.match(r2.text, /string declares 1073741824 bytes but only 0 remain/);
    assert.equal(
      counterValue(ctx.metrics, 'genba_receiver_spans_total', {
        receiver: 'jaeger_thrift_http',
        outcome: 'malformed',
      }),
      before + 2,
    );
    assert.equal((await post(url, httpBody('after-garbage'))).status, 202);
    consumer.byName('after-garbage');
  });

  test('an empty body and a batch of only invalid ids are 400', async () => {
    assert.match((await post(url, new Uint8Array(0))).text, /empty body/);
    const bad = batchOf('zero-id', 0n);
    const r = await post(url, writeBatch(new BinaryWriter(), bad).bytes());
    assert.equal(r.status, 400);
    assert.match(r.text, /no valid span: span "zero-id" has an invalid span id/);
  });

  test('a wrong Content-Type is 415; a wrong route 404', async () => {
    const r = await post(url, httpBody('json'), { 'content-type': 'application/json' });
    assert.equal(r.status, 415);
    assert.match(r.text, /unsupported Content-Type "application\/json"; send application\/x-thrift/);
    const untyped = await fetch(`${url}/api/traces`, {
      method: 'POST',
      body: new Blob([httpBody('untyped')]),
    });
    assert.equal(untyped.status, 415);
    assert.match(await untyped.text(), /unsupported Content-Type ""/);
    const get = await fetch(`${url}/api/traces`);
    assert.equal(get.status, 404);
    assert.match(await get.text(), /POST \/api\/traces/);
  });

  test('too large is 413, before and after decompression', async () => {
    const big = await post(url, new Uint8Array(65 * 1024));
    assert.equal(big.status, 413);
    const bomb = await post(url, gzipSync(Buffer.alloc(4 * 1024 * 1024)), {
      ...THRIFT,
      'content-encoding': 'gzip',
    });
    assert.equal(bomb.status, 413);
    assert.match(bomb.text, /decompressed body exceeds the limit/);
  });

  test('a refusal under pressure is 429 with Retry-After, counted as refused', async () => {
    consumer.refuse = new GenbaError('too_many_requests', 'server busy', { retryAfter: 3 });
    try {
      const r = await post(url, httpBody('refused'));
      assert.equal(r.status, 429);
      assert.equal(r.retryAfter, '3');
      assert.match(r.text, /server busy/);
      assert.equal(
        counterValue(ctx.metrics, 'genba_receiver_spans_total', {
          receiver: 'jaeger_thrift_http',
          outcome: 'refused',
        }),
        1,
      );
    } finally {
      consumer.refuse = undefined;
    }
    assert.equal((await post(url, httpBody('after-refusal'))).status, 202);
  });
});

describe('UDP agent ports', () => {
  const consumer = new CapturingConsumer();
  let receiver: ListeningReceiver;
  let ctx: ReturnType<typeof testContext>;
  const packets = (port: string, outcome: string) =>
    counterValue(ctx.metrics, 'genba_receiver_packets_total', { receiver: `jaeger_thrift_${port}`, outcome });
  before(async () => {
    ({ receiver, ctx } = await start(
      {
        thrift_compact: { endpoint: '127.0.0.1:0', max_packet_size: 4096 },
        thrift_binary: { endpoint: '127.0.0.1:0' },
      },
      consumer,
    ));
  });
  after(() => receiver.shutdown());

  test('compact on thrift_compact and binary on thrift_binary', async () => {
    await sendUdp(receiver.endpoints.thrift_compact, emitBatch(new CompactWriter(), batchOf('udp-compact')));
    await sendUdp(receiver.endpoints.thrift_binary, emitBatch(new BinaryWriter(), batchOf('udp-binary')));
    await until(() => consumer.spans.length >= 2, 'two datagrams');
    assert.deepEqual(consumer.byName('udp-compact').attributes, { k: 'v' });
    assert.deepEqual(consumer.byName('udp-binary').attributes, { k: 'v' });
    assert.equal(packets('compact', 'accepted'), 1);
    assert.equal(packets('binary', 'accepted'), 1);
  });

  test('malformed and oversized datagrams are counted and logged, and the port keeps working', async () => {
    const compact = receiver.endpoints.thrift_compact;
    await sendUdp(compact, Buffer.from([0x82, 0x81, 0x00, 0x7f])); // name length beyond the packet
    await sendUdp(compact, emitBatch(new BinaryWriter(), batchOf('wrong-protocol')));
    await sendUdp(compact, Buffer.alloc(5000, 0x82));
    await until(() => packets('compact', 'malformed') === 3, 'three malformed datagrams');
    assert.match(
      ctx.warnings.join('\n'),
      /jaeger_thrift_compact: dropped a malformed datagram: string declares 127 bytes/,
    );
    await sendUdp(compact, emitBatch(new CompactWriter(), batchOf('after-bad')));
    await until(() => consumer.spans.some((s) => s.name === 'after-bad'), 'a good datagram after bad ones');
    assert.equal(
      consumer.spans.some((s) => s.name === 'wrong-protocol'),
      false,
    );
  });

  test('a refused batch is counted as refused (UDP cannot push back)', async () => {
    consumer.refuse = new GenbaError('too_many_requests', 'busy', { retryAfter: 1 });
    try {
      await sendUdp(receiver.endpoints.thrift_binary, emitBatch(new BinaryWriter(), batchOf('refused-udp')));
      await until(() => packets('binary', 'refused') === 1, 'a refused datagram');
      assert.equal(
        counterValue(ctx.metrics, 'genba_receiver_spans_total', {
          receiver: 'jaeger_thrift_binary',
          outcome: 'refused',
        }),
        1,
      );
    } finally {
      consumer.refuse = undefined;
    }
  });
});

describe('UDP queue bound and shutdown', () => {
  test('past queue_size datagrams are dropped and counted; shutdown waits for the ones in flight', async () => {
    const consumer = new CapturingConsumer();
    let release = () => {};
    consumer.hold = new Promise<void>((r) => {
      release = r;
    });
    const { receiver, ctx } = await start(
      { thrift_compact: { endpoint: '127.0.0.1:0', queue_size: 1 } },
      consumer,
    );
    const at = receiver.endpoints.thrift_compact;
    await sendUdp(at, emitBatch(new CompactWriter(), batchOf('held')));
    await until(() => consumer.calls === 1, 'the first datagram to reach the consumer');
    await sendUdp(at, emitBatch(new CompactWriter(), batchOf('overflow')));
    const dropped = () =>
      counterValue(ctx.metrics, 'genba_receiver_packets_total', {
        receiver: 'jaeger_thrift_compact',
        outcome: 'dropped',
      });
    await until(() => dropped() === 1, 'the second datagram to be dropped');
    assert.equal(
      counterValue(ctx.metrics, 'genba_receiver_spans_total', {
        receiver: 'jaeger_thrift_compact',
        outcome: 'refused',
      }),
      1,
    );

    let closed = false;
    const shutdown = receiver.shutdown().then(() => {
      closed = true;
    });
    for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
    assert.equal(closed, false, 'shutdown must wait for the held batch');
    release();
    await shutdown;
    assert.deepEqual(
      consumer.spans.map((s) => s.name),
      ['held'],
    );
  });
});

test('the HTTP port is plain TCP: nothing else is listening on it after shutdown', async () => {
  const { receiver } = await start({ thrift_http: { endpoint: '127.0.0.1:0' } }, new CapturingConsumer());
  const port = Number(new URL(receiver.endpoints.thrift_http).port);
  await receiver.shutdown();
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  server.close();
});
