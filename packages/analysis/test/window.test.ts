import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { TraceAnalysis } from '@genba/analysis';
import {
  aggregate,
  analyzeTrace,
  compareReports,
  dependencyGraph,
  detectAnomaly,
  diffTraces,
  distribution,
  errorSignatures,
  messagePattern,
} from '@genba/analysis';
import { EPOCH_NS, MS, type SpanSpec, spans } from './support/trace-builder.ts';

/** gateway → orders → inventory, with inventory taking `slow` ms. */
function order(n: number, slow: number, startMs = n * 1000): SpanSpec[] {
  const t = `t${n}`;
  return [
    {
      trace: t,
      id: `r${n}`,
      service: 'gateway',
      name: 'POST /orders',
      kind: 'SERVER',
      start: startMs,
      end: startMs + 20 + slow,
    },
    {
      trace: t,
      id: `c${n}`,
      parent: `r${n}`,
      service: 'gateway',
      kind: 'CLIENT',
      start: startMs + 2,
      end: startMs + 18 + slow,
    },
    {
      trace: t,
      id: `o${n}`,
      parent: `c${n}`,
      service: 'orders',
      kind: 'SERVER',
      start: startMs + 4,
      end: startMs + 16 + slow,
    },
    {
      trace: t,
      id: `i${n}`,
      parent: `o${n}`,
      service: 'inventory',
      kind: 'SERVER',
      start: startMs + 6,
      end: startMs + 6 + slow,
    },
  ];
}

function analyses(slow: (n: number) => number, count: number, offset = 0): TraceAnalysis[] {
  return Array.from(
    { length: count },
    (_, i) => analyzeTrace(spans(order(i + offset, slow(i)))) as TraceAnalysis,
  );
}

describe('aggregates over a window', () => {
  const start = EPOCH_NS;
  const end = EPOCH_NS + 100_000n * BigInt(MS);

  test('sums, ranking, distributions and buckets', () => {
    const list = analyses((i) => (i < 50 ? 10 : 100), 100);
    const r = aggregate(list, { start, end, buckets: 2 });
    assert.equal(r.traces, 100);
    assert.equal(
      r.total,
      list.reduce((t, a) => t + a.total, 0),
    );
    assert.equal(
      r.categories.processing + r.categories.waiting + r.categories.transport + r.categories.defect,
      r.total,
    );
    assert.equal(r.bottleneck, 'inventory');
    assert.equal(r.components[0].component, 'inventory');
    assert.equal(r.components[0].latency.p50, 10 * MS);
    assert.equal(r.components[0].latency.p95, 100 * MS);
    assert.equal(r.buckets.length, 2);
    assert.equal(r.buckets[0].traces, 50);
    assert.ok(
      r.buckets[1].valueAddedRatio > r.buckets[0].valueAddedRatio,
      'slow inventory adds processing share',
    );
  });

  test('before/after shows the improvement when a slow component is restored', () => {
    const before = aggregate(
      analyses(() => 300, 40),
      { start, end },
    );
    const after = aggregate(
      analyses(() => 10, 40, 40),
      { start, end },
    );
    const c = compareReports(before, after);
    assert.equal(c.bottleneck.before, 'inventory');
    const inv = c.components.find((x) => x.component === 'inventory');
    assert.equal(inv?.perTrace.delta, -290 * MS);
    assert.equal(c.components[0].component, 'inventory', 'biggest improvement first');
    assert.ok(c.latencyP95.delta < 0);
    assert.ok((c.latencyP95.change ?? 0) < -0.8);
  });

  test('anomaly: over 1.5 × P95 of the root is detected, with the reason', () => {
    const normal = analyses(() => 10, 100);
    const p95 = distribution(normal.map((a) => a.total)).p95;
    const [slow] = analyses(() => 500, 1, 200);
    const hit = detectAnomaly(slow, { p95, count: 100 });
    assert.equal(hit.detected, true);
    assert.equal(hit.threshold, p95 * 1.5);
    assert.match(
      hit.reason,
      /^520ms is 17\.3 × the P95 of 30\.0ms for gateway POST \/orders \(threshold 45\.0ms\); most critical-path time in inventory \(500ms\)$/,
    );
    assert.equal(detectAnomaly(normal[0], { p95, count: 100 }).detected, false);
    assert.match(detectAnomaly(slow, undefined).reason, /no baseline/);
  });
});

describe('errors, diff and dependencies', () => {
  test('error signatures group by service, operation, type and masked message', () => {
    const t1 = spans([
      { trace: 'a', id: 'x', service: 'payments', name: 'charge', start: 0, end: 1, error: true },
    ]);
    t1[0].status.message = 'card 4242 declined for order 9f1c2e3d4a5b';
    const t2 = spans([
      { trace: 'b', id: 'y', service: 'payments', name: 'charge', start: 5, end: 6, error: true },
    ]);
    t2[0].status.message = 'card 1111 declined for order 0a1b2c3d4e5f';
    t2[0].events.push({
      timeUnixNano: 0n,
      name: 'exception',
      attributes: { 'exception.type': 'Declined' },
      droppedAttributesCount: 0,
    });
    const t3 = spans([
      { trace: 'c', id: 'z', service: 'payments', name: 'charge', start: 3, end: 4, error: true },
    ]);
    t3[0].status.message = 'card 7 declined for order ffffffff00';
    const sigs = errorSignatures([t1, t2, t3]);
    const plain = sigs.find((s) => s.exceptionType === '');
    assert.equal(plain?.count, 2);
    assert.equal(plain?.messagePattern, 'card <n> declined for order <id>');
    assert.deepEqual(plain?.exampleTraceIds, [t3[0].traceId, t1[0].traceId]);
    assert.equal(plain?.firstSeen, t1[0].startTimeUnixNano);
    assert.equal(plain?.lastSeen, t3[0].startTimeUnixNano);
    assert.equal(sigs.find((s) => s.exceptionType === 'Declined')?.count, 1);
    assert.equal(
      messagePattern('user "bob" id 550e8400-e29b-41d4-a716-446655440000'),
      'user <str> id <uuid>',
    );
  });

  test('trace diff pairs spans by path and ordinal', () => {
    const a = spans([
      { trace: 'a', id: 'r', service: 'g', name: 'GET', start: 0, end: 100 },
      { trace: 'a', id: 'q1', parent: 'r', service: 'g', name: 'query', start: 0, end: 10 },
      { trace: 'a', id: 'q2', parent: 'r', service: 'g', name: 'query', start: 20, end: 30 },
    ]);
    const b = spans([
      { trace: 'b', id: 'r', service: 'g', name: 'GET', start: 0, end: 150 },
      { trace: 'b', id: 'q1', parent: 'r', service: 'g', name: 'query', start: 0, end: 60 },
      { trace: 'b', id: 'k', parent: 'r', service: 'g', name: 'cache', start: 70, end: 80 },
    ]);
    const d = diffTraces(a, b);
    assert.deepEqual(
      d.onlyInA.map((s) => s.path),
      ['g:GET > g:query#2'],
    );
    assert.deepEqual(
      d.onlyInB.map((s) => s.path),
      ['g:GET > g:cache'],
    );
    assert.deepEqual(
      d.common.map((p) => [p.path, p.delta / MS]),
      [
        ['g:GET', 50],
        ['g:GET > g:query', 50],
      ],
    );
  });

  test('dependency graph: calls, errors and quantiles per edge', () => {
    const traces = Array.from({ length: 20 }, (_, i) => spans(order(i, i + 1)));
    traces[0][3].status = { code: 2, message: 'x' };
    const edges = dependencyGraph(traces);
    assert.deepEqual(
      edges.map((e) => [e.parent, e.child, e.calls, e.errors]),
      [
        ['gateway', 'orders', 20, 0],
        ['orders', 'inventory', 20, 1],
      ],
    );
    const inv = edges[1];
    assert.equal(inv.p50, 10 * MS);
    assert.equal(inv.p95, 19 * MS);
  });
});
