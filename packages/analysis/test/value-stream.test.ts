import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { TraceAnalysis } from '@genba/analysis';
import { analyzeTrace, CATEGORIES, parseAnalysisConfig } from '@genba/analysis';
import fc from 'fast-check';
import { MS, type SpanSpec, spans } from './support/trace-builder.ts';

function analyze(specs: SpanSpec[], rules?: Parameters<typeof analyzeTrace>[1]): TraceAnalysis {
  const a = analyzeTrace(spans(specs), rules);
  assert.ok(a);
  return a;
}

/** ms per category, rounded, for readable assertions. */
function ms(a: TraceAnalysis) {
  return Object.fromEntries(CATEGORIES.map((c) => [c, a.categories[c] / MS]));
}

describe('value stream of one trace', () => {
  test('a CLIENT call to another service: its uncovered time is transport, the work processing', () => {
    const a = analyze([
      { id: 'root', service: 'gateway', kind: 'SERVER', start: 0, end: 100 },
      { id: 'call', parent: 'root', service: 'gateway', kind: 'CLIENT', start: 10, end: 90 },
      { id: 'srv', parent: 'call', service: 'orders', kind: 'SERVER', start: 15, end: 85 },
    ]);
    assert.deepEqual(ms(a), { processing: 20 + 70, waiting: 0, transport: 10, defect: 0 });
    assert.equal(a.total, 100 * MS);
    assert.deepEqual({ ...a.components }, { gateway: 30 * MS, orders: 70 * MS });
    assert.equal(a.bottleneck, 'orders');
    assert.equal(a.valueAddedRatio, 0.9);
  });

  test('a CLIENT span with no instrumented server (a database) is processing', () => {
    const a = analyze([
      { id: 'root', kind: 'SERVER', start: 0, end: 50 },
      {
        id: 'db',
        parent: 'root',
        kind: 'CLIENT',
        start: 10,
        end: 40,
        attributes: { 'db.system': 'postgresql' },
      },
    ]);
    assert.deepEqual(ms(a), { processing: 50, waiting: 0, transport: 0, defect: 0 });
  });

  test('errors make the span and everything under it defect; a retried failed attempt is defect', () => {
    const a = analyze([
      { id: 'root', kind: 'SERVER', start: 0, end: 100 },
      { id: 'retry', parent: 'root', start: 0, end: 100, attributes: { 'retry.name': 'charge' } },
      {
        id: 'a1',
        parent: 'retry',
        name: 'charge',
        start: 0,
        end: 30,
        attributes: { 'http.response.status_code': 503n },
      },
      { id: 'a2', parent: 'retry', name: 'charge', start: 50, end: 90 },
      { id: 'bad', parent: 'a2', start: 60, end: 70, error: true },
      { id: 'inner', parent: 'bad', start: 62, end: 68 },
    ]);
    // a1 (30, retried 503) + bad and its child (10) are defect; the backoff between attempts (20)
    // and after the last (10) is waiting; a2's own 30 is processing.
    assert.deepEqual(ms(a), { processing: 30, waiting: 30, transport: 0, defect: 40 });
  });

  test('queue and pool spans wait; a recorded wait splits a span', () => {
    const a = analyze([
      { id: 'root', kind: 'SERVER', start: 0, end: 100 },
      {
        id: 'pull',
        parent: 'root',
        name: 'kanban.pull jobs',
        start: 0,
        end: 20,
        attributes: { 'genba.component': 'kanban' },
      },
      { id: 'work', parent: 'root', start: 21, end: 60, attributes: { queue_wait_time_us: 15_000n } },
      { id: 'gate', parent: 'root', name: 'jidoka.circuit_check payments', start: 61, end: 66 },
    ]);
    // Children that touch end to end are not taken (jaeger-ui's strict rule), hence the 1 ms gaps.
    // pull 20 waiting; work: 15 waiting then 24 processing; gate 5 transport; root's own 36 processing.
    assert.deepEqual(ms(a), { processing: 60, waiting: 35, transport: 5, defect: 0 });
    assert.equal(a.components.kanban, 20 * MS);
  });

  test('genba.waste overrides every rule', () => {
    const a = analyze([
      {
        id: 'root',
        kind: 'SERVER',
        start: 0,
        end: 10,
        error: true,
        attributes: { 'genba.waste': 'transport' },
      },
    ]);
    assert.deepEqual(ms(a), { processing: 0, waiting: 0, transport: 10, defect: 0 });
    assert.equal(a.segments[0].reason, 'genba.waste');
  });

  test('a queued CLIENT waits until its server child starts', () => {
    const a = analyze([
      { id: 'root', service: 'a', kind: 'SERVER', start: 0, end: 100 },
      {
        id: 'call',
        parent: 'root',
        service: 'a',
        kind: 'CLIENT',
        start: 0,
        end: 100,
        attributes: { 'genba.queued': true },
      },
      { id: 'srv', parent: 'call', service: 'b', kind: 'SERVER', start: 40, end: 90 },
    ]);
    assert.deepEqual(ms(a), { processing: 50, waiting: 40, transport: 10, defect: 0 });
  });

  test('rules from a config come first; replace_defaults drops the defaults', () => {
    const trace: SpanSpec[] = [
      { id: 'root', kind: 'SERVER', start: 0, end: 10 },
      { id: 'cache', parent: 'root', name: 'cache.get', start: 2, end: 6, error: true },
    ];
    const own = parseAnalysisConfig({ rules: [{ category: 'waiting', when: { name_prefix: 'cache.' } }] });
    assert.deepEqual(ms(analyze(trace, { rules: own.rules })), {
      processing: 6,
      waiting: 4,
      transport: 0,
      defect: 0,
    });
    const only = parseAnalysisConfig({
      replace_defaults: true,
      rules: [{ category: 'defect', when: { kind: ['server'] } }],
    });
    assert.deepEqual(ms(analyze(trace, { rules: only.rules })), {
      processing: 4,
      waiting: 0,
      transport: 0,
      defect: 6,
    });
  });

  test('malformed rules are refused with every problem and its path', () => {
    assert.throws(
      () =>
        parseAnalysisConfig({
          rules: [{ category: 'idle', when: { kind: ['sideways'], colour: 'red' } }, 'x'],
          extra: 1,
        }),
      (err: Error) =>
        err.message.includes('analysis.extra: unknown key') &&
        err.message.includes(
          'analysis.rules.0.category: expected one of processing, waiting, transport, defect',
        ) &&
        err.message.includes('analysis.rules.0.when.kind: each kind must be one of') &&
        err.message.includes('analysis.rules.0.when.colour: unknown condition') &&
        err.message.includes('analysis.rules.1: expected a map'),
    );
  });

  test('a component named __proto__ keeps its time', () => {
    const a = analyze([
      { id: 'root', service: 'svc', start: 0, end: 100 },
      { id: 'odd', parent: 'root', start: 10, end: 90, attributes: { 'genba.component': '__proto__' } },
    ]);
    assert.equal(a.components.__proto__, 80 * MS);
    assert.equal(a.bottleneck, '__proto__');
  });

  test('the subtree of a service: analysis from a given span', () => {
    const s = spans([
      { id: 'root', service: 'gateway', kind: 'SERVER', start: 0, end: 100 },
      { id: 'srv', parent: 'root', service: 'orders', kind: 'SERVER', start: 10, end: 60 },
    ]);
    const a = analyzeTrace(s, { rootSpanId: s[1].spanId });
    assert.equal(a?.total, 50 * MS);
    assert.equal(a?.rootService, 'orders');
  });
});

/** Random trees with children anywhere (inside, overlapping or outside their parents), kinds and errors. */
const arbTrace = fc
  .array(
    fc.record({
      parentPick: fc.nat(),
      start: fc.integer({ min: -50, max: 1000 }),
      length: fc.integer({ min: 0, max: 600 }),
      kind: fc.constantFrom('INTERNAL', 'SERVER', 'CLIENT', 'PRODUCER', 'CONSUMER') as fc.Arbitrary<
        SpanSpec['kind']
      >,
      service: fc.constantFrom('a', 'b', 'c'),
      error: fc.boolean(),
      wait: fc.option(fc.integer({ min: 1, max: 200_000 }), { nil: undefined }),
    }),
    { minLength: 1, maxLength: 40 },
  )
  .map((rows) =>
    rows.map(
      (r, i): SpanSpec => ({
        id: `s${i}`,
        parent: i === 0 ? undefined : `s${r.parentPick % i}`,
        service: r.service,
        kind: r.kind,
        start: r.start + r.start / 7,
        end: r.start + r.start / 7 + r.length + 0.123456,
        error: r.error && i % 3 === 0,
        attributes: r.wait === undefined ? {} : { queue_wait_time_us: BigInt(r.wait) },
      }),
    ),
  );

test('property: the categories and the components each sum exactly to the root duration', () => {
  fc.assert(
    fc.property(arbTrace, (specs) => {
      const a = analyze(specs);
      const sum = CATEGORIES.reduce((t, c) => t + a.categories[c], 0);
      assert.equal(sum, a.total);
      assert.equal(
        Object.values(a.components).reduce((t, v) => t + v, 0),
        a.total,
      );
      // Segments tile the root: each starts where the previous ended.
      for (let i = 1; i < a.segments.length; i++) assert.equal(a.segments[i].start, a.segments[i - 1].end);
      assert.ok(a.valueAddedRatio >= 0 && a.valueAddedRatio <= 1);
    }),
    { numRuns: 500 },
  );
});
