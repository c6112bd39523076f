/** Bad input gets a 4xx that names the problem, and nothing already stored is lost. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { decodeTraceRequestJson, encodeTraceRequest } from '@genba/otlp';
import { getJson, withTempServer } from './helpers.ts';

type Server = Awaited<ReturnType<typeof withTempServer>>;

const now = BigInt(Date.now()) * 1_000_000n;
function otlpJson(traceId: string, service: string, extra: Record<string, unknown> = {}) {
  return JSON.stringify({
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] },
        scopeSpans: [
          {
            scope: { name: 'recv-test' },
            spans: [
              {
                traceId,
                spanId: '1111111111111111',
                name: 'op',
                kind: 2,
                startTimeUnixNano: String(now),
                endTimeUnixNano: String(now + 1_000_000n),
                ...extra,
              },
            ],
          },
        ],
      },
    ],
  });
}

async function post(server: Server, body: string | Uint8Array, headers: Record<string, string>) {
  const res = await fetch(`${server.urls.otlpHttp}/v1/traces`, { method: 'POST', body, headers });
  return {
    status: res.status,
    type: res.headers.get('content-type') ?? '',
    body: Buffer.from(await res.arrayBuffer()),
  };
}

describe('OTLP/HTTP receiver', () => {
  let server: Server;
  const kept = 'abababababababababababababababab';
  before(async () => {
    server = await withTempServer({ maxBodyBytes: 64 * 1024 });
    const r = await post(server, otlpJson(kept, 'keeper'), { 'content-type': 'application/json' });
    assert.equal(r.status, 200);
  });
  after(async () => server.close());

  test('JSON success answers an ExportTraceServiceResponse in JSON', async () => {
    const r = await post(server, otlpJson('cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd', 'json-svc'), {
      'content-type': 'application/json',
    });
    assert.equal(r.status, 200);
    assert.match(r.type, /application\/json/);
    assert.deepEqual(JSON.parse(r.body.toString()), {});
  });

  test('gzip-compressed protobuf is accepted and answered in protobuf', async () => {
    const spans = decodeTraceRequestJson(otlpJson('efefefefefefefefefefefefefefefef', 'gzip-svc'));
    const r = await post(server, gzipSync(encodeTraceRequest(spans)), {
      'content-type': 'application/x-protobuf',
      'content-encoding': 'gzip',
    });
    assert.equal(r.status, 200);
    assert.match(r.type, /application\/x-protobuf/);
    assert.equal(r.body.length, 0, 'an empty ExportTraceServiceResponse is zero bytes');
    const got = await getJson(`${server.urls.query}/api/traces/efefefefefefefefefefefefefefefef`);
    assert.equal(got.body.data[0].spans.length, 1);
  });

  test('malformed protobuf → 400 with a google.rpc.Status naming the byte', async () => {
    const r = await post(server, Buffer.from([0x0a, 0xff, 0xff, 0xff]), {
      'content-type': 'application/x-protobuf',
    });
    assert.equal(r.status, 400);
    assert.match(r.type, /application\/x-protobuf/);
    assert.match(r.body.toString('latin1'), /byte \d+/);
  });

  test('malformed JSON → 400 with a JSON status', async () => {
    const r = await post(server, '{"resourceSpans": [', { 'content-type': 'application/json' });
    assert.equal(r.status, 400);
    const status = JSON.parse(r.body.toString());
    assert.equal(status.code, 3);
    assert.match(status.message, /malformed OTLP payload/);
  });

  test('a wrongly typed JSON field is named by its path', async () => {
    const r = await post(server, otlpJson('12121212121212121212121212121212', 'x', { name: 42 }), {
      'content-type': 'application/json',
    });
    assert.equal(r.status, 400);
    assert.match(
      JSON.parse(r.body.toString()).message,
      /\$\.resourceSpans\[0\]\.scopeSpans\[0\]\.spans\[0\]\.name/,
    );
  });

  test('an unsupported content type → 415', async () => {
    const r = await post(server, 'hello', { 'content-type': 'text/plain' });
    assert.equal(r.status, 415);
    assert.match(JSON.parse(r.body.toString()).message, /Content-Type/i);
  });

  test('an oversized body → 413, and so does a gzip bomb', async () => {
    const big = await post(server, Buffer.alloc(100 * 1024, 1), { 'content-type': 'application/x-protobuf' });
    assert.equal(big.status, 413);
    const bomb = await post(server, gzipSync(Buffer.alloc(10 * 1024 * 1024)), {
      'content-type': 'application/x-protobuf',
      'content-encoding': 'gzip',
    });
    assert.equal(bomb.status, 413);
    assert.match(JSON.stringify(bomb.body.toString('latin1')), /limit/);
  });

  test('spans with invalid ids are rejected one by one as partial success', async () => {
    const r = await post(server, otlpJson('00000000000000000000000000000000', 'bad-ids'), {
      'content-type': 'application/json',
    });
    assert.equal(r.status, 200);
    const body = JSON.parse(r.body.toString());
    assert.equal(body.partialSuccess.rejectedSpans, '1');
    assert.match(body.partialSuccess.errorMessage, /invalid trace id/);
  });

  test('after all of that the server still serves, with nothing lost', async () => {
    const got = await getJson(`${server.urls.query}/api/traces/${kept}`);
    assert.equal(got.status, 200);
    assert.equal(got.body.data[0].spans[0].operationName, 'op');
    const metrics = await (await fetch(`${server.urls.query}/metrics`)).text();
    assert.match(metrics, /genba_receiver_spans_total\{receiver="otlp_http",outcome="malformed"\} [1-9]/);
  });
});
