/** Zipkin v2 → Genba span mapping details, and the receiver's config, without the network. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type Span, SpanKind, StatusCode } from '@genba/model';
import { Metrics } from '../src/metrics.ts';
import { decodeZipkinJson } from '../src/receivers/zipkin/zipkin-json-decoder.ts';
import { createZipkinReceiver, zipkinReceiverConfig } from '../src/receivers/zipkin/zipkin-receiver.ts';
import { zipkinToSpans } from '../src/receivers/zipkin/zipkin-to-spans.ts';

const base = {
  traceId: '463ac35c9f6413ad48485a3953bb6124',
  id: 'a2fb4a1d1a96d312',
  name: 'op',
  timestamp: 1_700_000_000_000_000,
  duration: 1,
};

function map(spans: Record<string, unknown>[], parseStringTags = false): Span[] {
  return zipkinToSpans(decodeZipkinJson(Buffer.from(JSON.stringify(spans))), { parseStringTags });
}
const one = (fields: Record<string, unknown>, parse = false) => map([{ ...base, ...fields }], parse)[0];

test('parse_string_tags types ints, doubles and bools; otherwise every tag stays a string', () => {
  const tags = { n: '42', neg: '-7', d: '-1.5', b: 'true', huge: '9223372036854775808', s: '1e3', e: '' };
  assert.deepEqual(one({ tags }, true).attributes, {
    n: 42n,
    neg: -7n,
    d: -1.5,
    b: true,
    huge: '9223372036854775808',
    s: '1e3',
    e: '',
  });
  assert.deepEqual(one({ tags }).attributes, tags);
  // Lax clients send numbers and booleans; they keep their JSON text.
  assert.deepEqual(one({ tags: { n: 5, b: false } }).attributes, { n: '5', b: 'false' });
});

test('status from otel.status_code / otel.status_description and from the error tag', () => {
  const status = (tags: Record<string, string>) => one({ tags });
  assert.deepEqual(status({ 'otel.status_code': 'Ok' }).status, { code: StatusCode.OK, message: '' });
  assert.deepEqual(
    status({ 'otel.status_code': 'STATUS_CODE_ERROR', 'otel.status_description': 'boom' }).status,
    {
      code: StatusCode.ERROR,
      message: 'boom',
    },
  );
  assert.equal(status({ 'otel.status_code': 'weird' }).status.code, StatusCode.UNSET);
  const withTrue = status({ error: 'true' });
  assert.deepEqual(withTrue.status, { code: StatusCode.ERROR, message: '' });
  assert.deepEqual(withTrue.attributes, {});
  const described = status({
    error: 'oops',
    'otel.status_code': 'Error',
    'otel.status_description': 'db down',
  });
  assert.deepEqual(described.status, { code: StatusCode.ERROR, message: 'db down' });
  assert.equal(described.attributes.error, 'oops');
  assert.equal(status({}).status.code, StatusCode.UNSET);
});

test('resource: service name, resource tags, otlp.service.name.source; a missing name stays missing', () => {
  const s = one({ localEndpoint: { serviceName: 'api' }, tags: { 'host.name': 'h1', 'http.route': '/x' } });
  assert.deepEqual(s.resource.attributes, { 'service.name': 'api', 'host.name': 'h1' });
  assert.deepEqual(s.attributes, { 'http.route': '/x' });
  const none = one({ tags: { 'host.name': 'h2' } });
  assert.deepEqual(none.resource.attributes, { 'host.name': 'h2' }, 'no service.name, as in the Collector');
  const renamed = one({
    localEndpoint: { serviceName: 'api' },
    tags: { 'otlp.service.name.source': 'app.name' },
  });
  assert.deepEqual(renamed.resource.attributes, { 'app.name': 'api' });
  assert.deepEqual(renamed.attributes, {});
  const [a, b, c] = map([
    { ...base, localEndpoint: { serviceName: 'api' } },
    { ...base, id: '1', localEndpoint: { serviceName: 'api' } },
    { ...base, id: '2', localEndpoint: { serviceName: 'db' } },
  ]);
  assert.equal(a.resource, b.resource);
  assert.notEqual(a.resource, c.resource);
});

test('scope from otel.scope.* or otel.library.*; links from otlp.link.N', () => {
  const s = one({
    tags: { 'otel.scope.name': 'lib', 'otel.scope.version': '2', 'otel.library.name': 'old' },
  });
  assert.equal(s.scope.name, 'lib');
  assert.equal(s.scope.version, '2');
  assert.deepEqual(s.attributes, {});
  const linked = one({
    tags: {
      'otlp.link.0': '0af7651916cd43dd8448eb211c80319c|b7ad6b7169203331|k=v|{"peer":"x","n":3}|2',
      'otlp.link.1': 'not|a|link',
    },
  });
  assert.deepEqual(linked.links, [
    {
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: 'b7ad6b7169203331',
      traceState: 'k=v',
      attributes: { peer: 'x', n: 3n },
      droppedAttributesCount: 2,
      flags: 0,
    },
  ]);
  assert.deepEqual(
    linked.attributes,
    { 'otlp.link.1': 'not|a|link' },
    'a link that does not parse stays a tag',
  );
});

test('ids: short hex is left-padded, upper case lowered, a self-parent is no parent', () => {
  const s = one({ traceId: 'ABC', id: 'F', parentId: '000000000000000F' });
  assert.equal(s.traceId, '00000000000000000000000000000abc');
  assert.equal(s.spanId, '000000000000000f');
  assert.equal(s.parentSpanId, '');
  assert.equal(one({ parentId: '0000000000000000' }).parentSpanId, '');
  assert.equal(one({}).flags, 1, 'a reported Zipkin span was sampled');
});

test('kind from the span.kind tag when Zipkin kind is absent; times in ns; annotations to events', () => {
  assert.equal(one({ tags: { 'span.kind': 'internal' } }).kind, SpanKind.INTERNAL);
  assert.equal(one({ kind: 'CONSUMER' }).kind, SpanKind.CONSUMER);
  assert.equal(one({}).kind, SpanKind.UNSPECIFIED);
  const s = one({
    timestamp: 1_600_000_000_000_001,
    duration: 2,
    annotations: [
      { timestamp: 1_600_000_000_000_002, value: 'a|b' },
      { timestamp: 1_600_000_000_000_003, value: 'x|{bad json|1' },
    ],
  });
  assert.equal(s.startTimeUnixNano, 1_600_000_000_000_001_000n);
  assert.equal(s.endTimeUnixNano, 1_600_000_000_000_003_000n);
  const late = one({ timestamp: undefined, duration: 5 });
  assert.equal(late.startTimeUnixNano, 0n, 'no start time: the epoch, as in the Collector');
  assert.equal(late.endTimeUnixNano, 5000n);
  assert.equal(late.attributes['otel.zipkin.absentField.startTime'], true);
  assert.equal(s.attributes['otel.zipkin.absentField.startTime'], undefined);
  assert.deepEqual(
    s.events.map((e) => [e.timeUnixNano, e.name]),
    [
      [1_600_000_000_000_002_000n, 'a'],
      [1_600_000_000_000_003_000n, 'x|{bad json|1'],
    ],
  );
});

test('a tag named __proto__ is an ordinary attribute', () => {
  const s = one({ tags: JSON.parse('{"__proto__": "p", "k": "v"}') });
  assert.deepEqual(Object.keys(s.attributes).sort(), ['__proto__', 'k']);
  assert.equal(Object.getPrototypeOf(s.attributes), Object.prototype);
});

test('config: Collector-shaped with defaults; unknown keys and bad endpoints are refused', async () => {
  assert.deepEqual(zipkinReceiverConfig.parse({}), { endpoint: '127.0.0.1:9411', parse_string_tags: false });
  assert.equal(zipkinReceiverConfig.safeParse({ endpoint: 'x:1', cors: {} }).success, false);
  const ctx = { metrics: new Metrics(), log: { warn: () => {}, info: () => {} } };
  const consumer = { consume: async () => {} };
  await assert.rejects(
    createZipkinReceiver({ endpoint: 'nohost' }, consumer, ctx),
    /receivers\.zipkin\.endpoint: expected host:port/,
  );
  await assert.rejects(
    createZipkinReceiver({ parse_string_tags: 'yes' } as never, consumer, ctx),
    /receivers\.zipkin: parse_string_tags/,
  );
  const r = await createZipkinReceiver({ endpoint: '127.0.0.1:0' }, consumer, ctx);
  try {
    const port = Number(new URL(r.endpoints.http).port);
    assert.ok(port > 0, `a real port, got ${r.endpoints.http}`);
    assert.match(r.endpoints.http, /^http:\/\/127\.0\.0\.1:\d+$/);
  } finally {
    await r.shutdown();
  }
});
