import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { JaegerSpan } from '../src/jaeger/index.ts';
import { toJaegerSpan } from '../src/jaeger/index.ts';
import { makeSpan } from './jaeger-fixture.ts';

const tag = (s: JaegerSpan, key: string) => s.tags.find((t) => t.key === key);
const keys = (s: JaegerSpan) => s.tags.map((t) => t.key);

test('ids: 64-bit trace ids print as 16 hex digits, also in references', () => {
  const s = toJaegerSpan(
    makeSpan({
      traceId: '00000000000000004bf92f3577b34da6',
      parentSpanId: '00f067aa0ba902b7',
      links: [
        {
          traceId: '0000000000000000a3ce929d0e0e4736',
          spanId: '53995c3f42cd8ad8',
          traceState: '',
          attributes: {},
          droppedAttributesCount: 0,
          flags: 0,
        },
      ],
    }),
    'p1',
  );
  assert.equal(s.traceID, '4bf92f3577b34da6');
  assert.equal(s.spanID, 'eee19b7ec3c1b174');
  assert.deepEqual(s.references, [
    { refType: 'CHILD_OF', traceID: '4bf92f3577b34da6', spanID: '00f067aa0ba902b7' },
    { refType: 'FOLLOWS_FROM', traceID: 'a3ce929d0e0e4736', spanID: '53995c3f42cd8ad8' },
  ]);
  const full = toJaegerSpan(makeSpan({ traceId: '1000000000000000a3ce929d0e0e4736' }), 'p1');
  assert.equal(full.traceID, '1000000000000000a3ce929d0e0e4736');
});

test('references: none for a root, the parent first, then links', () => {
  assert.deepEqual(toJaegerSpan(makeSpan(), 'p1').references, []);
  assert.deepEqual(toJaegerSpan(makeSpan({ parentSpanId: '0000000000000000' }), 'p1').references, []);
  const link = (traceId: string, spanId: string, attributes = {}) => ({
    traceId,
    spanId,
    traceState: '',
    attributes,
    droppedAttributesCount: 0,
    flags: 0,
  });
  const t = '5b8efff798038103d269b633813fc60c';
  const s = toJaegerSpan(
    makeSpan({
      parentSpanId: '1111111111111111',
      links: [
        link(t, '2222222222222222'),
        link(t, '3333333333333333', { 'opentracing.ref_type': 'child_of' }),
        link(t, '4444444444444444', { 'opentracing.ref_type': 'follows_from' }),
      ],
    }),
    'p1',
  );
  assert.deepEqual(
    s.references.map((r) => `${r.refType}:${r.spanID}`),
    [
      'CHILD_OF:1111111111111111',
      'FOLLOWS_FROM:2222222222222222',
      'CHILD_OF:3333333333333333',
      'FOLLOWS_FROM:4444444444444444',
    ],
  );
  // A link to the parent itself does not add a reference; it only sets the parent reference's type.
  const toParent = toJaegerSpan(
    makeSpan({ parentSpanId: '1111111111111111', links: [link(t, '1111111111111111')] }),
    'p1',
  );
  assert.deepEqual(toParent.references, [
    { refType: 'FOLLOWS_FROM', traceID: t, spanID: '1111111111111111' },
  ]);
  // Links without a trace id are dropped with Jaeger's warning.
  const empty = toJaegerSpan(
    makeSpan({ links: [link('', '2222222222222222'), link('0'.repeat(32), '2')] }),
    'p1',
  );
  assert.deepEqual(empty.references, []);
  assert.deepEqual(empty.warnings, ['Invalid span link removed', 'Invalid span link removed']);
});

test('span.kind for each kind, none for UNSPECIFIED', () => {
  const kinds = ['', 'internal', 'server', 'client', 'producer', 'consumer'];
  for (let k = 0; k <= 5; k++) {
    const s = toJaegerSpan(makeSpan({ kind: k as 0 }), 'p1');
    assert.deepEqual(
      tag(s, 'span.kind'),
      k === 0 ? undefined : { key: 'span.kind', type: 'string', value: kinds[k] },
    );
  }
});

test('status: UNSET adds nothing, OK adds the code, ERROR adds code, error=true and description', () => {
  const unset = toJaegerSpan(makeSpan(), 'p1');
  assert.deepEqual(keys(unset), []);
  const ok = toJaegerSpan(makeSpan({ status: { code: 1, message: '' } }), 'p1');
  assert.deepEqual(ok.tags, [{ key: 'otel.status_code', type: 'string', value: 'OK' }]);
  const err = toJaegerSpan(makeSpan({ status: { code: 2, message: 'boom' } }), 'p1');
  assert.deepEqual(err.tags, [
    { key: 'otel.status_code', type: 'string', value: 'ERROR' },
    { key: 'error', type: 'bool', value: true },
    { key: 'otel.status_description', type: 'string', value: 'boom' },
  ]);
  const errNoMessage = toJaegerSpan(makeSpan({ status: { code: 2, message: '' } }), 'p1');
  assert.deepEqual(keys(errNoMessage), ['otel.status_code', 'error']);
});

test('scope name and version tags only when non-empty; w3c.tracestate when set', () => {
  const scope = { name: 'lib', version: '', attributes: {}, droppedAttributesCount: 0, schemaUrl: '' };
  assert.deepEqual(keys(toJaegerSpan(makeSpan({ scope }), 'p1')), ['otel.scope.name']);
  const both = { ...scope, version: '1.0' };
  assert.deepEqual(keys(toJaegerSpan(makeSpan({ scope: both }), 'p1')), [
    'otel.scope.name',
    'otel.scope.version',
  ]);
  const s = toJaegerSpan(makeSpan({ traceState: 'rojo=00f067aa0ba902b7' }), 'p1');
  assert.deepEqual(s.tags, [{ key: 'w3c.tracestate', type: 'string', value: 'rojo=00f067aa0ba902b7' }]);
});

test('tag order: scope, sorted attributes, kind, status, error, description, tracestate', () => {
  const s = toJaegerSpan(
    makeSpan({
      kind: 3,
      traceState: 'a=b',
      status: { code: 2, message: 'x' },
      attributes: { 'z.last': 1n, 'a.first': 'v', 'm.mid': true },
      scope: { name: 'lib', version: '2', attributes: {}, droppedAttributesCount: 0, schemaUrl: '' },
    }),
    'p1',
  );
  assert.deepEqual(keys(s), [
    'otel.scope.name',
    'otel.scope.version',
    'a.first',
    'm.mid',
    'z.last',
    'span.kind',
    'otel.status_code',
    'error',
    'otel.status_description',
    'w3c.tracestate',
  ]);
});

test('dropped counts are not reported, as Jaeger does not', () => {
  const s = toJaegerSpan(
    makeSpan({ droppedAttributesCount: 3, droppedEventsCount: 2, droppedLinksCount: 1 }),
    'p1',
  );
  assert.deepEqual(s.tags, []);
});

test('events become logs: event field first, then sorted attributes, time in µs', () => {
  const s = toJaegerSpan(
    makeSpan({
      events: [
        {
          timeUnixNano: 1_700_000_000_000_500_999n,
          name: 'exception',
          attributes: { 'exception.type': 'Error', 'exception.message': 'bad' },
          droppedAttributesCount: 1,
        },
        {
          timeUnixNano: 1_700_000_000_000_400_000n,
          name: 'named',
          attributes: { event: 'own' },
          droppedAttributesCount: 0,
        },
        {
          timeUnixNano: 1_700_000_000_000_600_000n,
          name: '',
          attributes: { k: 1.5 },
          droppedAttributesCount: 0,
        },
      ],
    }),
    'p1',
  );
  assert.deepEqual(s.logs, [
    {
      timestamp: 1_700_000_000_000_500,
      fields: [
        { key: 'event', type: 'string', value: 'exception' },
        { key: 'exception.message', type: 'string', value: 'bad' },
        { key: 'exception.type', type: 'string', value: 'Error' },
      ],
    },
    { timestamp: 1_700_000_000_000_400, fields: [{ key: 'event', type: 'string', value: 'own' }] },
    { timestamp: 1_700_000_000_000_600, fields: [{ key: 'k', type: 'float64', value: 1.5 }] },
  ]);
});

test('start and duration are whole microseconds, truncated', () => {
  const s = toJaegerSpan(
    makeSpan({ startTimeUnixNano: 1_700_000_000_000_000_999n, endTimeUnixNano: 1_700_000_000_000_002_998n }),
    'p1',
  );
  assert.equal(s.startTime, 1_700_000_000_000_000);
  assert.equal(s.duration, 1); // 1999 ns
  assert.ok(Number.isInteger(s.startTime) && Number.isInteger(s.duration));
});

test('a span that does not end after it starts gets 1 ns and Jaeger’s warning', () => {
  const s = toJaegerSpan(
    makeSpan({ startTimeUnixNano: 1706678909209712000n, endTimeUnixNano: 1706678909209000000n }),
    'p1',
  );
  assert.equal(s.duration, 0);
  assert.deepEqual(s.warnings, [
    'Negative duration detected, sanitizing end timestamp. Original end timestamp: ' +
      '2024-01-31 05:28:29.209 +0000 UTC, adjusted to: 2024-01-31 05:28:29.209712001 +0000 UTC',
  ]);
  assert.equal(toJaegerSpan(makeSpan(), 'p1').warnings, null);
});

test('empty span names get Jaeger’s placeholder; the process id and no flags key', () => {
  const s = toJaegerSpan(makeSpan({ name: '' }), 'p7');
  assert.equal(s.operationName, 'empty-span-name');
  assert.equal(s.processID, 'p7');
  assert.equal('flags' in s, false);
});
