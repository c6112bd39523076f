import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { after, beforeEach, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { context, diag, ROOT_CONTEXT, SpanKind, SpanStatusCode, TraceFlags, trace } from '@opentelemetry/api';
import { AlwaysOffSampler, ParentBasedSampler, TraceIdRatioBasedSampler } from '../src/sampling/index.ts';
import { suppressTracing } from '../src/suppress.ts';
import { NonRecordingSpan } from '../src/trace/non-recording-span.ts';
import { TracerProvider } from '../src/trace/tracer-provider.ts';
import { CollectingProcessor } from './support/collect.ts';

const collect = new CollectingProcessor();
const provider = new TracerProvider({
  resource: { 'service.name': 'tracer-test' },
  spanProcessors: [collect],
  spanLimits: { attributeCountLimit: 4, attributeValueLengthLimit: 5, eventCountLimit: 2 },
});
provider.register({ propagator: null });
const tracer = trace.getTracer('test-scope', '1.2.3');

// Misuse is reported through diag, never thrown: record what it says.
const warnings: string[] = [];
diag.setLogger({
  warn: (m: string) => warnings.push(m),
  error: () => {},
  info: () => {},
  debug: () => {},
  verbose: () => {},
});

beforeEach(() => {
  collect.spans.length = 0;
});
after(() => provider.shutdown());

describe('spans', () => {
  test('startActiveSpan nests children under the active span, with one trace id', () => {
    tracer.startActiveSpan('parent', (parent) => {
      const child = tracer.startSpan('child', { kind: SpanKind.CLIENT });
      child.end();
      parent.end();
    });
    const parent = collect.byName('parent');
    const child = collect.byName('child');
    assert.match(parent.traceId, /^[0-9a-f]{32}$/);
    assert.match(parent.spanId, /^[0-9a-f]{16}$/);
    assert.equal(parent.parentSpanId, '');
    assert.equal(child.traceId, parent.traceId);
    assert.equal(child.parentSpanId, parent.spanId);
    assert.equal(child.kind, 3, 'OTLP numbering: CLIENT is 3');
    assert.equal(parent.kind, 1);
    assert.equal(parent.resource.attributes['service.name'], 'tracer-test');
    assert.equal(parent.scope.name, 'test-scope');
    assert.equal(parent.scope.version, '1.2.3');
    assert.ok(child.endTimeUnixNano >= child.startTimeUnixNano);
    assert.ok(parent.endTimeUnixNano >= child.endTimeUnixNano);
  });

  test('times are epoch nanoseconds close to Date.now()', () => {
    const before = BigInt(Date.now()) * 1_000_000n;
    tracer.startSpan('t').end();
    const after = BigInt(Date.now() + 1) * 1_000_000n;
    const s = collect.byName('t');
    assert.ok(
      s.startTimeUnixNano >= before - 5_000_000n && s.startTimeUnixNano <= after,
      `${s.startTimeUnixNano}`,
    );
  });

  test('explicit start and end times: epoch ms, Date and HrTime', () => {
    tracer.startSpan('ms', { startTime: 1_700_000_000_000 }).end(1_700_000_000_250);
    const perf = performance.now();
    tracer.startSpan('perf', { startTime: perf }).end();
    tracer.startSpan('date', { startTime: new Date(1_700_000_000_000) }).end([1_700_000_001, 500]);
    const ms = collect.byName('ms');
    const d = collect.byName('date');
    const close = (a: bigint, b: bigint) => assert.ok((a > b ? a - b : b - a) < 2_000n, `${a} vs ${b}`);
    close(ms.startTimeUnixNano, 1_700_000_000_000_000_000n);
    close(ms.endTimeUnixNano, 1_700_000_000_250_000_000n);
    close(d.endTimeUnixNano, 1_700_000_001_000_000_500n);
    const expected = BigInt(Math.round((performance.timeOrigin + perf) * 1e6));
    const got = collect.byName('perf').startTimeUnixNano;
    assert.ok(
      (got > expected ? got - expected : expected - got) < 2_000n,
      'performance.now() values are relative',
    );
  });

  test('attributes: integers travel as ints, doubles as doubles; limits truncate and drop', () => {
    const span = tracer.startSpan('attrs', { attributes: { a: 1, b: 2.5 } });
    span.setAttribute('c', 'abcdefgh');
    span.setAttribute('d', ['xyz123', 'q']);
    span.setAttribute('e', true); // fifth key: over the limit of 4
    span.setAttribute('a', 7); // existing key: still updated
    span.end();
    const s = collect.byName('attrs');
    assert.deepEqual(s.attributes, { a: 7n, b: 2.5, c: 'abcde', d: ['xyz12', 'q'] });
    assert.equal(s.droppedAttributesCount, 1);
  });

  test('invalid attribute values and keys are dropped and reported, never thrown', () => {
    const span = tracer.startSpan('bad-attrs');
    span.setAttribute('obj', { nested: 1 } as never);
    span.setAttribute('mixed', [1, 'a'] as never);
    span.setAttribute('', 'x');
    span.setAttribute('__proto__', 'safe');
    span.end();
    const s = collect.byName('bad-attrs');
    assert.deepEqual(Object.keys(s.attributes), ['__proto__']);
    assert.equal(Object.getPrototypeOf(s.attributes), Object.prototype);
    assert.ok(warnings.some((w) => w.includes('not a valid attribute value')));
    assert.ok(warnings.some((w) => w.includes('one primitive type')));
  });

  test('events, exceptions and the event limit', () => {
    // Default value-length limits here, so the stack trace is recorded whole.
    const p = new TracerProvider({ spanProcessors: [collect], spanLimits: { eventCountLimit: 2 } });
    const span = p.getTracer('events').startSpan('events');
    span.addEvent('first', { k: 'v' });
    const err = new TypeError('boom');
    span.recordException(err);
    span.addEvent('third'); // over the limit of 2
    span.end();
    const s = collect.byName('events');
    assert.deepEqual(
      s.events.map((e) => e.name),
      ['first', 'exception'],
    );
    assert.equal(s.droppedEventsCount, 1);
    const ex = s.events[1]?.attributes ?? {};
    assert.equal(ex['exception.type'], 'TypeError');
    assert.equal(ex['exception.message'], 'boom');
    assert.match(String(ex['exception.stacktrace']), /TypeError: boom/);
  });

  test('status: ERROR keeps its message, OK is final, UNSET never overrides', () => {
    const a = tracer.startSpan('status-a');
    a.setStatus({ code: SpanStatusCode.ERROR, message: 'bad' });
    a.setStatus({ code: SpanStatusCode.UNSET });
    a.end();
    const b = tracer.startSpan('status-b');
    b.setStatus({ code: SpanStatusCode.OK, message: 'ignored' });
    b.setStatus({ code: SpanStatusCode.ERROR, message: 'too late' });
    b.end();
    assert.deepEqual(collect.byName('status-a').status, { code: 2, message: 'bad' });
    assert.deepEqual(collect.byName('status-b').status, { code: 1, message: '' });
  });

  test('links carry the linked context and attributes', () => {
    const other = tracer.startSpan('other');
    const span = tracer.startSpan('linked', {
      links: [{ context: other.spanContext(), attributes: { why: 'batch' } }],
    });
    span.end();
    other.end();
    const l = collect.byName('linked').links[0];
    assert.equal(l?.traceId, other.spanContext().traceId);
    assert.equal(l?.spanId, other.spanContext().spanId);
    assert.deepEqual(l?.attributes, { why: 'batch' });
  });

  test('ending twice and changing an ended span are ignored and reported', () => {
    const span = tracer.startSpan('twice');
    span.end();
    assert.doesNotThrow(() => {
      span.end();
      span.setAttribute('late', 1);
      span.updateName('renamed');
    });
    assert.equal(collect.spans.filter((s) => s.name === 'twice').length, 1);
    assert.deepEqual(collect.byName('twice').attributes, {});
    assert.equal(span.isRecording(), false);
    assert.ok(warnings.some((w) => w.includes('end() called on an ended span')));
  });

  test('a remote parent (from propagation) is followed and marked remote in the flags', () => {
    const remote = trace.setSpanContext(ROOT_CONTEXT, {
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: 'b7ad6b7169203331',
      traceFlags: TraceFlags.SAMPLED,
      isRemote: true,
    });
    tracer.startSpan('server', { kind: SpanKind.SERVER }, remote).end();
    const s = collect.byName('server');
    assert.equal(s.traceId, '0af7651916cd43dd8448eb211c80319c');
    assert.equal(s.parentSpanId, 'b7ad6b7169203331');
    assert.equal(s.flags, 0x301);
  });

  test('a remote unsampled parent yields a non-recording span that still propagates', () => {
    const remote = trace.setSpanContext(ROOT_CONTEXT, {
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: 'b7ad6b7169203331',
      traceFlags: TraceFlags.NONE,
      isRemote: true,
    });
    const span = tracer.startSpan('unsampled', {}, remote);
    assert.equal(span.isRecording(), false);
    assert.equal(span.spanContext().traceId, '0af7651916cd43dd8448eb211c80319c');
    assert.match(span.spanContext().spanId, /^[0-9a-f]{16}$/);
    assert.equal(span.spanContext().traceFlags, 0);
    span.end();
    assert.equal(collect.spans.length, 0);
  });

  test('suppressed tracing gives an invalid, non-recording span', () => {
    const span = tracer.startSpan('suppressed', {}, suppressTracing(context.active()));
    assert.equal(span.isRecording(), false);
    assert.equal(span.spanContext().traceId, '00000000000000000000000000000000');
    span.end();
    assert.equal(collect.spans.length, 0);
  });

  test('root: true ignores the active span', () => {
    tracer.startActiveSpan('outer', (outer) => {
      tracer.startSpan('new-root', { root: true }).end();
      outer.end();
    });
    assert.notEqual(collect.byName('new-root').traceId, collect.byName('outer').traceId);
    assert.equal(collect.byName('new-root').parentSpanId, '');
  });
});

describe('context', () => {
  test('survives await, timers and promise chains', async () => {
    await tracer.startActiveSpan('async-root', async (root) => {
      await sleep(2);
      const a = trace.getActiveSpan();
      await new Promise<void>((resolve) => setTimeout(resolve, 1));
      const b = trace.getActiveSpan();
      const c = await Promise.resolve().then(() => trace.getActiveSpan());
      const d = await new Promise((resolve) => setImmediate(() => resolve(trace.getActiveSpan())));
      assert.equal(a, root);
      assert.equal(b, root);
      assert.equal(c, root);
      assert.equal(d, root);
      root.end();
    });
    assert.equal(trace.getActiveSpan(), undefined);
  });

  test('concurrent async work keeps separate contexts', async () => {
    const seen = await Promise.all(
      ['x', 'y', 'z'].map((n) =>
        tracer.startActiveSpan(n, async (span) => {
          await sleep(Math.random() * 5);
          const active = trace.getActiveSpan();
          span.end();
          return active === span;
        }),
      ),
    );
    assert.deepEqual(seen, [true, true, true]);
  });

  test('context.bind ties EventEmitter listeners to a context', () => {
    const emitter = new EventEmitter();
    let seen: unknown;
    const listener = () => {
      seen = trace.getActiveSpan();
    };
    tracer.startActiveSpan('emitter-owner', (span) => {
      context.bind(context.active(), emitter);
      emitter.on('ping', listener);
      span.end();
    });
    emitter.emit('ping'); // emitted outside any span
    assert.equal((seen as { name?: string } | undefined)?.name, 'emitter-owner');
    emitter.removeListener('ping', listener);
    assert.equal(emitter.listenerCount('ping'), 0, 'removal finds the bound wrapper');
  });

  test('context.with nests and restores, values survive deep chains', () => {
    const keys = Array.from({ length: 40 }, (_, i) => Symbol(`k${i}`));
    let ctx = context.active();
    for (const [i, k] of keys.entries()) ctx = ctx.setValue(k, i);
    ctx = ctx.deleteValue(keys[3] as symbol);
    assert.equal(ctx.getValue(keys[0] as symbol), 0);
    assert.equal(ctx.getValue(keys[39] as symbol), 39);
    assert.equal(ctx.getValue(keys[3] as symbol), undefined);
    const inner = context.with(ctx, () => context.active().getValue(keys[20] as symbol));
    assert.equal(inner, 20);
    assert.equal(context.active().getValue(keys[20] as symbol), undefined);
  });
});

describe('sampling', () => {
  test('always_off makes non-recording spans, and children of those follow', () => {
    const p = new TracerProvider({
      sampler: new ParentBasedSampler({ root: new AlwaysOffSampler() }),
      spanProcessors: [collect],
    });
    const t = p.getTracer('off');
    const root = t.startSpan('off-root');
    assert.ok(root instanceof NonRecordingSpan);
    const child = t.startSpan('off-child', {}, trace.setSpan(context.active(), root));
    assert.equal(child.spanContext().traceId, root.spanContext().traceId);
    child.end();
    root.end();
    assert.equal(collect.spans.length, 0);
  });

  test('traceidratio keeps about the ratio, and the same ids every time', () => {
    const sampler = new TraceIdRatioBasedSampler(0.25);
    const p = new TracerProvider({ sampler, spanProcessors: [collect] });
    const t = p.getTracer('ratio');
    const n = 20_000;
    for (let i = 0; i < n; i++) t.startSpan('r').end();
    const kept = collect.spans.length;
    // Binomial(20000, 0.25): sd ≈ 61; 5 sd either side.
    assert.ok(Math.abs(kept - n * 0.25) < 310, `kept ${kept}`);
    for (const s of collect.spans.slice(0, 100))
      assert.equal(sampler.shouldSample(ROOT_CONTEXT, s.traceId).decision, 2);
  });

  test('the provider sampler can be swapped at runtime', () => {
    const p = new TracerProvider({ spanProcessors: [collect] });
    const t = p.getTracer('swap');
    t.startSpan('on').end();
    p.sampler = new AlwaysOffSampler();
    t.startSpan('off').end();
    assert.deepEqual(
      collect.spans.map((s) => s.name),
      ['on'],
    );
  });
});
