/**
 * The OTLP/gRPC receiver over real sockets with a raw grpc-js client (bytes in, bytes out):
 * status codes, the RetryInfo trailer (read back with protobufjs as an independent decoder),
 * size bounds, partial success, metrics, and success only after the consumer resolved.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import type { Span } from '@genba/model';
import { emptyResource, emptyScope, emptySpan, GenbaError, SpanKind } from '@genba/model';
import { decodeTraceResponse, encodeTraceRequest } from '@genba/otlp';
import * as grpc from '@grpc/grpc-js';
import protobuf from 'protobufjs';
import type { ComponentContext, ListeningReceiver } from '../src/component.ts';
import { Metrics } from '../src/metrics.ts';
import { startOtlpGrpcReceiver } from '../src/receivers/otlp-grpc-receiver.ts';
import { exportRaw, RawClient } from './support/raw-trace-client.ts';

// google.rpc.Status / RetryInfo and the two well-known types, from their public .proto field numbers.
const rpcRoot = protobuf.Root.fromJSON({
  nested: {
    google: {
      nested: {
        protobuf: {
          nested: {
            Any: { fields: { type_url: { type: 'string', id: 1 }, value: { type: 'bytes', id: 2 } } },
            Duration: { fields: { seconds: { type: 'int64', id: 1 }, nanos: { type: 'int32', id: 2 } } },
          },
        },
        rpc: {
          nested: {
            Status: {
              fields: {
                code: { type: 'int32', id: 1 },
                message: { type: 'string', id: 2 },
                details: { rule: 'repeated', type: 'google.protobuf.Any', id: 3 },
              },
            },
            RetryInfo: { fields: { retry_delay: { type: 'google.protobuf.Duration', id: 1 } } },
          },
        },
      },
    },
  },
});
const StatusType = rpcRoot.lookupType('google.rpc.Status');
const RetryInfoType = rpcRoot.lookupType('google.rpc.RetryInfo');

const resource = { ...emptyResource(), attributes: { 'service.name': 'grpc-receiver-test' } };
const scope = { ...emptyScope(), name: 'test' };

function span(i: number, traceId = '5b8efff798038103d269b633813fc60c'): Span {
  const s = emptySpan(resource, scope);
  s.traceId = traceId;
  s.spanId = (0xa000 + i).toString(16).padStart(16, '0');
  s.name = `op-${i}`;
  s.kind = SpanKind.SERVER;
  s.startTimeUnixNano = 1_700_000_000_000_000_000n;
  s.endTimeUnixNano = 1_700_000_000_001_000_000n;
  s.attributes = { i: BigInt(i) };
  return s;
}

const bytesOf = (spans: Span[]) => Buffer.from(encodeTraceRequest(spans));

/** A consumer whose behaviour each test sets. */
class ScriptedConsumer {
  received: Span[][] = [];
  next: (spans: Span[]) => Promise<void> = async () => {};
  async consume(spans: Span[]): Promise<void> {
    await this.next(spans);
    this.received.push(spans);
  }
}

describe('OTLP/gRPC receiver', () => {
  const consumer = new ScriptedConsumer();
  const metrics = new Metrics();
  const warnings: string[] = [];
  const ctx: ComponentContext = { metrics, log: { warn: (m) => warnings.push(m), info: () => {} } };
  let receiver: ListeningReceiver;
  let client: grpc.Client;
  let gzipClient: grpc.Client;

  before(async () => {
    receiver = await startOtlpGrpcReceiver(
      { endpoint: '127.0.0.1:0', maxRecvMsgSizeMib: 0.25 },
      consumer,
      ctx,
    );
    client = new RawClient(receiver.endpoints.grpc, grpc.credentials.createInsecure());
    gzipClient = new RawClient(receiver.endpoints.grpc, grpc.credentials.createInsecure(), {
      'grpc.default_compression_algorithm': 2,
    });
  });
  after(async () => {
    client.close();
    gzipClient.close();
    await receiver.shutdown();
  });

  test('listens on 127.0.0.1 with the port it was given', () => {
    assert.match(receiver.endpoints.grpc, /^127\.0\.0\.1:\d+$/);
    assert.notEqual(receiver.endpoints.grpc, '127.0.0.1:0');
  });

  test('accepts spans and answers an empty ExportTraceServiceResponse', async () => {
    consumer.next = async () => {};
    const before = consumer.received.length;
    const { err, response } = await exportRaw(client, bytesOf([span(1), span(2)]));
    assert.equal(err, null);
    assert.deepEqual(decodeTraceResponse(response!), { rejectedSpans: 0, errorMessage: '' });
    const got = consumer.received[before];
    assert.deepEqual(
      got.map((s) => [s.name, s.spanId, s.attributes.i]),
      [
        ['op-1', '000000000000a001', 1n],
        ['op-2', '000000000000a002', 2n],
      ],
    );
    assert.equal(got[0].resource.attributes['service.name'], 'grpc-receiver-test');
  });

  test('accepts a gzip-compressed message', async () => {
    consumer.next = async () => {};
    const before = consumer.received.length;
    const { err } = await exportRaw(gzipClient, bytesOf([span(7)]));
    assert.equal(err, null);
    assert.equal(consumer.received[before][0].name, 'op-7');
  });

  test('malformed bytes get INVALID_ARGUMENT with a message naming the problem', async () => {
    const before = consumer.received.length;
    const { err } = await exportRaw(client, Buffer.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f]));
    assert.equal(err?.code, grpc.status.INVALID_ARGUMENT);
    assert.match(err!.details, /malformed OTLP payload: length 4294967295 runs past the end .* at byte 1/);
    assert.equal(consumer.received.length, before);
    assert.match(
      metrics.render(),
      /genba_receiver_spans_total\{receiver="otlp_grpc",outcome="malformed"\} 1/,
    );
  });

  test('a message over the size limit gets RESOURCE_EXHAUSTED and reaches no consumer', async () => {
    const big = span(3);
    big.attributes = { blob: 'x'.repeat(300 * 1024) };
    const before = consumer.received.length;
    const { err } = await exportRaw(client, bytesOf([big]));
    assert.equal(err?.code, grpc.status.RESOURCE_EXHAUSTED);
    assert.match(err!.details, /larger than max/);
    assert.equal(consumer.received.length, before);
  });

  test('a gzip message that inflates past the limit gets RESOURCE_EXHAUSTED', async () => {
    const big = span(4);
    big.attributes = { blob: 'x'.repeat(2 * 1024 * 1024) };
    const body = bytesOf([big]);
    assert.ok(gzipSync(body).length < 0.25 * 1024 * 1024, 'the compressed message itself fits the limit');
    const before = consumer.received.length;
    const { err } = await exportRaw(gzipClient, body);
    assert.equal(err?.code, grpc.status.RESOURCE_EXHAUSTED);
    assert.match(err!.details, /decompresses to a size larger than/);
    assert.equal(consumer.received.length, before);
  });

  test('too_many_requests gets RESOURCE_EXHAUSTED with a RetryInfo trailer carrying the delay', async () => {
    consumer.next = async () => {
      throw new GenbaError('too_many_requests', 'server busy: retry later', { retryAfter: 2.5 });
    };
    const { err } = await exportRaw(client, bytesOf([span(5)]));
    assert.equal(err?.code, grpc.status.RESOURCE_EXHAUSTED);
    assert.equal(err!.details, 'server busy: retry later');
    const trailer = err!.metadata.get('grpc-status-details-bin')[0];
    assert.ok(Buffer.isBuffer(trailer), 'grpc-status-details-bin is present');
    const status = StatusType.toObject(StatusType.decode(trailer), { longs: Number }) as {
      code: number;
      message: string;
      details: { type_url: string; value: Uint8Array }[];
    };
    assert.equal(status.code, 8);
    assert.equal(status.message, 'server busy: retry later');
    assert.equal(status.details.length, 1);
    assert.equal(status.details[0].type_url, 'type.googleapis.com/google.rpc.RetryInfo');
    const info = RetryInfoType.toObject(RetryInfoType.decode(status.details[0].value), {
      longs: Number,
      defaults: true,
    }) as { retry_delay: { seconds: number; nanos: number } };
    assert.deepEqual(info.retry_delay, { seconds: 2, nanos: 500_000_000 });
    assert.match(metrics.render(), /genba_receiver_spans_total\{receiver="otlp_grpc",outcome="refused"\} 1/);
    assert.match(
      metrics.render(),
      /genba_receiver_requests_total\{receiver="otlp_grpc",status="RESOURCE_EXHAUSTED"\} 1/,
    );
  });

  test('storage trouble gets UNAVAILABLE; an unexpected error gets INTERNAL without its text', async () => {
    consumer.next = async () => {
      throw new GenbaError('unavailable', 'store is restarting', { retryAfter: 1 });
    };
    const a = await exportRaw(client, bytesOf([span(6)]));
    assert.equal(a.err?.code, grpc.status.UNAVAILABLE);
    assert.equal(a.err!.details, 'store is restarting');
    consumer.next = async () => {
      throw new Error('secret internals');
    };
    const b = await exportRaw(client, bytesOf([span(6)]));
    assert.equal(b.err?.code, grpc.status.INTERNAL);
    assert.equal(b.err!.details, 'internal error');
    assert.ok(
      warnings.some((w) => w.includes('secret internals')),
      'the real error is logged',
    );
  });

  test('spans with invalid ids are rejected one by one as partial success', async () => {
    consumer.next = async () => {};
    const before = consumer.received.length;
    const bad = span(8, '00000000000000000000000000000000');
    const { err, response } = await exportRaw(client, bytesOf([span(9), bad]));
    assert.equal(err, null);
    const r = decodeTraceResponse(response!);
    assert.equal(r.rejectedSpans, 1);
    assert.match(r.errorMessage, /span "op-8" has an invalid trace id/);
    assert.deepEqual(
      consumer.received[before].map((s) => s.name),
      ['op-9'],
    );
    assert.match(metrics.render(), /genba_receiver_spans_total\{receiver="otlp_grpc",outcome="rejected"\} 1/);
  });

  test('answers OK only after the consumer resolved', async () => {
    let release!: () => void;
    let entered!: () => void;
    const inConsumer = new Promise<void>((r) => {
      entered = r;
    });
    consumer.next = (spans) =>
      spans[0]?.name === 'op-10'
        ? new Promise<void>((r) => {
            release = r;
            entered();
          })
        : Promise.resolve();
    let answered = false;
    const slow = exportRaw(client, bytesOf([span(10)])).then((a) => {
      answered = true;
      return a;
    });
    await inConsumer;
    // A whole other round trip on the same connection completes while the first is held.
    const other = await exportRaw(client, bytesOf([span(11)]));
    assert.equal(other.err, null);
    assert.equal(answered, false);
    release();
    assert.equal((await slow).err, null);
  });

  test('keeps serving after every kind of failure', async () => {
    consumer.next = async () => {};
    const { err } = await exportRaw(client, bytesOf([span(12)]));
    assert.equal(err, null);
    assert.match(metrics.render(), /genba_receiver_requests_total\{receiver="otlp_grpc",status="OK"\} \d+/);
  });
});

describe('OTLP/gRPC receiver lifecycle', () => {
  const ctx: ComponentContext = { metrics: new Metrics(), log: { warn: () => {}, info: () => {} } };

  test('a taken port is reported with the endpoint', async () => {
    const first = await startOtlpGrpcReceiver({ endpoint: '127.0.0.1:0' }, new ScriptedConsumer(), ctx);
    try {
      await assert.rejects(
        startOtlpGrpcReceiver({ endpoint: first.endpoints.grpc }, new ScriptedConsumer(), ctx),
        (err: Error) => err.message.includes(`cannot listen on ${first.endpoints.grpc}`),
      );
    } finally {
      await first.shutdown();
    }
  });

  test('a bad endpoint is refused with a message', async () => {
    await assert.rejects(
      startOtlpGrpcReceiver({ endpoint: 'localhost' }, new ScriptedConsumer(), ctx),
      /expected host:port/,
    );
  });

  test('shutdown lets a call under way finish, then stops listening', async () => {
    const consumer = new ScriptedConsumer();
    let release!: () => void;
    let entered!: () => void;
    const inConsumer = new Promise<void>((r) => {
      entered = r;
    });
    consumer.next = () =>
      new Promise<void>((r) => {
        release = r;
        entered();
      });
    const r = await startOtlpGrpcReceiver({ endpoint: '127.0.0.1:0' }, consumer, ctx);
    const client = new RawClient(r.endpoints.grpc, grpc.credentials.createInsecure());
    const pending = exportRaw(client, bytesOf([span(1)]));
    await inConsumer;
    const stopping = r.shutdown();
    release();
    assert.equal((await pending).err, null, 'the call under way was answered OK');
    await stopping;
    const again = await exportRaw(client, bytesOf([span(2)]));
    assert.equal(again.err?.code, grpc.status.UNAVAILABLE);
    client.close();
  });
});
