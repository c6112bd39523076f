import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Span } from '@genba/model';
import { GenbaError, SpanKind, StatusCode } from '@genba/model';
import type { JaegerTrace } from '../src/index.ts';
import { fromJaegerJson, toJaegerTrace } from '../src/index.ts';
import { makeSpan, readFixture, spansFromOtlpJson } from './jaeger-fixture.ts';

const TRACE = '5b8efff798038103d269b633813fc60c';
const clone = <T>(v: T): T => structuredClone(v);

/** One span with the given fields over a minimal valid base, in a trace with one process. */
function doc(span: Record<string, unknown> = {}, trace: Record<string, unknown> = {}) {
  return {
    data: [
      {
        traceID: TRACE,
        spans: [
          {
            traceID: TRACE,
            spanID: 'eee19b7ec3c1b174',
            operationName: 'op',
            references: [],
            startTime: 1_700_000_000_000_000,
            duration: 1000,
            tags: [],
            logs: [],
            processID: 'p1',
            warnings: null,
            ...span,
          },
        ],
        processes: { p1: { serviceName: 'svc', tags: [] } },
        warnings: null,
        ...trace,
      },
    ],
  };
}

const one = (span: Record<string, unknown>): Span => fromJaegerJson(doc(span))[0];

function rejects(input: unknown, message: string | RegExp): void {
  assert.throws(
    () => fromJaegerJson(input),
    (err: unknown) => {
      assert.ok(err instanceof GenbaError, `not a GenbaError: ${err}`);
      assert.equal(err.code, 'bad_request');
      if (typeof message === 'string') assert.equal(err.message, message);
      else assert.match(err.message, message);
      return true;
    },
  );
}

test('Jaeger → model → Jaeger gives the same trace back', () => {
  const expected: JaegerTrace = readFixture('jaeger-shop-expected.json');
  const again = JSON.parse(JSON.stringify(toJaegerTrace(fromJaegerJson({ data: [expected] }))));
  // Span warnings are the writer's notes on what it changed (an empty link it removed): not data.
  const want = clone(expected);
  for (const s of want.spans) s.warnings = null;
  assert.deepEqual(again, want);
});

test('model → Jaeger → model keeps what Jaeger keeps: µs times, typed scalars, kind, status, scope', () => {
  const original = spansFromOtlpJson(readFixture('jaeger-shop-otlp.json'));
  const back = fromJaegerJson(toJaegerTrace(original));
  assert.equal(back.length, original.length);
  const byId = new Map(back.map((s) => [s.spanId, s]));
  const truncated = (ns: bigint) => (ns / 1000n) * 1000n;
  for (const o of original) {
    const b = byId.get(o.spanId)!;
    assert.ok(b, `span ${o.spanId} lost`);
    assert.equal(b.traceId, o.traceId);
    assert.equal(b.name, o.name);
    assert.equal(b.kind, o.kind);
    assert.deepEqual(b.status, o.status);
    assert.equal(b.traceState, o.traceState);
    assert.equal(b.scope.name, o.scope.name);
    assert.equal(b.scope.version, o.scope.version);
    assert.deepEqual(b.resource.attributes, o.resource.attributes);
    assert.equal(b.startTimeUnixNano, truncated(o.startTimeUnixNano));
    assert.equal(b.endTimeUnixNano - b.startTimeUnixNano, truncated(o.endTimeUnixNano - o.startTimeUnixNano));
    assert.deepEqual(
      b.events.map((e) => e.timeUnixNano),
      o.events.map((e) => truncated(e.timeUnixNano)),
    );
  }
  const post = byId.get('eee19b7ec3c1b173')!;
  assert.equal(post.parentSpanId, 'eee19b7ec3c1b174');
  assert.equal(post.attributes['server.address'], 'orders');
  // Arrays and maps have no Jaeger type: they come back as the JSON text Jaeger shows.
  assert.equal(post.attributes['retry.delays'], '["a\\u003cb",1,2.5,true,null]');
  assert.deepEqual(
    post.events.map((e) => [e.name, e.attributes]),
    [
      ['exception', { 'exception.message': 'upstream timed out', 'exception.type': 'TimeoutError' }],
      // An `event` attribute stands in for the name in Jaeger, so it is the name when read back.
      ['retry scheduled', {}],
    ],
  );
  const orders = byId.get('00f067aa0ba902b7')!;
  assert.deepEqual(orders.attributes, {
    big: 9007199254740993n,
    cached: false,
    negative: -5n,
    nothing: '',
    payload: new Uint8Array(Buffer.from('hello')),
    ratio: 0.1,
  });
  assert.deepEqual(
    orders.links.map((l) => [l.traceId, l.spanId, l.attributes['opentracing.ref_type']]),
    [['4bf92f3577b34da6a3ce929d0e0e4736', '53995c3f42cd8ad8', 'follows_from']],
  );
  // A consumer linked only by FOLLOWS_FROM still hangs under its producer.
  const consumer = byId.get('00f067aa0ba902b9')!;
  assert.equal(consumer.parentSpanId, '00f067aa0ba902b8');
  assert.equal(consumer.kind, SpanKind.CONSUMER);
});

test('the API envelope, a bare trace and an array of traces read alike; processes become shared resources', () => {
  const trace: JaegerTrace = readFixture('jaeger-shop-expected.json');
  const a = fromJaegerJson({ data: [trace], total: 0, limit: 0, offset: 0, errors: null });
  const b = fromJaegerJson(trace);
  const c = fromJaegerJson([trace, trace]);
  assert.deepEqual(b, a);
  assert.deepEqual(c, [...a, ...a]);
  assert.equal(a.length, 6);
  assert.equal(a[0].resource, a[1].resource, 'spans of p1 share one resource');
  assert.notEqual(a[2].resource, a[4].resource);
  assert.deepEqual(a[4].resource.attributes, { 'service.name': 'orders', 'host.name': 'orders-2' });
  assert.equal(a[0].scope, a[1].scope, 'spans of one library share one scope');
  assert.deepEqual(fromJaegerJson({ data: [] }), []);
  assert.deepEqual(fromJaegerJson(toJaegerTrace([])), []);
});

test('64-bit ids are padded; a span may carry its own process; no flags unless sampled', () => {
  const s = one({
    traceID: 'A3CE929D0E0E4736',
    spanID: 'ABC',
    processID: undefined,
    process: { serviceName: 'inline', tags: [{ key: 'k', type: 'string', value: 'v' }] },
    flags: 3,
  });
  assert.equal(s.traceId, '0000000000000000a3ce929d0e0e4736');
  assert.equal(s.spanId, '0000000000000abc');
  assert.deepEqual(s.resource.attributes, { 'service.name': 'inline', k: 'v' });
  assert.equal(s.flags, 1);
  assert.equal(one({ flags: undefined }).flags, 0);
});

test('references: the first same-trace CHILD_OF is the parent; the rest are typed links', () => {
  const ref = (refType: string, spanID: string, traceID = TRACE) => ({ refType, traceID, spanID });
  const s = one({
    references: [
      ref('FOLLOWS_FROM', '1111111111111111'),
      ref('CHILD_OF', '2222222222222222', '4bf92f3577b34da6a3ce929d0e0e4736'),
      ref('CHILD_OF', '3333333333333333'),
      ref('CHILD_OF', '4444444444444444'),
      ref('CHILD_OF', '0000000000000000'),
    ],
  });
  assert.equal(s.parentSpanId, '3333333333333333');
  assert.deepEqual(
    s.links.map((l) => [l.spanId, l.attributes['opentracing.ref_type']]),
    [
      ['1111111111111111', 'follows_from'],
      ['2222222222222222', 'child_of'],
      ['4444444444444444', 'child_of'],
    ],
  );
  assert.equal(one({}).parentSpanId, '');
  assert.equal(one({ references: null }).links.length, 0);
});

test('tags lift back into kind, status, scope and trace state; the rest stay attributes', () => {
  const t = (key: string, value: unknown, type = 'string') => ({ key, type, value });
  const s = one({
    tags: [
      t('otel.library.name', 'old-lib'),
      t('otel.library.version', '0.9'),
      t('span.kind', 'producer'),
      t('otel.status_code', 'OK'),
      t('error', true, 'bool'),
      t('otel.status_description', 'boom'),
      t('w3c.tracestate', 'a=b'),
      t('http.status_code', 503, 'int64'),
    ],
  });
  assert.equal(s.kind, SpanKind.PRODUCER);
  assert.deepEqual(s.status, { code: StatusCode.ERROR, message: 'boom' }); // error=true wins
  assert.deepEqual([s.scope.name, s.scope.version], ['old-lib', '0.9']);
  assert.equal(s.traceState, 'a=b');
  assert.deepEqual(s.attributes, { 'http.status_code': 503n });

  const ok = one({ tags: [t('otel.status_code', 'OK'), t('error', false, 'bool'), t('span.kind', 'weird')] });
  assert.equal(ok.status.code, StatusCode.OK);
  assert.equal(ok.kind, SpanKind.UNSPECIFIED);
  assert.deepEqual(ok.attributes, { error: false, 'span.kind': 'weird' });
  const scoped = one({ tags: [t('otel.scope.name', 'new'), t('otel.library.name', 'old')] });
  assert.equal(scoped.scope.name, 'new');
  assert.deepEqual(scoped.attributes, { 'otel.library.name': 'old' });
});

test('logs are events named by their event field (else message), µs → ns', () => {
  const s = one({
    logs: [
      { timestamp: 1_700_000_000_000_005, fields: [{ key: 'event', type: 'string', value: 'cache miss' }] },
      { timestamp: 1_700_000_000_000_006, fields: [{ key: 'message', type: 'string', value: 'hello' }] },
      { timestamp: 1_700_000_000_000_007 },
    ],
  });
  assert.deepEqual(
    s.events.map((e) => [e.timeUnixNano, e.name, e.attributes]),
    [
      [1_700_000_000_000_005_000n, 'cache miss', {}],
      [1_700_000_000_000_006_000n, 'hello', { message: 'hello' }],
      [1_700_000_000_000_007_000n, '', {}],
    ],
  );
});

test('malformed input is a bad_request naming the place', () => {
  const span = (fields: Record<string, unknown>) => doc(fields);
  rejects(null, /^\(document\): expected Jaeger JSON/);
  rejects('{"data":[]}', /^\(document\): expected Jaeger JSON/);
  rejects({ resourceSpans: [] }, /this is OTLP JSON$/);
  rejects({ data: {} }, 'data: expected an array');
  rejects(
    { data: null, errors: [{ code: 404, msg: 'trace not found' }] },
    'errors[0].msg: the document reports an error: "trace not found"',
  );
  rejects({ data: [7] }, 'data[0]: expected an object');
  rejects([{ spans: 'x' }], '[0].spans: expected an array');
  rejects(span({ startTime: '1700000000000000' }), 'data[0].spans[0].startTime: expected a number');
  rejects(span({ duration: -1 }), /^data\[0\]\.spans\[0\]\.duration: expected whole microseconds/);
  rejects(span({ startTime: 1.5 }), /^data\[0\]\.spans\[0\]\.startTime: expected whole microseconds/);
  rejects(span({ startTime: 9.3e15 }), /^data\[0\]\.spans\[0\]\.startTime: expected whole microseconds/);
  rejects(
    span({ spanID: 'xyz' }),
    'data[0].spans[0].spanID: expected a span id of 1 to 16 hex digits, got "xyz"',
  );
  rejects(span({ spanID: '0' }), 'data[0].spans[0].spanID: expected a non-zero span id');
  rejects(span({ traceID: '1'.repeat(33) }), /^data\[0\]\.spans\[0\]\.traceID: expected a trace id/);
  rejects(span({ operationName: 3 }), 'data[0].spans[0].operationName: expected a string');
  rejects(span({ processID: 'p9' }), 'data[0].spans[0].processID: no process "p9" in data[0].processes');
  rejects(doc({}, { processes: [] }), 'data[0].processes: expected an object');
  rejects(
    doc({}, { processes: { p1: { serviceName: 'x', tags: [{ key: 'a', type: 'bool', value: 1 }] } } }),
    'data[0].processes["p1"].tags[0].value: expected a boolean',
  );
  const tag = (t: unknown) => span({ tags: [{ key: 'ok', type: 'string', value: '' }, t] });
  rejects(
    tag({ key: 'n', type: 'int64', value: 1.5 }),
    /^data\[0\]\.spans\[0\]\.tags\[1\]\.value: expected an int64/,
  );
  rejects(
    tag({ key: 'n', type: 'int64', value: '9223372036854775808' }),
    /tags\[1\]\.value: expected an int64/,
  );
  rejects(
    tag({ key: 'b', type: 'binary', value: 'no base64!' }),
    'data[0].spans[0].tags[1].value: expected base64',
  );
  rejects(
    tag({ key: 'f', type: 'float64', value: '1.5' }),
    'data[0].spans[0].tags[1].value: expected a number',
  );
  rejects(
    tag({ key: 's', type: 'map', value: {} }),
    /tags\[1\]\.type: expected string, bool, int64, float64 or binary, got "map"$/,
  );
  rejects(tag({ type: 'string', value: 'v' }), 'data[0].spans[0].tags[1].key: expected a string');
  rejects(tag('x'), 'data[0].spans[0].tags[1]: expected an object');
  rejects(
    span({ references: [{ refType: 'PARENT', traceID: TRACE, spanID: '1' }] }),
    'data[0].spans[0].references[0].refType: expected CHILD_OF or FOLLOWS_FROM, got "PARENT"',
  );
  rejects(span({ logs: [{ timestamp: null }] }), 'data[0].spans[0].logs[0].timestamp: expected a number');
  rejects(
    span({ logs: [{ timestamp: 1, fields: {} }] }),
    'data[0].spans[0].logs[0].fields: expected an array',
  );
});

test('hostile input: prototype keys stay data, deep nesting and huge values cost nothing', () => {
  const s = one({ tags: [{ key: '__proto__', type: 'string', value: 'x' }] });
  assert.equal(Object.getPrototypeOf(s.attributes), Object.prototype);
  assert.deepEqual(Object.keys(s.attributes), ['__proto__']);
  assert.equal(Object.getOwnPropertyDescriptor(s.attributes, '__proto__')?.value, 'x');
  // A process table whose only key is __proto__, straight from JSON.parse.
  const parsed = JSON.parse(JSON.stringify(doc({ processID: '__proto__' })).replace('"p1":', '"__proto__":'));
  assert.equal(fromJaegerJson(parsed)[0].resource.attributes['service.name'], 'svc');
  assert.equal(({} as Record<string, unknown>).serviceName, undefined);

  let deep: unknown = 'x';
  for (let i = 0; i < 200_000; i++) deep = [deep];
  rejects(
    doc({ tags: [{ key: 'k', type: 'string', value: deep }] }),
    'data[0].spans[0].tags[0].value: expected a string',
  );
  const huge = 'z'.repeat(5_000_000);
  rejects(
    doc({ spanID: huge }),
    /^data\[0\]\.spans\[0\]\.spanID: expected a span id of 1 to 16 hex digits, got "z{40}"…$/,
  );
  rejects(doc({ tags: [{ key: 'k', type: huge, value: '' }] }), /got "z{40}"…$/);
});

test('a span made by makeSpan survives the trip with its attributes typed', () => {
  const original = makeSpan({
    kind: SpanKind.CLIENT,
    attributes: { s: 'v', b: true, i: -(2n ** 63n), d: 2.5, bytes: new Uint8Array([0, 255]) },
  });
  const [back] = fromJaegerJson(toJaegerTrace([original]));
  assert.deepEqual(back.attributes, original.attributes);
  assert.equal(back.resource.attributes['service.name'], 'svc');
});
