import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Context, Span } from '@opentelemetry/api';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { LocalAnalyzerOptions, ReadableSpan } from '../src/index.ts';
import {
  AlwaysOnSampler,
  getAnalyzer,
  init,
  LocalAnalyzer,
  parseAnalysisConfig,
  shutdown,
  TracerProvider,
} from '../src/index.ts';

const MS = 1_000_000;

function setup(options: LocalAnalyzerOptions = {}) {
  const analyzer = new LocalAnalyzer(options);
  const provider = new TracerProvider({
    resource: { 'service.name': 'shop' },
    sampler: new AlwaysOnSampler(),
    spanProcessors: [analyzer],
  });
  return { analyzer, tracer: provider.getTracer('analyzer-test') };
}

type Tracer = ReturnType<typeof setup>['tracer'];

/** A span at explicit times, in ms from `t0` (performance.now() based, as the SDK reads numbers). */
function span(
  tracer: Tracer,
  name: string,
  parent: Span | undefined,
  at: number,
  options: { kind?: SpanKind; component?: string; attrs?: Record<string, string> } = {},
): Span {
  const ctx: Context = parent === undefined ? ROOT_CONTEXT : trace.setSpan(ROOT_CONTEXT, parent);
  const attributes: Record<string, string> = { ...options.attrs };
  if (options.component !== undefined) attributes['genba.component'] = options.component;
  return tracer.startSpan(name, { startTime: at, kind: options.kind, attributes }, ctx);
}

const t0 = Math.floor(performance.now()) + 1;

/**
 * root 0–100 ms: kanban wait 0–19 (waiting), a CLIENT call 20–70 whose SERVER child runs 25–65
 * (transport 10, processing 40 in `payments`), a failing validation 71–91 (defect), root's own
 * 11 ms (processing). Siblings never touch: like jaeger-ui, the critical path only steps back to
 * a child that ended strictly before the next one started.
 */
function checkout(tracer: Tracer, start: number, payMs = 40, name = 'GET /checkout'): string {
  const root = span(tracer, name, undefined, start, { kind: SpanKind.SERVER });
  const wait = span(tracer, 'kanban.wait', root, start, { component: 'kanban' });
  wait.end(start + 19);
  const call = span(tracer, 'POST /charge', root, start + 20, { kind: SpanKind.CLIENT });
  const serve = span(tracer, 'charge', call, start + 25, { kind: SpanKind.SERVER, component: 'payments' });
  serve.end(start + 25 + payMs);
  call.end(start + 30 + payMs);
  const check = span(tracer, 'validate', root, start + 31 + payMs, { component: 'rules' });
  check.setStatus({ code: SpanStatusCode.ERROR, message: 'invalid' });
  check.end(start + 51 + payMs);
  root.end(start + 60 + payMs);
  return root.spanContext().traceId;
}

const near = (actual: number, expected: number, what: string) =>
  assert.ok(Math.abs(actual - expected) <= 1_000, `${what}: ${actual} ns, expected ${expected} ns`);

describe('LocalAnalyzer: one trace', () => {
  test('categories tile the root span exactly and each has its expected share', () => {
    const { analyzer, tracer } = setup();
    const traceId = checkout(tracer, t0);
    const a = analyzer.analyzeTrace(traceId);
    assert.ok(a, 'the trace is analysed');
    assert.equal(a.traceId, traceId);
    assert.equal(a.rootName, 'GET /checkout');
    assert.equal(a.rootService, 'shop');
    const c = a.categories;
    assert.equal(c.processing + c.waiting + c.transport + c.defect, a.total);
    near(a.total, 100 * MS, 'total');
    near(c.waiting, 19 * MS, 'waiting');
    near(c.transport, 10 * MS, 'transport');
    near(c.defect, 20 * MS, 'defect');
    near(c.processing, 51 * MS, 'processing');
    near(a.components.payments, 40 * MS, 'payments');
    assert.equal(a.bottleneck, 'payments');
    assert.ok(Math.abs(a.valueAddedRatio - 0.51) < 1e-4, `ratio ${a.valueAddedRatio}`);
    assert.equal(
      Object.values(a.components).reduce((x, y) => x + y, 0),
      a.total,
      'the components tile it too',
    );
  });

  test('real sleeps: the slow component is the bottleneck', async () => {
    const { analyzer, tracer } = setup();
    const root = tracer.startSpan('job', {}, ROOT_CONTEXT);
    const ctx = trace.setSpan(ROOT_CONTEXT, root);
    const fast = tracer.startSpan('fast', { attributes: { 'genba.component': 'cache' } }, ctx);
    await sleep(5);
    fast.end();
    const slow = tracer.startSpan('slow', { attributes: { 'genba.component': 'db' } }, ctx);
    await sleep(100);
    slow.end();
    root.end();
    const a = analyzer.analyzeTrace(root.spanContext().traceId);
    assert.ok(a);
    assert.ok(a.total >= 100 * MS, `total ${a.total}`);
    assert.equal(a.bottleneck, 'db');
    // Timers may fire a little early, or late on a busy machine: no tight bounds.
    assert.ok(a.components.db >= 95 * MS, `db ${a.components.db}`);
    assert.ok(a.components.db > (a.components.cache ?? 0));
    assert.equal(analyzer.getBottleneck()?.component, 'db');
  });

  test('a trace is analysed once its root has ended, and again when a late span arrives', () => {
    const { analyzer, tracer } = setup();
    const root = span(tracer, 'GET /late', undefined, t0);
    const child = span(tracer, 'work', root, t0 + 10, { component: 'worker' });
    child.end(t0 + 50);
    const traceId = root.spanContext().traceId;
    assert.equal(analyzer.analyzeTrace(traceId), undefined, 'no root yet');
    assert.equal(analyzer.getWasteReport().traces, 0);
    assert.equal(analyzer.detectAnomaly(traceId).detected, false);
    root.end(t0 + 100);
    near(analyzer.analyzeTrace(traceId)?.components.worker ?? 0, 40 * MS, 'worker');
    // A span that ends after its root changes the analysis.
    span(tracer, 'audit', root, t0 + 60, { component: 'audit' }).end(t0 + 90);
    near(analyzer.analyzeTrace(traceId)?.components.audit ?? 0, 30 * MS, 'audit after the root');
    assert.equal(analyzer.analyzeTrace('0'.repeat(31) + '1'), undefined, 'unknown trace');
  });

  test('a span whose parent is in another process is a root', () => {
    const { analyzer, tracer } = setup();
    const remote = trace.setSpanContext(ROOT_CONTEXT, {
      traceId: 'ab'.repeat(16),
      spanId: 'cd'.repeat(8),
      traceFlags: 1,
      isRemote: true,
    });
    const entry = tracer.startSpan('handle', { kind: SpanKind.SERVER, startTime: t0 }, remote);
    entry.end(t0 + 30);
    const a = analyzer.analyzeTrace('ab'.repeat(16));
    assert.ok(a);
    assert.equal(a.rootSpanId, entry.spanContext().spanId);
    near(a.total, 30 * MS, 'total');
  });

  test('custom rules from a config section are applied', () => {
    const { rules } = parseAnalysisConfig({
      rules: [{ name: 'lookups', category: 'waiting', when: { name_prefix: 'lookup.' } }],
    });
    const { analyzer, tracer } = setup({ rules });
    const root = span(tracer, 'req', undefined, t0);
    span(tracer, 'lookup.user', root, t0, { component: 'users' }).end(t0 + 30);
    root.end(t0 + 40);
    const a = analyzer.analyzeTrace(root.spanContext().traceId);
    near(a?.categories.waiting ?? 0, 30 * MS, 'waiting by the custom rule');
    assert.equal(a?.segments.find((s) => s.category === 'waiting')?.reason, 'lookups');
  });
});

describe('LocalAnalyzer: over the ring', () => {
  test('component latencies, bottleneck and waste report over many traces', () => {
    const { analyzer, tracer } = setup();
    for (let i = 0; i < 30; i++) checkout(tracer, t0 + i * 200, 40 + i); // payments 40–69 ms
    const lat = analyzer.getComponentLatencies();
    assert.deepEqual(Object.keys(lat)[0], 'payments', 'most time first');
    assert.equal(lat.payments.count, 30);
    near(lat.payments.p50Ns, 54 * MS, 'p50 (15th of 30)');
    near(lat.payments.p95Ns, 68 * MS, 'p95 (29th of 30)');
    near(lat.payments.p99Ns, 69 * MS, 'p99');
    near(lat.payments.avgNs, 54.5 * MS, 'avg');
    near(lat.kanban.p95Ns, 19 * MS, 'kanban');
    const b = analyzer.getBottleneck();
    assert.equal(b?.component, 'payments');
    assert.equal(b?.bottleneckOf, 30);
    const report = analyzer.getWasteReport();
    assert.equal(report.traces, 30);
    const c = report.categories;
    assert.equal(c.processing + c.waiting + c.transport + c.defect, report.total);
    near(c.waiting, 30 * 19 * MS, 'waiting summed');
    assert.ok(Math.abs((b?.share ?? 0) - report.components[0].total / report.total) < 1e-12);
    assert.equal(report.bottleneck, 'payments');
    assert.ok(report.valueAddedRatio > 0 && report.valueAddedRatio < 1);
    const buckets = analyzer.getWasteReport({ buckets: 3 }).buckets;
    assert.deepEqual(
      buckets.map((x) => x.traces),
      [10, 10, 10],
    );
  });

  test('anomaly: judged against the P95 of the same root over the other traces', () => {
    const { analyzer, tracer } = setup();
    const normal: string[] = [];
    for (let i = 0; i < 25; i++) normal.push(checkout(tracer, t0 + i * 200, 35 + (i % 10)));
    // Another operation with too few traces for a baseline.
    const rare = checkout(tracer, t0 + 6_000, 40, 'GET /rare');
    const slow = checkout(tracer, t0 + 7_000, 300);

    const verdict = analyzer.detectAnomaly(slow);
    assert.equal(verdict.detected, true, verdict.reason);
    // Other traces take 95–104 ms; nearest-rank P95 of 25 is the 24th: 104 ms.
    near(verdict.threshold ?? 0, 1.5 * 104 * MS, 'threshold');
    assert.match(verdict.reason, /GET \/checkout/);
    assert.match(verdict.reason, /payments/, 'names the bottleneck');

    const ok = analyzer.detectAnomaly(normal[3]);
    assert.equal(ok.detected, false);
    assert.ok(ok.threshold !== undefined && ok.threshold > 100 * MS);

    const few = analyzer.detectAnomaly(rare);
    assert.equal(few.detected, false);
    assert.equal(few.threshold, undefined);
    assert.match(few.reason, /20 needed/);
    assert.equal(analyzer.detectAnomaly('f'.repeat(32)).detected, false);
  });

  test('anomaly needs 20 other traces of the root', () => {
    const { analyzer, tracer } = setup();
    for (let i = 0; i < 19; i++) checkout(tracer, t0 + i * 200);
    const slow = checkout(tracer, t0 + 5_000, 400);
    assert.equal(analyzer.detectAnomaly(slow).detected, false, 'only 19 others');
    checkout(tracer, t0 + 6_000);
    assert.equal(analyzer.detectAnomaly(slow).detected, true, '20 others');
  });

  // Queried after every trace, now and then, or only at the end: the index catches up the same.
  for (const queryEvery of [1, 7, 1000]) {
    test(`the ring is bounded: the oldest spans are dropped and counted (queried every ${queryEvery})`, () => {
      const { analyzer, tracer } = setup({ maxSpans: 50 });
      const ids: string[] = [];
      for (let i = 0; i < 40; i++) {
        // The root ends first, so a trace can lose its root and keep its children.
        const s = t0 + i * 10;
        const root = span(tracer, 'op', undefined, s);
        const a = span(tracer, 'a', root, s + 1, { component: 'a' });
        const b = span(tracer, 'b', root, s + 3, { component: 'b' });
        root.end(s + 5);
        a.end(s + 2);
        b.end(s + 4);
        ids.push(root.spanContext().traceId);
        if (i % queryEvery === 0) assert.ok(analyzer.analyzeTrace(ids[i]), `trace ${i} as it ends`);
      }
      const stats = analyzer.getStats();
      assert.deepEqual(stats, { spans: 50, traces: 17, maxSpans: 50, droppedSpans: 70 });
      assert.equal(analyzer.analyzeTrace(ids[0]), undefined, 'the oldest trace is gone');
      // Spans 71–120 are held: trace 24 (spans 70–72) lost its root, traces 25–40 are whole.
      assert.equal(analyzer.analyzeTrace(ids[23]), undefined, 'its root was dropped');
      assert.equal(analyzer.analyzeTrace(ids[24])?.tree.nodes.length, 3);
      assert.equal(analyzer.getWasteReport().traces, 16);
      assert.equal(analyzer.getComponentLatencies().a.count, 16);
    });
  }

  test('a bad maxSpans falls back to the default', () => {
    assert.equal(new LocalAnalyzer({ maxSpans: -3 }).getStats().maxSpans, 10_000);
    assert.equal(new LocalAnalyzer({ maxSpans: 1.5 }).getStats().maxSpans, 10_000);
  });
});

describe('LocalAnalyzer: never throws into user code', () => {
  test('a hostile span in onEnd, and one that cannot be converted', () => {
    const analyzer = new LocalAnalyzer();
    const throwing = {
      get traceId(): string {
        throw new Error('boom');
      },
      name: 'x',
      spanId: '1',
      sampled: true,
      toSpanData() {
        throw new Error('boom');
      },
    } as ReadableSpan;
    assert.doesNotThrow(() => analyzer.onEnd(throwing));
    assert.doesNotThrow(() => analyzer.onStart(throwing, ROOT_CONTEXT));
    assert.deepEqual(analyzer.getStats(), { spans: 1, traces: 0, maxSpans: 10_000, droppedSpans: 0 });
    const unconvertible = {
      traceId: 'ee'.repeat(16),
      name: 'y',
      spanId: '2',
      sampled: true,
      toSpanData() {
        throw new Error('boom');
      },
    } as ReadableSpan;
    assert.doesNotThrow(() => analyzer.onEnd(unconvertible));
    assert.equal(analyzer.getStats().traces, 1);
    assert.equal(analyzer.analyzeTrace('ee'.repeat(16)), undefined);
    assert.equal(analyzer.getWasteReport().traces, 0);
    assert.equal(analyzer.detectAnomaly('ee'.repeat(16)).detected, false);
  });

  test('hostile attributes pass through onEnd and the queries', () => {
    const { analyzer, tracer } = setup();
    const root = span(tracer, 'req', undefined, t0, {
      attrs: { ['__proto__']: 'x', constructor: 'y', 'genba.waste': 'toString' },
    });
    const child = span(tracer, 'evil', root, t0 + 1, { component: '__proto__' });
    child.setAttribute('genba.waste', 'hasOwnProperty');
    child.setAttribute('queue_wait_time_us', 'NaN');
    assert.doesNotThrow(() => child.end(t0 + 9));
    assert.doesNotThrow(() => root.end(t0 + 10));
    const a = analyzer.analyzeTrace(root.spanContext().traceId);
    assert.ok(a);
    const c = a.categories;
    assert.equal(c.processing + c.waiting + c.transport + c.defect, a.total);
    assert.doesNotThrow(() => analyzer.getComponentLatencies());
    assert.doesNotThrow(() => analyzer.getBottleneck());
  });
});

describe('init({ analyzer })', () => {
  test('off by default; on, getAnalyzer() sees the spans; shutdown forgets it', async () => {
    init({ serviceName: 'no-analyzer', exporter: 'none', logLevel: 'none' });
    assert.equal(getAnalyzer(), undefined);
    await shutdown();

    init({ serviceName: 'with-analyzer', exporter: 'none', logLevel: 'none', analyzer: { maxSpans: 64 } });
    const analyzer = getAnalyzer();
    assert.ok(analyzer instanceof LocalAnalyzer);
    assert.equal(analyzer.getStats().maxSpans, 64);
    const tracer = trace.getTracer('init-test');
    const traceId = tracer.startActiveSpan('GET /', (root) => {
      tracer.startSpan('inner').end();
      root.end();
      return root.spanContext().traceId;
    });
    const a = analyzer.analyzeTrace(traceId);
    assert.equal(a?.rootService, 'with-analyzer');
    assert.equal(a?.tree.nodes.length, 2);
    await shutdown();
    assert.equal(getAnalyzer(), undefined);
    assert.ok(analyzer.analyzeTrace(traceId), 'still readable after shutdown');

    init({ exporter: 'none', logLevel: 'none', analyzer: true });
    assert.equal(getAnalyzer()?.getStats().maxSpans, 10_000);
    await shutdown();
  });
});
