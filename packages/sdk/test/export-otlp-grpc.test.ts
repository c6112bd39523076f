import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createServer as createHttp2Server } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { after, afterEach, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { gunzipSync } from 'node:zlib';
import type { Span } from '@genba/model';
import { emptyResource, emptyScope, emptySpan } from '@genba/model';
import { decodeTraceRequest, traceServiceDefinition } from '@genba/otlp';
import * as grpc from '@grpc/grpc-js';
import type { DiagLogger } from '@opentelemetry/api';
import { DiagLogLevel, diag } from '@opentelemetry/api';
import { BatchSpanProcessor } from '../src/export/batch-span-processor.ts';
import type { OtlpExportError } from '../src/export/export-error.ts';
import { OtlpGrpcExporter } from '../src/export/otlp-grpc-exporter.ts';
import { decodeRpcStatus } from '../src/export/rpc-status.ts';
import { ExportResultCode } from '../src/types.ts';

const resource = { ...emptyResource(), attributes: { 'service.name': 'grpc-exporter-test' } };
const scope = { ...emptyScope(), name: 'grpc-exporter-test' };

function spanData(i: number): Span {
  const s = emptySpan(resource, scope);
  s.traceId = '0af7651916cd43dd8448eb211c80319c';
  s.spanId = (0xb000 + i).toString(16).padStart(16, '0');
  s.parentSpanId = i === 0 ? '' : '000000000000b000';
  s.name = `rpc-${i}`;
  s.startTimeUnixNano = 1_700_000_000_000_000_000n;
  s.endTimeUnixNano = 1_700_000_000_000_500_000n;
  s.attributes = { 'rpc.system': 'grpc', attempt: BigInt(i), weight: 1.5 };
  return s;
}

/** google.rpc.Status with a RetryInfo detail, built from the proto field numbers. */
function statusWithRetryInfo(code: number, message: string, seconds: number, nanos: number): Buffer {
  const varint = (n: number) => {
    const out: number[] = [];
    while (n >= 0x80) {
      out.push((n % 128) | 0x80);
      n = Math.floor(n / 128);
    }
    out.push(n);
    return out;
  };
  const len = (field: number, bytes: number[]) => [(field << 3) | 2, ...varint(bytes.length), ...bytes];
  const retryInfo = len(1, [8, ...varint(seconds), 16, ...varint(nanos)]);
  const any = [...len(1, [...Buffer.from('type.googleapis.com/google.rpc.RetryInfo')]), ...len(2, retryInfo)];
  return Buffer.from([8, ...varint(code), ...len(2, [...Buffer.from(message)]), ...len(3, any)]);
}

type Handler = (n: number) => { error?: Partial<grpc.StatusObject> & { code: number }; rejected?: number };

interface Call {
  spans: Span[];
  metadata: grpc.Metadata;
  at: number;
}

/** A real grpc-js server with the OTLP TraceService, answering from a script. */
async function traceServer(handler: Handler) {
  const calls: Call[] = [];
  const server = new grpc.Server();
  server.addService(traceServiceDefinition, {
    Export: (
      call: grpc.ServerUnaryCall<Span[], unknown>,
      callback: grpc.sendUnaryData<{ rejectedSpans: number; errorMessage: string }>,
    ) => {
      calls.push({ spans: call.request, metadata: call.metadata, at: Date.now() });
      const r = handler(calls.length - 1);
      if (r.error) callback(r.error);
      else callback(null, { rejectedSpans: r.rejected ?? 0, errorMessage: r.rejected ? 'too old' : '' });
    },
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) =>
      err ? reject(err) : resolve(p),
    ),
  );
  return { url: `http://127.0.0.1:${port}`, calls, close: () => server.forceShutdown() };
}

const warnings: string[] = [];
before(() => {
  const logger: DiagLogger = {
    error: (m) => warnings.push(m),
    warn: (m) => warnings.push(m),
    info: () => {},
    debug: () => {},
    verbose: () => {},
  };
  diag.setLogger(logger, DiagLogLevel.WARN);
});
after(() => diag.disable());

describe('OtlpGrpcExporter', () => {
  const cleanup: (() => unknown)[] = [];
  afterEach(async () => {
    // Last in, first out: exporters close their channels before servers wait for sessions to end.
    for (const c of cleanup.splice(0).reverse()) await c();
  });
  const serve = async (handler: Handler) => {
    const s = await traceServer(handler);
    cleanup.push(s.close);
    return s;
  };
  const exporter = (opts: ConstructorParameters<typeof OtlpGrpcExporter>[0]) => {
    const e = new OtlpGrpcExporter(opts);
    cleanup.push(() => e.shutdown());
    return e;
  };

  test('exports spans that the server decodes intact, with metadata from headers', async () => {
    const srv = await serve(() => ({}));
    const exp = exporter({ url: srv.url, headers: { 'x-tenant': 'acme' } });
    const r = await exp.export([spanData(0), spanData(1)]);
    assert.equal(r.code, ExportResultCode.SUCCESS, r.error?.message);
    assert.equal(r.retries, 0);
    const [call] = srv.calls;
    assert.deepEqual(call.metadata.get('x-tenant'), ['acme']);
    assert.deepEqual(
      call.spans.map((s) => [s.name, s.parentSpanId, s.attributes.attempt, s.attributes.weight]),
      [
        ['rpc-0', '', 0n, 1.5],
        ['rpc-1', '000000000000b000', 1n, 1.5],
      ],
    );
    assert.equal(call.spans[0].resource.attributes['service.name'], 'grpc-exporter-test');
  });

  test('gzip compression: the message goes out compressed and decodes', async () => {
    // A bare HTTP/2 endpoint, because grpc-js's own server hides the encoding: it decompresses
    // and drops the grpc-encoding header before the handler runs.
    const h2 = createHttp2Server();
    const seen: { encoding: unknown; body: Buffer }[] = [];
    h2.on('stream', (stream, headers) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        seen.push({ encoding: headers['grpc-encoding'], body: Buffer.concat(chunks) });
        stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
        stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0' }));
        stream.end(Buffer.from([0, 0, 0, 0, 0])); // an empty ExportTraceServiceResponse
      });
    });
    await new Promise<void>((resolve) => h2.listen(0, '127.0.0.1', resolve));
    cleanup.push(() => new Promise((resolve) => h2.close(resolve)));
    const { port } = h2.address() as AddressInfo;
    const exp = exporter({ url: `http://127.0.0.1:${port}`, compression: 'gzip' });
    const r = await exp.export([spanData(0)]);
    assert.equal(r.code, ExportResultCode.SUCCESS, r.error?.message);
    const [{ encoding, body }] = seen;
    assert.equal(encoding, 'gzip');
    assert.equal(body[0], 1, 'the length-prefixed message is flagged compressed');
    assert.equal(body.readUInt32BE(1), body.length - 5);
    const [span] = decodeTraceRequest(gunzipSync(body.subarray(5)));
    assert.equal(span.name, 'rpc-0');
    assert.equal(span.attributes.weight, 1.5);
  });

  test('UNAVAILABLE once, then OK: retried once', async () => {
    const srv = await serve((n) =>
      n === 0 ? { error: { code: grpc.status.UNAVAILABLE, details: 'restarting' } } : {},
    );
    const r = await exporter({ url: srv.url }).export([spanData(0)]);
    assert.equal(r.code, ExportResultCode.SUCCESS);
    assert.equal(r.retries, 1);
    assert.equal(srv.calls.length, 2);
    assert.deepEqual(srv.calls[1].spans, srv.calls[0].spans);
  });

  test('INVALID_ARGUMENT is not retried', async () => {
    const srv = await serve(() => ({ error: { code: grpc.status.INVALID_ARGUMENT, details: 'bad span' } }));
    const r = await exporter({ url: srv.url }).export([spanData(0)]);
    assert.equal(r.code, ExportResultCode.FAILED);
    assert.equal(r.retries, 0);
    assert.equal(srv.calls.length, 1);
    assert.equal((r.error as OtlpExportError).grpcCode, grpc.status.INVALID_ARGUMENT);
    assert.match(r.error!.message, /INVALID_ARGUMENT: bad span/);
  });

  test('RESOURCE_EXHAUSTED: final without RetryInfo, retried after its delay with one', async () => {
    const plain = await serve(() => ({ error: { code: grpc.status.RESOURCE_EXHAUSTED, details: 'full' } }));
    const r1 = await exporter({ url: plain.url }).export([spanData(0)]);
    assert.equal(r1.code, ExportResultCode.FAILED);
    assert.equal(plain.calls.length, 1);

    const metadata = new grpc.Metadata();
    metadata.set('grpc-status-details-bin', statusWithRetryInfo(8, 'full', 0, 400_000_000));
    const hinted = await serve((n) =>
      n === 0 ? { error: { code: grpc.status.RESOURCE_EXHAUSTED, details: 'full', metadata } } : {},
    );
    const r2 = await exporter({ url: hinted.url }).export([spanData(0)]);
    assert.equal(r2.code, ExportResultCode.SUCCESS);
    assert.equal(r2.retries, 1);
    const waited = hinted.calls[1].at - hinted.calls[0].at;
    assert.ok(waited >= 390, `RetryInfo delay honoured: ${waited} ms`);
  });

  test('nothing listening: UNAVAILABLE retried, then FAILED; a processor counts the drops', async () => {
    const srv = await serve(() => ({}));
    const url = srv.url;
    await srv.close();
    const exp = exporter({ url, maxAttempts: 3, timeoutMillis: 5000 });
    const r = await exp.export([spanData(0)]);
    assert.equal(r.code, ExportResultCode.FAILED);
    assert.equal(r.retries, 2);
    assert.equal((r.error as OtlpExportError).grpcCode, grpc.status.UNAVAILABLE);

    const p = new BatchSpanProcessor(exp, { scheduledDelayMillis: 60_000 });
    const data = spanData(1);
    p.onEnd({
      name: data.name,
      traceId: data.traceId,
      spanId: data.spanId,
      sampled: true,
      toSpanData: () => data,
    });
    await assert.doesNotReject(p.forceFlush());
    assert.equal(p.getExportStats().droppedSpans, 1);
    assert.equal(p.getExportStats().retryCount, 2);
  });

  test('partial success is a success, reported', async () => {
    const srv = await serve(() => ({ rejected: 1 }));
    const r = await exporter({ url: srv.url }).export([spanData(0), spanData(1)]);
    assert.equal(r.code, ExportResultCode.SUCCESS);
    assert.ok(warnings.some((w) => w.includes('OTLP/gRPC server rejected 1 of 2 spans: too old')));
  });

  test('setEndpoint moves to another server; invalid URLs are refused', async () => {
    const a = await serve(() => ({}));
    const b = await serve(() => ({}));
    const exp = exporter({ url: a.url });
    await exp.export([spanData(0)]);
    assert.equal(exp.setEndpoint(b.url), true);
    assert.equal(exp.setEndpoint('127.0.0.1:4317'), false);
    await exp.export([spanData(1)]);
    assert.deepEqual([a.calls.length, b.calls.length], [1, 1]);
  });
});

test('without @grpc/grpc-js installed, export fails naming the package and the install command', async () => {
  // A child process whose resolver pretends the optional peer dependency is absent.
  const hook = `export async function resolve(specifier, ctx, next) {
    if (specifier === '@grpc/grpc-js') {
      throw Object.assign(new Error("Cannot find package '@grpc/grpc-js'"), { code: 'ERR_MODULE_NOT_FOUND' });
    }
    return next(specifier, ctx);
  }`;
  const register = `import { register } from 'node:module';
    register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(hook)}`)});`;
  const exporterUrl = new URL('../src/export/otlp-grpc-exporter.ts', import.meta.url).href;
  const script = `
    import { emptyResource, emptyScope, emptySpan } from '@genba/model';
    import { OtlpGrpcExporter } from ${JSON.stringify(exporterUrl)};
    const r = await new OtlpGrpcExporter({ url: 'http://127.0.0.1:1' }).export([emptySpan(emptyResource(), emptyScope())]);
    console.log(JSON.stringify({ code: r.code, message: r.error?.message }));`;
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [
      '--import',
      'tsx',
      '--import',
      `data:text/javascript,${encodeURIComponent(register)}`,
      '--input-type=module',
      '-e',
      script,
    ],
    { cwd: new URL('.', import.meta.url) },
  );
  const r = JSON.parse(stdout);
  assert.equal(r.code, ExportResultCode.FAILED);
  assert.match(r.message, /@grpc\/grpc-js/);
  assert.match(r.message, /npm install @grpc\/grpc-js/);
});

describe('google.rpc.Status decoding', () => {
  test('code, message and the RetryInfo delay', () => {
    assert.deepEqual(decodeRpcStatus(statusWithRetryInfo(8, 'slow down', 2, 500_000_000)), {
      code: 8,
      message: 'slow down',
      retryDelayMillis: 2500,
    });
  });

  test('no RetryInfo, and malformed input gives undefined rather than a throw', () => {
    assert.deepEqual(decodeRpcStatus(new Uint8Array([8, 3, 18, 2, 0x68, 0x69])), { code: 3, message: 'hi' });
    assert.equal(decodeRpcStatus(new Uint8Array([18, 50, 1])), undefined);
    assert.equal(decodeRpcStatus(new Uint8Array([0xff])), undefined);
  });
});
