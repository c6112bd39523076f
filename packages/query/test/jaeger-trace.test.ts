import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Resource } from '@genba/model';
import { emptyResource } from '@genba/model';
import { jaegerServiceName, toJaegerTrace, toJaegerTraces } from '../src/jaeger/index.ts';
import { makeSpan, readFixture, spansFromOtlpJson } from './jaeger-fixture.ts';

const resource = (attributes: Resource['attributes']): Resource => ({ ...emptyResource(), attributes });

test('a multi-service OTLP trace converts exactly to the expected Jaeger JSON', () => {
  const spans = spansFromOtlpJson(readFixture('jaeger-shop-otlp.json'));
  const got = JSON.parse(JSON.stringify(toJaegerTrace(spans)));
  assert.deepEqual(got, readFixture('jaeger-shop-expected.json'));
});

test('spans are ordered by start time, ties in input order', () => {
  const t = (spanId: string, start: bigint) =>
    makeSpan({ spanId, startTimeUnixNano: start, endTimeUnixNano: start + 1000n });
  const trace = toJaegerTrace([
    t('0000000000000003', 30n),
    t('0000000000000001', 10n),
    t('0000000000000002', 10n),
  ]);
  assert.deepEqual(
    trace.spans.map((s) => s.spanID),
    ['0000000000000001', '0000000000000002', '0000000000000003'],
  );
});

test('processes: one per distinct service and tag set, p1, p2… in order of first appearance', () => {
  const a = resource({ 'service.name': 'a', host: 'h1' });
  const aAgain = resource({ host: 'h1', 'service.name': 'a' }); // same content, other object and order
  const aOtherHost = resource({ 'service.name': 'a', host: 'h2' });
  const aIntHost = resource({ 'service.name': 'a', host: 1n });
  const aFloatHost = resource({ 'service.name': 'a', host: 1 });
  const b = resource({ 'service.name': 'b' });
  const rs = [b, a, aAgain, aOtherHost, aIntHost, aFloatHost];
  const spans = rs.map((r, i) =>
    makeSpan({ resource: r, startTimeUnixNano: BigInt(i), endTimeUnixNano: 1000n }),
  );
  const trace = toJaegerTrace(spans);
  assert.deepEqual(
    trace.spans.map((s) => s.processID),
    ['p1', 'p2', 'p2', 'p3', 'p4', 'p5'],
  );
  assert.deepEqual(Object.keys(trace.processes), ['p1', 'p2', 'p3', 'p4', 'p5']);
  assert.deepEqual(trace.processes.p1, { serviceName: 'b', tags: [] });
  assert.deepEqual(trace.processes.p2, {
    serviceName: 'a',
    tags: [{ key: 'host', type: 'string', value: 'h1' }],
  });
  assert.deepEqual(trace.processes.p4.tags, [{ key: 'host', type: 'int64', value: 1 }]);
  assert.deepEqual(trace.processes.p5.tags, [{ key: 'host', type: 'float64', value: 1 }]);
});

test('service names: service.name, else Jaeger’s placeholders', () => {
  assert.equal(jaegerServiceName(resource({ 'service.name': 'shop' })), 'shop');
  assert.equal(jaegerServiceName(resource({})), 'missing-service-name');
  assert.equal(jaegerServiceName(resource({ 'service.name': '' })), 'empty-service-name');
  assert.equal(jaegerServiceName(resource({ 'service.name': 3n })), 'service-name-wrong-type');
  const trace = toJaegerTrace([makeSpan({ resource: resource({ 'service.name': 7n, x: 'y' }) })]);
  assert.deepEqual(trace.processes.p1, {
    serviceName: 'service-name-wrong-type',
    tags: [{ key: 'x', type: 'string', value: 'y' }],
  });
});

test('trace id, warnings and the empty trace', () => {
  const trace = toJaegerTrace([makeSpan({ traceId: '0000000000000000000000000000abcd' })]);
  assert.equal(trace.traceID, '000000000000abcd');
  assert.equal(trace.warnings, null);
  assert.deepEqual(toJaegerTrace([]), { traceID: '', spans: [], processes: {}, warnings: null });
});

test('several traces each get their own process table', () => {
  const r = resource({ 'service.name': 'x' });
  const out = toJaegerTraces([
    [makeSpan({ resource: r })],
    [],
    [makeSpan({ traceId: '0'.repeat(31) + '1', resource: resource({ 'service.name': 'y' }) })],
  ]);
  assert.equal(out.length, 2);
  assert.equal(out[1].traceID, '0000000000000001');
  assert.deepEqual(out[1].processes, { p1: { serviceName: 'y', tags: [] } });
});
