import assert from 'node:assert/strict';
import type { IncomingHttpHeaders } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, afterEach, before, describe, test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import type { Span } from '@genba/model';
import { emptyResource, emptyScope, emptySpan } from '@genba/model';
import {
  decodeTraceRequest,
  decodeTraceRequestJson,
  encodeRpcStatus,
  encodeTraceResponse,
  encodeTraceResponseJson,
} from '@genba/otlp';
import type { DiagLogger } from '@opentelemetry/api';
import { DiagLogLevel, diag } from '@opentelemetry/api';
import { BatchSpanProcessor } from '../src/export/batch-span-processor.ts';
import type { OtlpExportError } from '../src/export/export-error.ts';
import { OtlpHttpExporter } from '../src/export/otlp-http-exporter.ts';
import type { ReadableSpan } from '../src/types.ts';
import { ExportResultCode } from '../src/types.ts';

const resource = { ...emptyResource(), attributes: { 'service.name': 'http-exporter-test' } };
const scope = { ...emptyScope(), name: 'http-exporter-test', version: '1.0.0' };
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';

function spanData(i: number): Span {
  const s = emptySpan(resource, scope);
  s.traceId = TRACE_ID;
  s.spanId = (0xa000 + i).toString(16).padStart(16, '0');
  s.name = `op-${i}`;
  s.kind = 2;
  s.startTimeUnixNano = 1_700_000_000_000_000_000n + BigInt(i);
  s.endTimeUnixNano = 1_700_000_000_001_000_000n;
  s.attributes = { 'http.status_code': 200n + BigInt(i), ratio: 0.25, ok: true, path: '/a b' };
  return s;
}

function readable(i: number): ReadableSpan {
  const data = spanData(i);
  return {
    name: data.name,
    traceId: data.traceId,
    spanId: data.spanId,
    sampled: true,
    toSpanData: () => data,
  };
}

interface Received {
  headers: IncomingHttpHeaders;
  body: Buffer;
  at: number;
}

interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
}

/** A real OTLP/HTTP endpoint on loopback that answers from a script, one reply per request. */
async function scriptedServer(replies: Reply[] | ((n: number) => Reply)) {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks), at: Date.now() });
      const n = received.length - 1;
      const r = typeof replies === 'function' ? replies(n) : (replies[n] ?? replies[replies.length - 1]);
      res.writeHead(r.status, r.headers ?? {});
      res.end(r.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1/traces`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
    server,
  };
}

type Scripted = Awaited<ReturnType<typeof scriptedServer>>;

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

const protobufOk: Reply = {
  status: 200,
  headers: { 'content-type': 'application/x-protobuf' },
  body: encodeTraceResponse({ rejectedSpans: 0, errorMessage: '' }),
};

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

describe('OtlpHttpExporter', () => {
  let servers: Scripted[] = [];
  let exporters: OtlpHttpExporter[] = [];
  const serve = async (replies: Reply[] | ((n: number) => Reply)) => {
    const s = await scriptedServer(replies);
    servers.push(s);
    return s;
  };
  const exporter = (opts: ConstructorParameters<typeof OtlpHttpExporter>[0]) => {
    const e = new OtlpHttpExporter(opts);
    exporters.push(e);
    return e;
  };
  afterEach(async () => {
    await Promise.all(exporters.map((e) => e.shutdown()));
    await Promise.all(servers.map((s) => s.close()));
    servers = [];
    exporters = [];
  });

  test('sends protobuf that decodes back to the same spans, with headers', async () => {
    const srv = await serve([protobufOk]);
    const exp = exporter({ url: srv.url, headers: { Authorization: 'Bearer t0k3n' } });
    const r = await exp.export([spanData(0), spanData(1)]);
    assert.equal(r.code, ExportResultCode.SUCCESS);
    assert.equal(r.retries, 0);
    const [req] = srv.received;
    assert.equal(req.headers['content-type'], 'application/x-protobuf');
    assert.equal(req.headers.authorization, 'Bearer t0k3n');
    assert.equal(req.headers['content-encoding'], undefined);
    const spans = decodeTraceRequest(req.body);
    assert.deepEqual(
      spans.map((s) => [s.name, s.spanId, s.attributes['http.status_code'], s.attributes.ratio]),
      [
        ['op-0', '000000000000a000', 200n, 0.25],
        ['op-1', '000000000000a001', 201n, 0.25],
      ],
    );
    assert.equal(spans[0].resource.attributes['service.name'], 'http-exporter-test');
    assert.equal(spans[0].endTimeUnixNano, 1_700_000_000_001_000_000n);
  });

  test('gzip compression: the body is gzipped and still decodes', async () => {
    const srv = await serve([protobufOk]);
    const exp = exporter({ url: srv.url, compression: 'gzip' });
    assert.equal((await exp.export([spanData(0)])).code, ExportResultCode.SUCCESS);
    const [req] = srv.received;
    assert.equal(req.headers['content-encoding'], 'gzip');
    assert.equal(req.body[0], 0x1f, 'gzip magic');
    const spans = decodeTraceRequest(gunzipSync(req.body));
    assert.equal(spans[0].name, 'op-0');
    assert.equal(spans[0].attributes.path, '/a b');
  });

  test('JSON encoding, gzipped too', async () => {
    const srv = await serve([{ status: 200, headers: { 'content-type': 'application/json' }, body: '{}' }]);
    const exp = exporter({ url: srv.url, encoding: 'json', compression: 'gzip' });
    assert.equal((await exp.export([spanData(3)])).code, ExportResultCode.SUCCESS);
    const [req] = srv.received;
    assert.equal(req.headers['content-type'], 'application/json');
    const text = gunzipSync(req.body).toString('utf8');
    assert.match(text, /"intValue":"203"/, 'int64 as a JSON string');
    const [span] = decodeTraceRequestJson(text);
    assert.equal(span.name, 'op-3');
    assert.equal(span.attributes['http.status_code'], 203n);
    assert.equal(span.traceId, TRACE_ID);
  });

  test('503, then 429 with Retry-After: 1, then 200: two retries and the server-given wait', async () => {
    const srv = await serve([{ status: 503 }, { status: 429, headers: { 'retry-after': '1' } }, protobufOk]);
    const exp = exporter({ url: srv.url, timeoutMillis: 10_000 });
    const t0 = Date.now();
    const r = await exp.export([spanData(0)]);
    assert.equal(r.code, ExportResultCode.SUCCESS);
    assert.equal(r.retries, 2);
    assert.equal(srv.received.length, 3);
    const [a, b, c] = srv.received.map((x) => x.at);
    assert.ok(b - a >= 70 && b - a < 900, `backoff after 503 (~100 ms ± 20%): ${b - a} ms`);
    assert.ok(c - b >= 990, `Retry-After honoured: ${c - b} ms`);
    assert.ok(Date.now() - t0 >= 1000);
    // Every attempt carried the same request.
    assert.deepEqual(srv.received[2].body, srv.received[0].body);
  });

  test('a 400 is not retried; its google.rpc.Status message is reported', async () => {
    const srv = await serve([
      {
        status: 400,
        headers: { 'content-type': 'application/x-protobuf' },
        body: encodeRpcStatus({ code: 3, message: 'span 0 has no trace id' }),
      },
      protobufOk,
    ]);
    const exp = exporter({ url: srv.url });
    const r = await exp.export([spanData(0)]);
    assert.equal(r.code, ExportResultCode.FAILED);
    assert.equal(r.retries, 0);
    assert.equal(srv.received.length, 1);
    assert.equal((r.error as OtlpExportError).httpStatus, 400);
    assert.match(r.error!.message, /HTTP 400 Bad Request: span 0 has no trace id/);
  });

  test('a 500 is final too (not in the OTLP retryable list)', async () => {
    const srv = await serve([
      { status: 500, headers: { 'content-type': 'text/plain' }, body: 'boom' },
      protobufOk,
    ]);
    const r = await exporter({ url: srv.url }).export([spanData(0)]);
    assert.equal(r.code, ExportResultCode.FAILED);
    assert.equal(srv.received.length, 1);
    assert.match(r.error!.message, /HTTP 500 Internal Server Error: boom/);
  });

  test('gives up after maxAttempts on a server that stays unavailable', async () => {
    const srv = await serve([{ status: 502 }]);
    const r = await exporter({ url: srv.url, maxAttempts: 3 }).export([spanData(0)]);
    assert.equal(r.code, ExportResultCode.FAILED);
    assert.equal(r.retries, 2);
    assert.equal(srv.received.length, 3);
    assert.match(r.error!.message, /HTTP 502 .*gave up: after 3 attempts/);
    assert.equal((r.error as OtlpExportError).httpStatus, 502);
  });

  test('connection refused: retried with backoff, then FAILED; through a processor the spans count as dropped', async () => {
    const port = await closedPort();
    const exp = exporter({ url: `http://127.0.0.1:${port}/v1/traces`, maxAttempts: 3 });
    const t0 = Date.now();
    const r = await exp.export([spanData(0)]);
    assert.equal(r.code, ExportResultCode.FAILED);
    assert.equal(r.retries, 2);
    assert.match(r.error!.message, /ECONNREFUSED/);
    assert.ok(Date.now() - t0 >= 240, 'waited ~100 + ~200 ms between attempts');

    const p = new BatchSpanProcessor(exp, { scheduledDelayMillis: 60_000 });
    for (let i = 0; i < 3; i++) p.onEnd(readable(i));
    await assert.doesNotReject(p.forceFlush());
    const s = p.getExportStats();
    assert.equal(s.droppedSpans, 3);
    assert.equal(s.failedExports, 1);
    assert.equal(s.retryCount, 2);
    assert.match(s.lastError ?? '', /ECONNREFUSED/);
    assert.ok(warnings.some((w) => w.includes('export failed')));
  });

  test('a server that does not answer in time: FAILED after timeoutMillis', async () => {
    const srv = await serve([protobufOk]);
    srv.server.removeAllListeners('request');
    srv.server.on('request', () => {}); // never answers
    const t0 = Date.now();
    const r = await exporter({ url: srv.url, timeoutMillis: 300 }).export([spanData(0)]);
    const took = Date.now() - t0;
    assert.equal(r.code, ExportResultCode.FAILED);
    assert.match(r.error!.message, /timed out after/);
    assert.ok(took >= 290 && took < 3000, `${took} ms`);
    srv.server.closeAllConnections();
  });

  test('through a BatchSpanProcessor: retries and exports are counted', async () => {
    const srv = await serve([{ status: 503 }, protobufOk]);
    const p = new BatchSpanProcessor(exporter({ url: srv.url }), { scheduledDelayMillis: 60_000 });
    for (let i = 0; i < 4; i++) p.onEnd(readable(i));
    await p.shutdown();
    const s = p.getExportStats();
    assert.equal(s.exportedSpans, 4);
    assert.equal(s.retryCount, 1);
    assert.equal(s.successfulExports, 1);
    assert.equal(s.droppedSpans, 0);
    assert.equal(decodeTraceRequest(srv.received[1].body).length, 4);
  });

  test('partial success (protobuf) is a success, reported once', async () => {
    const srv = await serve([
      {
        status: 200,
        headers: { 'content-type': 'application/x-protobuf' },
        body: encodeTraceResponse({ rejectedSpans: 2, errorMessage: 'names too long' }),
      },
    ]);
    const exp = exporter({ url: srv.url });
    const r = await exp.export([spanData(0), spanData(1), spanData(2)]);
    assert.equal(r.code, ExportResultCode.SUCCESS);
    assert.equal(srv.received.length, 1, 'a partial success is not retried');
    await exp.export([spanData(0)]);
    const said = warnings.filter((w) => w.includes('rejected 2 of 3 spans: names too long'));
    assert.equal(said.length, 1);
  });

  test('partial success (JSON) is parsed from partialSuccess.rejectedSpans', async () => {
    const srv = await serve([
      {
        status: 200,
        headers: { 'content-type': 'application/json' },
        body: encodeTraceResponseJson({ rejectedSpans: 1, errorMessage: 'bad attribute' }),
      },
    ]);
    const r = await exporter({ url: srv.url, encoding: 'json' }).export([spanData(0), spanData(1)]);
    assert.equal(r.code, ExportResultCode.SUCCESS);
    assert.ok(warnings.some((w) => w.includes('rejected 1 of 2 spans: bad attribute')));
  });

  test('setEndpoint switches servers; an invalid URL is refused and the old one kept', async () => {
    const a = await serve([protobufOk]);
    const b = await serve([protobufOk]);
    const exp = exporter({ url: a.url });
    await exp.export([spanData(0)]);
    assert.equal(exp.setEndpoint(b.url), true);
    await exp.export([spanData(1)]);
    assert.equal(exp.setEndpoint('not a url'), false);
    assert.equal(exp.setEndpoint('ftp://example.com/v1/traces'), false);
    assert.equal(exp.url, b.url);
    await exp.export([spanData(2)]);
    assert.deepEqual([a.received.length, b.received.length], [1, 2]);
    assert.ok(warnings.some((w) => w.includes('not a url')));
  });

  test('nothing to send sends nothing; after shutdown exports fail without throwing', async () => {
    const srv = await serve([protobufOk]);
    const exp = exporter({ url: srv.url });
    assert.equal((await exp.export([])).code, ExportResultCode.SUCCESS);
    assert.equal(srv.received.length, 0);
    await exp.shutdown();
    const r = await exp.export([spanData(0)]);
    assert.equal(r.code, ExportResultCode.FAILED);
    assert.match(r.error!.message, /shut down/);
  });

  test('keeps the connection alive between exports', async () => {
    const srv = await serve([protobufOk]);
    let connections = 0;
    srv.server.on('connection', () => connections++);
    const exp = exporter({ url: srv.url });
    for (let i = 0; i < 3; i++)
      assert.equal((await exp.export([spanData(i)])).code, ExportResultCode.SUCCESS);
    assert.equal(connections, 1);
    assert.equal(srv.received[0].headers.connection, 'keep-alive');
  });
});
