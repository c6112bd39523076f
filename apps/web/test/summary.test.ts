import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findRows } from '../src/trace/find.ts';
import { buildRows } from '../src/trace/rows.ts';
import { isErrorSpan, parentSpanId, spanKind } from '../src/trace/span-info.ts';
import { sortSummaries, summarizeTrace } from '../src/trace/summary.ts';
import { sampleTrace, span, trace } from './fixtures.ts';

test('summary: root, duration, counts, services by span count', () => {
  const s = summarizeTrace(sampleTrace());
  assert.equal(s.rootService, 'frontend');
  assert.equal(s.rootName, 'GET /checkout');
  assert.equal(s.hasRoot, true);
  assert.equal(s.startTime, 0);
  assert.equal(s.duration, 1000);
  assert.equal(s.spanCount, 5);
  assert.equal(s.errorCount, 1);
  assert.deepEqual(s.services, [
    { name: 'orders', spans: 2, errors: 0 },
    { name: 'payments', spans: 2, errors: 1 },
    { name: 'frontend', spans: 1, errors: 0 },
  ]);
});

test('summary of a trace whose root span is missing uses the earliest orphan', () => {
  const s = summarizeTrace(
    trace([
      span({ id: 'y', parent: 'gone', start: 30, duration: 5, op: 'late', proc: 'p2' }),
      span({ id: 'x', parent: 'gone', start: 10, duration: 50, op: 'early', proc: 'p3' }),
    ]),
  );
  assert.equal(s.hasRoot, false);
  assert.equal(s.rootName, 'early');
  assert.equal(s.rootService, 'payments');
  assert.equal(s.duration, 50);
});

test('errors: error=true as bool or string, or otel.status_code=ERROR', () => {
  const mk = (key: string, type: string, value: string | boolean) =>
    span({ id: 'a', start: 0, duration: 1, tags: [{ key, type, value }] });
  assert.equal(isErrorSpan(mk('error', 'bool', true)), true);
  assert.equal(isErrorSpan(mk('error', 'string', 'true')), true);
  assert.equal(isErrorSpan(mk('error', 'bool', false)), false);
  assert.equal(isErrorSpan(mk('otel.status_code', 'string', 'ERROR')), true);
  assert.equal(isErrorSpan(mk('otel.status_code', 'string', 'OK')), false);
  assert.equal(spanKind(mk('span.kind', 'string', 'server')), 'server');
});

test('parentSpanId ignores references into other traces', () => {
  const s = span({ id: 'a', start: 0, duration: 1 });
  s.references = [{ refType: 'CHILD_OF', traceID: 'other', spanID: 'z' }];
  assert.equal(parentSpanId(s), null);
});

test('results sort by recency, duration, spans, errors', () => {
  const a = {
    ...summarizeTrace(sampleTrace()),
    traceID: 'a',
    startTime: 10,
    duration: 5,
    spanCount: 9,
    errorCount: 0,
  };
  const b = { ...a, traceID: 'b', startTime: 20, duration: 50, spanCount: 1, errorCount: 2 };
  const c = { ...a, traceID: 'c', startTime: 5, duration: 1, spanCount: 3, errorCount: 1 };
  const order = (o: Parameters<typeof sortSummaries>[1]) =>
    sortSummaries([a, b, c], o)
      .map((s) => s.traceID)
      .join('');
  assert.equal(order('recent'), 'bac');
  assert.equal(order('longest'), 'bac');
  assert.equal(order('shortest'), 'cab');
  assert.equal(order('most-spans'), 'acb');
  assert.equal(order('most-errors'), 'bca');
});

test('find in trace matches service, operation and tags; all terms must match', () => {
  const t = sampleTrace();
  const rows = buildRows(t.spans);
  const found = (q: string) => findRows(t, rows, q).map((i) => rows[i].span.spanID);
  assert.deepEqual(found('payments'), ['d', 'e']);
  assert.deepEqual(found('error=true'), ['d']);
  assert.deepEqual(found('CHECKOUT'), ['a']);
  assert.deepEqual(found('payments op-e'), ['e']);
  assert.deepEqual(found('  '), []);
});
