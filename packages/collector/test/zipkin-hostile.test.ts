/**
 * Hostile and malformed bodies over a real socket: each gets a 4xx whose text names the
 * problem, nothing of it reaches the consumer, and the receiver still takes a good request.
 */
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { GenbaError, type Span } from '@genba/model';
import type { ListeningReceiver } from '../src/component.ts';
import { Metrics } from '../src/metrics.ts';
import { createZipkinReceiver } from '../src/receivers/zipkin/zipkin-receiver.ts';

const MAX_BODY = 1024 * 1024;
const metrics = new Metrics();
const captured: Span[] = [];
let refuse: Error | undefined;
let receiver: ListeningReceiver;
let url: string;

before(async () => {
  receiver = await createZipkinReceiver(
    { endpoint: '127.0.0.1:0' },
    {
      consume: async (spans) => {
        if (refuse) throw refuse;
        captured.push(...spans);
      },
    },
    { metrics, log: { warn: () => {}, info: () => {} }, maxBodyBytes: MAX_BODY },
  );
  url = `${receiver.endpoints.http}/api/v2/spans`;
});
after(() => receiver.shutdown());

const good = (id = '1111111111111111') => ({
  traceId: 'abcdefabcdefabcdefabcdefabcdef12',
  id,
  name: 'ok',
  timestamp: 1_700_000_000_000_000,
  duration: 10,
  localEndpoint: { serviceName: 'svc' },
});

async function post(body: string | Uint8Array, headers: Record<string, string> = {}, path = url) {
  const res = await fetch(path, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', ...headers },
  });
  return { status: res.status, text: await res.text(), retryAfter: res.headers.get('retry-after') };
}

async function rejects(body: string | Uint8Array, status: number, message: RegExp, headers = {}) {
  const before = captured.length;
  const r = await post(body, headers);
  assert.equal(r.status, status, r.text);
  assert.match(r.text, message);
  assert.equal(captured.length, before, 'nothing of a refused request reaches the consumer');
}

const json = (spans: unknown) => JSON.stringify(spans);
const proto = { 'content-type': 'application/x-protobuf' };

describe('JSON that is malformed or of the wrong shape → 400 naming the field', () => {
  test('not JSON, not a list, not span objects', async () => {
    await rejects('[{"traceId": ', 400, /^body: invalid JSON/);
    await rejects('', 400, /^body: is empty/);
    await rejects('{"traceId":"a"}', 400, /^body: expected a JSON array of spans, got object/);
    await rejects('[1]', 400, /^span\[0\]: expected a span object, got number/);
  });

  test('fields of the wrong type', async () => {
    await rejects(
      json([good(), { ...good(), timestamp: '1700' }]),
      400,
      /^span\[1\]\.timestamp: expected a whole number/,
    );
    await rejects(
      json([{ ...good(), duration: -5 }]),
      400,
      /^span\[0\]\.duration: expected a whole number of microseconds ≥ 0, got -5/,
    );
    await rejects(json([{ ...good(), timestamp: 1.5 }]), 400, /^span\[0\]\.timestamp: .*got 1\.5/);
    await rejects(json([{ ...good(), name: 7 }]), 400, /^span\[0\]\.name: expected a string, got number/);
    await rejects(
      json([{ ...good(), kind: 'server' }]),
      400,
      /^span\[0\]\.kind: expected CLIENT, SERVER, PRODUCER or CONSUMER, got "server"/,
    );
    await rejects(
      json([{ ...good(), tags: { k: { nested: 1 } } }]),
      400,
      /^span\[0\]\.tags\["k"\]: expected a string, got object/,
    );
    await rejects(json([{ ...good(), tags: [] }]), 400, /^span\[0\]\.tags: expected an object, got array/);
    await rejects(
      json([{ ...good(), annotations: [{ timestamp: 1, value: 2 }] }]),
      400,
      /^span\[0\]\.annotations\[0\]\.value: expected a string/,
    );
    await rejects(
      json([{ ...good(), localEndpoint: { ipv4: '999.1.1.1' } }]),
      400,
      /^span\[0\]\.localEndpoint\.ipv4: "999\.1\.1\.1" is not an IPv4 address/,
    );
    await rejects(
      json([{ ...good(), remoteEndpoint: { port: 70000 } }]),
      400,
      /^span\[0\]\.remoteEndpoint\.port: expected a port number 0-65535, got 70000/,
    );
    await rejects(
      json([{ ...good(), debug: 'yes' }]),
      400,
      /^span\[0\]\.debug: expected true or false, got string/,
    );
  });

  test('ids that are missing, not hex, the wrong length or zero', async () => {
    await rejects(
      json([{ ...good(), traceId: 'xyz' }]),
      400,
      /^span\[0\]\.traceId: expected 16 or 32 hex characters, got "xyz"/,
    );
    await rejects(
      json([{ ...good(), traceId: 'a'.repeat(33) }]),
      400,
      /^span\[0\]\.traceId: expected 16 or 32 hex characters/,
    );
    await rejects(
      json([{ ...good(), traceId: '0'.repeat(32) }]),
      400,
      /^span\[0\]\.traceId: a trace id must not be all zeros/,
    );
    await rejects(json([{ ...good(), id: undefined }]), 400, /^span\[0\]\.id: is required/);
    await rejects(
      json([{ ...good(), id: '0000000000000000' }]),
      400,
      /^span\[0\]\.id: a span id must not be all zeros/,
    );
    await rejects(
      json([{ ...good(), parentId: 'nothex!!' }]),
      400,
      /^span\[0\]\.parentId: expected 16 hex characters/,
    );
  });
});

describe('hostile sizes are bounded', () => {
  test('too many spans, tags, annotations; strings too long; nesting too deep', async () => {
    await rejects(`[${'0,'.repeat(100_000)}0]`, 400, /^body: 100001 spans is more than the limit of 100000/);
    const tags = Object.fromEntries(Array.from({ length: 1001 }, (_, i) => [`k${i}`, 'v']));
    await rejects(
      json([{ ...good(), tags }]),
      400,
      /^span\[0\]\.tags: 1001 tags is more than the limit of 1000/,
    );
    const annotations = Array.from({ length: 1001 }, () => ({ timestamp: 1, value: 'a' }));
    await rejects(json([{ ...good(), annotations }]), 400, /^span\[0\]\.annotations: 1001 annotations/);
    await rejects(
      json([{ ...good(), tags: { sql: 'x'.repeat(70_000) } }]),
      400,
      /^span\[0\]\.tags\["sql"\]: 70000 characters is more than the limit of 65536/,
    );
    await rejects(
      json([{ ...good(), name: 'n'.repeat(5000) }]),
      400,
      /^span\[0\]\.name: 5000 characters is more than the limit of 4096/,
    );
    await rejects('['.repeat(200_000), 400, /^body: JSON nests deeper than 32 levels at byte 32/);
    await rejects(
      json([{ ...good(), timestamp: Number.MAX_SAFE_INTEGER, duration: Number.MAX_SAFE_INTEGER }]),
      400,
      /^span\[0\]\.duration: the span would end past the year 2262/,
    );
  });

  test('a body over the limit → 413, before and after decompression (gzip bomb)', async () => {
    await rejects(json([{ ...good(), tags: { big: 'x'.repeat(MAX_BODY) } }]), 413, /exceeds the size limit/);
    const bomb = gzipSync(Buffer.alloc(MAX_BODY * 8, 0x20));
    assert.ok(bomb.length < 64 * 1024, 'the bomb itself is small');
    await rejects(bomb, 413, /decompressed body exceeds the limit of 1048576 bytes/, {
      'content-encoding': 'gzip',
    });
    await rejects(Buffer.from('not gzip at all'), 400, /cannot decompress gzip body/, {
      'content-encoding': 'gzip',
    });
  });
});

describe('protobuf that is malformed → 400 naming the field and byte', () => {
  test('truncated, wrong wire types, bad id sizes, groups', async () => {
    await rejects(
      Uint8Array.from([0x0a, 0x7f, 0x01]),
      400,
      /^span\[0\]: length 127 runs past the end of its message \(1 bytes left\) \(byte 1\)/,
      proto,
    );
    await rejects(Uint8Array.from([0x0a, 0xff, 0xff]), 400, /^span\[0\]: truncated varint \(byte 1\)/, proto);
    // span { trace_id as a varint }
    await rejects(
      Uint8Array.from([0x0a, 0x02, 0x08, 0x01]),
      400,
      /^span\[0\]\.traceId: has wire type varint, expected length-delimited \(byte 2\)/,
      proto,
    );
    // span { trace_id: 5 bytes, id: 8 bytes }
    const five = [0x0a, 0x05, 1, 2, 3, 4, 5];
    const id = [0x1a, 0x08, 1, 1, 1, 1, 1, 1, 1, 1];
    await rejects(
      Uint8Array.from([0x0a, five.length + id.length, ...five, ...id]),
      400,
      /^span\[0\]\.traceId: expected 8 or 16 bytes, got 5/,
      proto,
    );
    const trace = [0x0a, 0x08, 9, 9, 9, 9, 9, 9, 9, 9];
    await rejects(Uint8Array.from([0x0a, trace.length, ...trace]), 400, /^span\[0\]\.id: is required/, proto);
    await rejects(
      Uint8Array.from([0x0a, 0x02, 0x7b, 0x00]),
      400,
      /^span\[0\]: unsupported wire type start-group/,
      proto,
    );
    await rejects(
      Uint8Array.from([0x0a, 0x0b, 0x38, ...Array(10).fill(0xff)]),
      400,
      /^span\[0\]\.duration: (truncated varint|varint longer than 10 bytes)/,
      proto,
    );
    await rejects(
      Uint8Array.from([0x0a, 0x0c, ...trace, 0x20, 0x09]),
      400,
      /^span\[0\]\.kind: 9 is not a Span\.Kind/,
      proto,
    );
  });
});

describe('what else the receiver refuses', () => {
  test('a wrong Content-Type → 415; an unknown Content-Encoding → 415', async () => {
    await rejects(json([good()]), 415, /unsupported Content-Type "text\/plain"/, {
      'content-type': 'text/plain',
    });
    await rejects(json([good()]), 415, /unsupported Content-Encoding "br"/, { 'content-encoding': 'br' });
  });

  test('Zipkin v1 → 400 pointing at v2; unknown routes → 404', async () => {
    const v1 = await post('[]', {}, `${receiver.endpoints.http}/api/v1/spans`);
    assert.equal(v1.status, 400);
    assert.match(v1.text, /Zipkin v1 spans are not supported; send Zipkin v2 .* POST \/api\/v2\/spans/);
    const nf = await post('[]', {}, `${receiver.endpoints.http}/v1/traces`);
    assert.equal(nf.status, 404);
    assert.match(nf.text, /no route POST \/v1\/traces/);
  });

  test('a consumer under pressure → 429 with Retry-After; a broken one → 500', async () => {
    refuse = new GenbaError('too_many_requests', 'too many spans in flight', { retryAfter: 3 });
    const busy = await post(json([good()]));
    refuse = new Error('disk on fire');
    const broken = await post(json([good()]));
    refuse = undefined;
    assert.equal(busy.status, 429);
    assert.equal(busy.retryAfter, '3');
    assert.equal(busy.text, 'too many spans in flight');
    assert.equal(broken.status, 500);
    assert.equal(broken.text, 'internal error', 'internal details stay out of the answer');
  });
});

test('after all of that a good request is still accepted, also without a Content-Type', async () => {
  const before = captured.length;
  const r = await post(json([good('2222222222222222')]));
  assert.equal(r.status, 202, r.text);
  // fetch always sends a Content-Type with a string body; a raw request can leave it out.
  const status = await new Promise<number>((resolve, reject) => {
    const req = request(url, { method: 'POST' }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end(json([good('3333333333333333')]));
  });
  assert.equal(status, 202);
  assert.deepEqual(
    captured.slice(before).map((s) => s.spanId),
    ['2222222222222222', '3333333333333333'],
  );
  const text = metrics.render();
  assert.match(text, /genba_receiver_spans_total\{receiver="zipkin",outcome="malformed"\} [1-9]\d*/);
  assert.match(text, /genba_receiver_spans_total\{receiver="zipkin",outcome="refused"\} 2/);
  assert.match(text, /genba_receiver_requests_total\{receiver="zipkin",status="400"\} [1-9]/);
  assert.match(text, /genba_receiver_requests_total\{receiver="zipkin",status="429"\} 1/);
});
