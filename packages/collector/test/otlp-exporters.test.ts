/**
 * The `otlp` (gRPC) and `otlphttp` exporters over real sockets: into Genba's own receivers
 * (the gRPC receiver, and registerOtlpHttp on Fastify), and into scripted backends for retries,
 * throttling, permanent refusals, the sending queue and shutdown. Intervals are small so the
 * retry tests take milliseconds; waits the server asks for are checked as lower bounds only.
 */
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { Span } from '@genba/model';
import { emptyResource, emptyScope, emptySpan, GenbaError, SpanKind, StatusCode } from '@genba/model';
import { traceServiceDefinition } from '@genba/otlp';
import * as grpc from '@grpc/grpc-js';
import Fastify from 'fastify';
import protobuf from 'protobufjs';
import type { ComponentContext, ListeningReceiver } from '../src/component.ts';
import {
  createOtlpExporter,
  OtlpGrpcExporter,
  otlpExporterConfig,
} from '../src/exporters/otlp-grpc-exporter.ts';
import {
  createOtlphttpExporter,
  OtlpHttpExporter,
  otlphttpExporterConfig,
  tracesUrl,
} from '../src/exporters/otlphttp-exporter.ts';
import { Metrics } from '../src/metrics.ts';
import { registerOtlpHttp } from '../src/otlp-http-receiver.ts';
import { startOtlpGrpcReceiver } from '../src/receivers/otlp-grpc-receiver.ts';

const resource = { ...emptyResource(), attributes: { 'service.name': 'exporter-test', 'host.cores': 2n } };
const scope = { ...emptyScope(), name: 'exporter-test', version: '0.1.0' };

function spans(n: number, tag = 'op'): Span[] {
  return Array.from({ length: n }, (_, i) => {
    const s = emptySpan(resource, scope);
    s.traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    s.spanId = (0xc000 + i).toString(16).padStart(16, '0');
    s.parentSpanId = i === 0 ? '' : '000000000000c000';
    s.name = `${tag}-${i}`;
    s.kind = i === 0 ? SpanKind.SERVER : SpanKind.CLIENT;
    s.startTimeUnixNano = 1_700_000_000_000_000_123n + BigInt(i);
    s.endTimeUnixNano = 1_700_000_000_002_000_456n;
    s.attributes = { 'http.route': '/orders/:id', retries: BigInt(i), ratio: 0.25, ok: i % 2 === 0 };
    s.events = [
      {
        timeUnixNano: 1_700_000_000_001_000_000n,
        name: 'cache miss',
        attributes: {},
        droppedAttributesCount: 0,
      },
    ];
    s.status =
      i === 1 ? { code: StatusCode.ERROR, message: 'timeout' } : { code: StatusCode.UNSET, message: '' };
    return s;
  });
}

function context(): ComponentContext & { warnings: string[]; metrics: Metrics } {
  const warnings: string[] = [];
  return { metrics: new Metrics(), warnings, log: { warn: (m) => warnings.push(m), info: () => {} } };
}

function counter(metrics: Metrics, name: string, exporter: string): number {
  const m = new RegExp(`^${name}\\{exporter="${exporter.replace('/', '\\/')}"\\} (\\d+)$`, 'm').exec(
    metrics.render(),
  );
  return m ? Number(m[1]) : 0;
}

const FAST_RETRY = { initial_interval: '5ms', max_interval: '20ms', max_elapsed_time: '2s' };

/** Records each batch a consumer got, and lets a test script its answers. */
class Backend {
  calls = 0;
  delivered: Span[][] = [];
  at: number[] = [];
  answer: (call: number) => Promise<void> = async () => {};
  async consume(batch: Span[]): Promise<void> {
    const call = this.calls++;
    this.at.push(Date.now());
    await this.answer(call);
    this.delivered.push(batch);
  }
}

/** Genba's OTLP/HTTP endpoint (the existing receiver) on Fastify. */
async function genbaHttp(backend: Backend) {
  const app = Fastify({ logger: false });
  registerOtlpHttp(app, { consumer: backend, metrics: new Metrics(), maxBodyBytes: 16 << 20 });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => app.close() };
}

/** A bare HTTP backend answering from a script, for statuses the Genba receiver never sends. */
async function scriptedHttp(answer: (call: number, req: IncomingMessage, res: ServerResponse) => void) {
  const at: number[] = [];
  const server = createServer((req, res) => {
    req.resume().on('end', () => {
      at.push(Date.now());
      answer(at.length - 1, req, res);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    at,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

describe('otlp exporter (gRPC)', () => {
  const backend = new Backend();
  let receiver: ListeningReceiver;
  before(async () => {
    receiver = await startOtlpGrpcReceiver({ endpoint: '127.0.0.1:0' }, backend, context());
  });
  after(() => receiver.shutdown());

  test('round trip into the Genba gRPC receiver: equal spans, counted under its name', async () => {
    backend.answer = async () => {};
    const ctx = context();
    const exporter = createOtlpExporter({ endpoint: receiver.endpoints.grpc }, ctx, { name: 'otlp/backup' });
    const sent = spans(3);
    const before = backend.delivered.length;
    await exporter.consume(sent);
    assert.deepEqual(backend.delivered[before], sent);
    assert.equal(counter(ctx.metrics, 'genba_exporter_spans_sent_total', 'otlp/backup'), 3);
    await exporter.shutdown();
  });

  test('uncompressed, with headers as metadata', async () => {
    let seen: grpc.Metadata | undefined;
    const server = new grpc.Server();
    server.addService(traceServiceDefinition, {
      Export: (call: grpc.ServerUnaryCall<Span[], unknown>, cb: grpc.sendUnaryData<unknown>) => {
        seen = call.metadata;
        cb(null, { rejectedSpans: 0, errorMessage: '' });
      },
    });
    const port = await new Promise<number>((res, rej) =>
      server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (e, p) =>
        e ? rej(e) : res(p),
      ),
    );
    const exporter = new OtlpGrpcExporter(
      { endpoint: `http://127.0.0.1:${port}`, compression: 'none', headers: { 'X-Scope-OrgID': 'tenant-a' } },
      context(),
    );
    await exporter.consume(spans(1));
    assert.deepEqual(seen?.get('x-scope-orgid'), ['tenant-a']);
    await exporter.shutdown();
    server.forceShutdown();
  });

  test('RESOURCE_EXHAUSTED with RetryInfo is retried after the server delay, then delivered once', async () => {
    const firstCall = backend.calls;
    backend.answer = async (call) => {
      if (call === firstCall) throw new GenbaError('too_many_requests', 'busy', { retryAfter: 0.3 });
    };
    const ctx = context();
    const exporter = createOtlpExporter(
      {
        endpoint: receiver.endpoints.grpc,
        retry_on_failure: { initial_interval: '1ms', max_interval: '1ms' },
      },
      ctx,
    );
    const before = backend.delivered.length;
    await exporter.consume(spans(2));
    assert.equal(backend.calls - firstCall, 2, 'one refusal, one success');
    assert.equal(backend.delivered.length - before, 1, 'delivered once');
    const gap = backend.at[firstCall + 1] - backend.at[firstCall];
    assert.ok(gap >= 290, `waited ${gap} ms, RetryInfo said 300 ms`);
    assert.equal(counter(ctx.metrics, 'genba_exporter_spans_sent_total', 'otlp'), 2);
    assert.equal(counter(ctx.metrics, 'genba_exporter_spans_failed_total', 'otlp'), 0);
    await exporter.shutdown();
  });

  test('a backend that stays unavailable: consume rejects with unavailable after max_elapsed_time', async () => {
    backend.answer = async () => {
      throw new GenbaError('unavailable', 'store down', { retryAfter: 0.01 });
    };
    const firstCall = backend.calls;
    const ctx = context();
    const exporter = createOtlpExporter(
      {
        endpoint: receiver.endpoints.grpc,
        retry_on_failure: { initial_interval: '10ms', max_interval: '40ms', max_elapsed_time: '300ms' },
      },
      ctx,
    );
    const t0 = Date.now();
    await assert.rejects(exporter.consume(spans(2)), (err: GenbaError) => {
      assert.equal(err.code, 'unavailable');
      assert.ok((err.retryAfter ?? 0) >= 1);
      assert.match(err.message, /UNAVAILABLE: store down .*gave up after \d+ attempts/);
      return true;
    });
    assert.ok(backend.calls - firstCall >= 3, `retried: ${backend.calls - firstCall} attempts`);
    assert.ok(Date.now() - t0 <= 2000);
    assert.equal(counter(ctx.metrics, 'genba_exporter_spans_failed_total', 'otlp'), 2);
    await exporter.shutdown();
  });

  test('an unreachable endpoint ends in unavailable too', async () => {
    const closed = await startOtlpGrpcReceiver({ endpoint: '127.0.0.1:0' }, new Backend(), context());
    await closed.shutdown();
    const exporter = createOtlpExporter(
      {
        endpoint: closed.endpoints.grpc,
        timeout: '500ms',
        retry_on_failure: { ...FAST_RETRY, max_elapsed_time: '200ms' },
      },
      context(),
    );
    await assert.rejects(exporter.consume(spans(1)), { name: 'GenbaError', code: 'unavailable' });
    await exporter.shutdown();
  });

  test('INVALID_ARGUMENT is permanent: dropped, counted, logged, not retried', async () => {
    backend.answer = async () => {
      throw new GenbaError('bad_request', 'span too strange');
    };
    const firstCall = backend.calls;
    const ctx = context();
    const exporter = createOtlpExporter(
      { endpoint: receiver.endpoints.grpc, retry_on_failure: FAST_RETRY },
      ctx,
    );
    await exporter.consume(spans(4));
    assert.equal(backend.calls - firstCall, 1);
    assert.equal(counter(ctx.metrics, 'genba_exporter_spans_failed_total', 'otlp'), 4);
    assert.equal(counter(ctx.metrics, 'genba_exporter_spans_sent_total', 'otlp'), 0);
    assert.ok(ctx.warnings.some((w) => w.includes('dropped 4 spans') && w.includes('span too strange')));
    await exporter.shutdown();
  });

  test('partial success: the rejected spans are counted as failed, the rest as sent', async () => {
    backend.answer = async () => {};
    const ctx = context();
    const exporter = createOtlpExporter({ endpoint: receiver.endpoints.grpc }, ctx);
    const batch = spans(3);
    batch[2].spanId = '0000000000000000'; // the receiver refuses invalid ids one by one
    await exporter.consume(batch);
    assert.equal(counter(ctx.metrics, 'genba_exporter_spans_sent_total', 'otlp'), 2);
    assert.equal(counter(ctx.metrics, 'genba_exporter_spans_failed_total', 'otlp'), 1);
    assert.ok(ctx.warnings.some((w) => w.includes('rejected 1 of 3 spans') && w.includes('invalid span id')));
    await exporter.shutdown();
  });
});

describe('otlp exporter against a scripted gRPC server', () => {
  // RetryInfo built by protobufjs, independently of Genba's encoder.
  const root = protobuf.Root.fromJSON({
    nested: {
      Any: { fields: { type_url: { type: 'string', id: 1 }, value: { type: 'bytes', id: 2 } } },
      Duration: { fields: { seconds: { type: 'int64', id: 1 }, nanos: { type: 'int32', id: 2 } } },
      Status: {
        fields: {
          code: { type: 'int32', id: 1 },
          message: { type: 'string', id: 2 },
          details: { rule: 'repeated', type: 'Any', id: 3 },
        },
      },
      RetryInfo: { fields: { retry_delay: { type: 'Duration', id: 1 } } },
    },
  });
  const StatusType = root.lookupType('Status');
  const RetryInfoType = root.lookupType('RetryInfo');

  async function server(answer: (call: number) => Partial<grpc.StatusObject> | null) {
    const at: number[] = [];
    const s = new grpc.Server();
    s.addService(traceServiceDefinition, {
      Export: (_call: unknown, cb: grpc.sendUnaryData<unknown>) => {
        at.push(Date.now());
        const error = answer(at.length - 1);
        if (error) cb(error);
        else cb(null, { rejectedSpans: 0, errorMessage: '' });
      },
    });
    const port = await new Promise<number>((res, rej) =>
      s.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (e, p) => (e ? rej(e) : res(p))),
    );
    return { endpoint: `127.0.0.1:${port}`, at, close: () => s.forceShutdown() };
  }

  test('honours a RetryInfo delay encoded by protobufjs', async () => {
    const details = Buffer.from(
      StatusType.encode({
        code: 8,
        message: 'slow down',
        details: [
          {
            type_url: 'type.googleapis.com/google.rpc.RetryInfo',
            value: RetryInfoType.encode({ retry_delay: { seconds: 0, nanos: 250_000_000 } }).finish(),
          },
        ],
      }).finish(),
    );
    const s = await server((call) => {
      if (call > 0) return null;
      const metadata = new grpc.Metadata();
      metadata.set('grpc-status-details-bin', details);
      return { code: grpc.status.RESOURCE_EXHAUSTED, details: 'slow down', metadata };
    });
    const exporter = createOtlpExporter(
      { endpoint: s.endpoint, retry_on_failure: { initial_interval: '1ms', max_interval: '1ms' } },
      context(),
    );
    await exporter.consume(spans(1));
    assert.equal(s.at.length, 2);
    assert.ok(s.at[1] - s.at[0] >= 240, `waited ${s.at[1] - s.at[0]} ms for a 250 ms RetryInfo`);
    await exporter.shutdown();
    s.close();
  });

  test('RESOURCE_EXHAUSTED without RetryInfo is not retried (the OTLP rule): dropped and counted', async () => {
    const s = await server(() => ({ code: grpc.status.RESOURCE_EXHAUSTED, details: 'quota' }));
    const ctx = context();
    const exporter = createOtlpExporter({ endpoint: s.endpoint, retry_on_failure: FAST_RETRY }, ctx);
    await exporter.consume(spans(2));
    assert.equal(s.at.length, 1);
    assert.equal(counter(ctx.metrics, 'genba_exporter_spans_failed_total', 'otlp'), 2);
    await exporter.shutdown();
    s.close();
  });
});

describe('otlphttp exporter', () => {
  test('round trip into Genba OTLP/HTTP (registerOtlpHttp), protobuf and JSON, gzip and not', async () => {
    const backend = new Backend();
    const http = await genbaHttp(backend);
    const cases = [
      { encoding: 'proto', compression: 'gzip' },
      { encoding: 'json', compression: 'none' },
    ] as const;
    for (const c of cases) {
      const ctx = context();
      const exporter = createOtlphttpExporter({ endpoint: http.url, ...c }, ctx, { name: 'otlphttp/main' });
      const sent = spans(3, c.encoding);
      await exporter.consume(sent);
      assert.deepEqual(backend.delivered.at(-1), sent, `${c.encoding}/${c.compression}`);
      assert.equal(counter(ctx.metrics, 'genba_exporter_spans_sent_total', 'otlphttp/main'), 3);
      await exporter.shutdown();
    }
    await http.close();
  });

  test('503 twice then 200: delivered once, counted once', async () => {
    const backend = new Backend();
    backend.answer = async (call) => {
      if (call < 2) throw new GenbaError('unavailable', 'warming up');
    };
    const http = await genbaHttp(backend);
    const ctx = context();
    const exporter = new OtlpHttpExporter({ endpoint: http.url, retry_on_failure: FAST_RETRY }, ctx);
    await exporter.consume(spans(5));
    assert.equal(backend.calls, 3);
    assert.equal(backend.delivered.length, 1);
    assert.equal(counter(ctx.metrics, 'genba_exporter_spans_sent_total', 'otlphttp'), 5);
    assert.equal(counter(ctx.metrics, 'genba_exporter_spans_failed_total', 'otlphttp'), 0);
    await exporter.shutdown();
    await http.close();
  });

  test('429 with Retry-After is retried no sooner than asked', async () => {
    const http = await scriptedHttp((call, _req, res) => {
      if (call === 0) res.writeHead(429, { 'retry-after': '1' }).end();
      else res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
    });
    const exporter = createOtlphttpExporter(
      { endpoint: http.url, retry_on_failure: { initial_interval: '1ms', max_interval: '1ms' } },
      context(),
    );
    await exporter.consume(spans(1));
    assert.equal(http.at.length, 2);
    assert.ok(http.at[1] - http.at[0] >= 990, `waited ${http.at[1] - http.at[0]} ms for Retry-After: 1`);
    await exporter.shutdown();
    await http.close();
  });

  test('a backend that always fails: rejects with unavailable after max_elapsed_time', async () => {
    const http = await scriptedHttp((_call, _req, res) => {
      res.writeHead(502).end('bad gateway');
    });
    const ctx = context();
    const exporter = createOtlphttpExporter(
      {
        traces_endpoint: `${http.url}/custom/path`,
        retry_on_failure: { initial_interval: '10ms', max_interval: '40ms', max_elapsed_time: '300ms' },
      },
      ctx,
    );
    await assert.rejects(exporter.consume(spans(2)), (err: GenbaError) => {
      assert.equal(err.code, 'unavailable');
      assert.match(err.message, /custom\/path answered 502: bad gateway .*gave up after \d+ attempts/);
      return true;
    });
    assert.ok(http.at.length >= 3, `${http.at.length} attempts`);
    assert.ok(http.at.at(-1)! - http.at[0] < 1000, 'no attempt long after max_elapsed_time');
    assert.equal(counter(ctx.metrics, 'genba_exporter_spans_failed_total', 'otlphttp'), 2);
    await exporter.shutdown();
    await http.close();
  });

  test('400 is permanent: dropped and counted, with the backend message in the log', async () => {
    const backend = new Backend();
    backend.answer = async () => {
      throw new GenbaError('bad_request', 'attribute value too deep');
    };
    const http = await genbaHttp(backend);
    const ctx = context();
    const exporter = createOtlphttpExporter({ endpoint: `${http.url}/`, retry_on_failure: FAST_RETRY }, ctx);
    await exporter.consume(spans(3));
    assert.equal(backend.calls, 1);
    assert.equal(counter(ctx.metrics, 'genba_exporter_spans_failed_total', 'otlphttp'), 3);
    assert.ok(
      ctx.warnings.some((w) => w.includes('answered 400: attribute value too deep')),
      ctx.warnings.join(),
    );
    await exporter.shutdown();
    await http.close();
  });

  test('sending queue: consume resolves on enqueue, a full queue refuses, shutdown drains', async () => {
    const backend = new Backend();
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    let entered!: () => void;
    const firstInBackend = new Promise<void>((r) => {
      entered = r;
    });
    backend.answer = async (call) => {
      if (call === 0) entered();
      await gate;
    };
    const http = await genbaHttp(backend);
    const ctx = context();
    const exporter = createOtlphttpExporter(
      { endpoint: http.url, sending_queue: { enabled: true, queue_size: 2, num_consumers: 1 } },
      ctx,
    );
    await exporter.consume(spans(1, 'a'));
    await firstInBackend; // the one worker is busy with batch a
    await exporter.consume(spans(1, 'b'));
    await exporter.consume(spans(1, 'c'));
    assert.match(ctx.metrics.render(), /^genba_exporter_queue_size 2$/m);
    await assert.rejects(exporter.consume(spans(1, 'd')), { code: 'too_many_requests' });
    assert.equal(counter(ctx.metrics, 'genba_exporter_spans_failed_total', 'otlphttp'), 1);
    release();
    await exporter.shutdown();
    assert.deepEqual(
      backend.delivered.map((b) => b[0].name),
      ['a-0', 'b-0', 'c-0'],
    );
    assert.equal(counter(ctx.metrics, 'genba_exporter_spans_sent_total', 'otlphttp'), 3);
    assert.match(ctx.metrics.render(), /^genba_exporter_queue_size 0$/m);
    await assert.rejects(exporter.consume(spans(1)), { code: 'unavailable' });
    await http.close();
  });

  test('shutdown cuts a retry wait short: the held consume rejects with unavailable', async () => {
    const http = await scriptedHttp((_call, _req, res) => {
      res.writeHead(503, { 'retry-after': '30' }).end();
    });
    const exporter = createOtlphttpExporter({ endpoint: http.url }, context());
    const pending = exporter.consume(spans(1));
    while (http.at.length === 0) await new Promise((r) => setImmediate(r));
    await exporter.shutdown();
    await assert.rejects(
      pending,
      (err: GenbaError) => err.code === 'unavailable' && /shutting down/.test(err.message),
    );
    await http.close();
  });
});

describe('exporter config', () => {
  test('otlp: Collector defaults, with the sending queue off', () => {
    const c = otlpExporterConfig.parse({ endpoint: '127.0.0.1:4317' });
    assert.equal(c.compression, 'gzip');
    assert.equal(c.timeout, '5s');
    assert.deepEqual(c.retry_on_failure, {
      enabled: true,
      initial_interval: '5s',
      max_interval: '30s',
      max_elapsed_time: '300s',
      multiplier: 1.5,
      randomization_factor: 0.5,
    });
    assert.deepEqual(c.sending_queue, { enabled: false, queue_size: 1000, num_consumers: 10 });
    assert.equal(otlpExporterConfig.parse({ endpoint: 'http://[::1]:4317' }).endpoint, '[::1]:4317');
  });

  test('otlp: bad endpoints, TLS, durations and unknown keys are named', () => {
    const ctx = context();
    const bad: [unknown, RegExp][] = [
      [{ endpoint: 'collector' }, /endpoint: expected host:port/],
      [{ endpoint: 'https://collector:4317' }, /TLS is not supported/],
      [{ endpoint: 'a:1', tls: { insecure: false } }, /tls: only plaintext gRPC is supported/],
      [{ endpoint: 'a:1', timeout: 'soon' }, /timeout: expected a duration/],
      [
        { endpoint: 'a:1', retry_on_failure: { max_interval: '5 parsecs' } },
        /retry_on_failure\.max_interval/,
      ],
      [{ endpoint: 'a:1', balancer_name: 'round_robin' }, /balancer_name/],
      [{ endpoint: 'a:1', compression: 'zstd' }, /compression/],
    ];
    for (const [config, message] of bad)
      assert.throws(
        () => createOtlpExporter(config as never, ctx),
        (err: GenbaError) =>
          err.code === 'bad_request' && /^exporters\.otlp: /.test(err.message) && message.test(err.message),
        JSON.stringify(config),
      );
  });

  test('otlphttp: endpoint + /v1/traces, or traces_endpoint as is; one of them is required', () => {
    const parse = (c: unknown) => otlphttpExporterConfig.parse(c);
    assert.equal(tracesUrl(parse({ endpoint: 'http://h:4318' })), 'http://h:4318/v1/traces');
    assert.equal(tracesUrl(parse({ endpoint: 'https://h/otlp/' })), 'https://h/otlp/v1/traces');
    assert.equal(
      tracesUrl(parse({ endpoint: 'http://h:4318', traces_endpoint: 'http://x/t' })),
      'http://x/t',
    );
    assert.equal(parse({ endpoint: 'http://h:4318' }).timeout, '30s');
    assert.throws(() => createOtlphttpExporter({} as never, context()), /set endpoint/);
    assert.throws(
      () => createOtlphttpExporter({ endpoint: 'ftp://h' }, context()),
      /endpoint: expected an http/,
    );
  });
});
