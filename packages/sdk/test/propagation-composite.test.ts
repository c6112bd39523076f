import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Context, DiagLogger, TextMapPropagator } from '@opentelemetry/api';
import {
  DiagLogLevel,
  defaultTextMapGetter,
  defaultTextMapSetter,
  diag,
  propagation,
  ROOT_CONTEXT,
  trace,
} from '@opentelemetry/api';
import {
  B3Propagator,
  CompositePropagator,
  NoopPropagator,
  propagatorFromEnv,
  propagatorNames,
  W3CBaggagePropagator,
  W3CTraceContextPropagator,
} from '../src/propagation/index.ts';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN_ID = '00f067aa0ba902b7';
const B3_TRACE_ID = '80f198ee56343ba864fe8b2a57d3eff7';
const B3_SPAN_ID = 'e457b5a2e4d86bd1';
type Carrier = Record<string, string | string[]>;

const warnings: string[] = [];
const logger: DiagLogger = {
  error: () => {},
  warn: (message: string) => void warnings.push(message),
  info: () => {},
  debug: () => {},
  verbose: () => {},
};
before(() => diag.setLogger(logger, DiagLogLevel.WARN));
after(() => diag.disable());

const spanCtx = (traceFlags = 1) =>
  trace.setSpanContext(ROOT_CONTEXT, { traceId: TRACE_ID, spanId: SPAN_ID, traceFlags });

function inject(propagator: TextMapPropagator, ctx: Context): Carrier {
  const carrier: Carrier = {};
  propagator.inject(ctx, carrier, defaultTextMapSetter);
  return carrier;
}

class ThrowingPropagator implements TextMapPropagator {
  inject(): void {
    throw new Error('inject boom');
  }
  extract(): Context {
    throw new Error('extract boom');
  }
  fields(): string[] {
    return ['x-throwing'];
  }
}

/** Records the order it runs in, and writes its own field. */
class MarkPropagator implements TextMapPropagator {
  constructor(
    readonly name: string,
    readonly log: string[],
  ) {}
  inject(_ctx: Context, carrier: Carrier): void {
    this.log.push(`inject ${this.name}`);
    carrier[this.name] = 'set';
  }
  extract(ctx: Context): Context {
    this.log.push(`extract ${this.name}`);
    return ctx.setValue(Symbol.for(`mark ${this.name}`), ctx);
  }
  fields(): string[] {
    return [this.name, 'shared'];
  }
}

describe('CompositePropagator', () => {
  test('injects every format, in order', () => {
    const log: string[] = [];
    const composite = new CompositePropagator({
      propagators: [new MarkPropagator('a', log), new MarkPropagator('b', log)],
    });
    assert.deepEqual(inject(composite, ROOT_CONTEXT), { a: 'set', b: 'set' });
    assert.deepEqual(log, ['inject a', 'inject b']);
  });

  test('extracts in order, each on the previous result', () => {
    const log: string[] = [];
    const composite = new CompositePropagator({
      propagators: [new MarkPropagator('a', log), new MarkPropagator('b', log)],
    });
    const out = composite.extract(ROOT_CONTEXT, {}, defaultTextMapGetter);
    assert.deepEqual(log, ['extract a', 'extract b']);
    const afterA = out.getValue(Symbol.for('mark b')) as Context;
    assert.equal(afterA.getValue(Symbol.for('mark a')), ROOT_CONTEXT);
  });

  test('the later propagator wins when both find a span context', () => {
    const carrier = { traceparent: `00-${TRACE_ID}-${SPAN_ID}-01`, b3: `${B3_TRACE_ID}-${B3_SPAN_ID}-0` };
    const w3cThenB3 = new CompositePropagator({
      propagators: [new W3CTraceContextPropagator(), new B3Propagator()],
    });
    const b3ThenW3c = new CompositePropagator({
      propagators: [new B3Propagator(), new W3CTraceContextPropagator()],
    });
    assert.equal(
      trace.getSpanContext(w3cThenB3.extract(ROOT_CONTEXT, carrier, defaultTextMapGetter))?.traceId,
      B3_TRACE_ID,
    );
    assert.equal(
      trace.getSpanContext(b3ThenW3c.extract(ROOT_CONTEXT, carrier, defaultTextMapGetter))?.traceId,
      TRACE_ID,
    );
  });

  test('a propagator that finds nothing keeps the earlier result', () => {
    const composite = new CompositePropagator({
      propagators: [new W3CTraceContextPropagator(), new B3Propagator()],
    });
    const ctx = composite.extract(
      ROOT_CONTEXT,
      { traceparent: `00-${TRACE_ID}-${SPAN_ID}-01` },
      defaultTextMapGetter,
    );
    assert.equal(trace.getSpanContext(ctx)?.traceId, TRACE_ID);
  });

  test('errors are reported once, never thrown, and the others still run', () => {
    warnings.length = 0;
    const composite = new CompositePropagator({
      propagators: [new ThrowingPropagator(), new W3CTraceContextPropagator(), new W3CBaggagePropagator()],
    });
    const ctx = propagation.setBaggage(spanCtx(), propagation.createBaggage({ k: { value: 'v' } }));
    const carrier = inject(composite, ctx);
    assert.deepEqual(carrier, { traceparent: `00-${TRACE_ID}-${SPAN_ID}-01`, baggage: 'k=v' });
    inject(composite, ctx);

    const out = composite.extract(ROOT_CONTEXT, carrier, defaultTextMapGetter);
    assert.equal(trace.getSpanContext(out)?.spanId, SPAN_ID);
    assert.equal(propagation.getBaggage(out)?.getEntry('k')?.value, 'v');
    composite.extract(ROOT_CONTEXT, carrier, defaultTextMapGetter);

    assert.equal(warnings.filter((w) => w.includes('ThrowingPropagator.inject')).length, 1);
    assert.equal(warnings.filter((w) => w.includes('ThrowingPropagator.extract')).length, 1);
  });

  test('fields are the union, without repeats', () => {
    const log: string[] = [];
    const composite = new CompositePropagator({
      propagators: [
        new MarkPropagator('a', log),
        new MarkPropagator('b', log),
        new W3CTraceContextPropagator(),
      ],
    });
    assert.deepEqual(composite.fields(), ['a', 'shared', 'b', 'traceparent', 'tracestate']);
  });

  test('no propagators: a no-op', () => {
    const composite = new CompositePropagator();
    assert.deepEqual(inject(composite, spanCtx()), {});
    assert.equal(
      composite.extract(ROOT_CONTEXT, { traceparent: `00-${TRACE_ID}-${SPAN_ID}-01` }, defaultTextMapGetter),
      ROOT_CONTEXT,
    );
    assert.deepEqual(composite.fields(), []);
  });
});

describe('NoopPropagator', () => {
  test('writes nothing, reads nothing', () => {
    const noop = new NoopPropagator();
    assert.deepEqual(inject(noop, spanCtx()), {});
    assert.equal(
      noop.extract(ROOT_CONTEXT, { traceparent: `00-${TRACE_ID}-${SPAN_ID}-01` }, defaultTextMapGetter),
      ROOT_CONTEXT,
    );
    assert.deepEqual(noop.fields(), []);
  });
});

describe('propagatorFromEnv', () => {
  test('default is tracecontext,baggage (unset or empty)', () => {
    for (const env of [{}, { OTEL_PROPAGATORS: '' }, { OTEL_PROPAGATORS: '  ' }]) {
      const propagator = propagatorFromEnv(env);
      assert.deepEqual(propagator.fields(), ['traceparent', 'tracestate', 'baggage'], JSON.stringify(env));
      const ctx = propagation.setBaggage(spanCtx(), propagation.createBaggage({ k: { value: 'v' } }));
      assert.deepEqual(inject(propagator, ctx), {
        traceparent: `00-${TRACE_ID}-${SPAN_ID}-01`,
        baggage: 'k=v',
      });
    }
  });

  test('b3 is the single header, b3multi the X-B3 headers', () => {
    assert.deepEqual(inject(propagatorFromEnv({ OTEL_PROPAGATORS: 'b3' }), spanCtx()), {
      b3: `${TRACE_ID}-${SPAN_ID}-1`,
    });
    assert.deepEqual(inject(propagatorFromEnv({ OTEL_PROPAGATORS: 'b3multi' }), spanCtx()), {
      'x-b3-traceid': TRACE_ID,
      'x-b3-spanid': SPAN_ID,
      'x-b3-sampled': '1',
    });
  });

  test('order is kept, names are trimmed and case-insensitive, duplicates ignored', () => {
    assert.deepEqual(propagatorNames(' B3 , tracecontext,,b3, TraceContext '), ['b3', 'tracecontext']);
    const propagator = propagatorFromEnv({ OTEL_PROPAGATORS: 'baggage, tracecontext, baggage' });
    assert.deepEqual(propagator.fields(), ['baggage', 'traceparent', 'tracestate']);
  });

  test('env order decides which span context wins on extract', () => {
    const carrier = { traceparent: `00-${TRACE_ID}-${SPAN_ID}-01`, b3: `${B3_TRACE_ID}-${B3_SPAN_ID}-1` };
    const read = (value: string) =>
      trace.getSpanContext(
        propagatorFromEnv({ OTEL_PROPAGATORS: value }).extract(ROOT_CONTEXT, carrier, defaultTextMapGetter),
      )?.traceId;
    assert.equal(read('tracecontext,b3'), B3_TRACE_ID);
    assert.equal(read('b3,tracecontext'), TRACE_ID);
  });

  test('unknown names are reported once and skipped', () => {
    warnings.length = 0;
    const propagator = propagatorFromEnv({ OTEL_PROPAGATORS: 'xray-test-name,tracecontext' });
    propagatorFromEnv({ OTEL_PROPAGATORS: 'xray-test-name' });
    assert.deepEqual(propagator.fields(), ['traceparent', 'tracestate']);
    assert.equal(warnings.filter((w) => w.includes('xray-test-name')).length, 1);
  });

  test('none: a propagator that does nothing, even beside other names', () => {
    for (const value of ['none', 'NONE', 'tracecontext,none']) {
      const propagator = propagatorFromEnv({ OTEL_PROPAGATORS: value });
      assert.ok(propagator instanceof NoopPropagator, value);
      assert.deepEqual(inject(propagator, spanCtx()), {});
    }
  });

  test('reads process.env by default', () => {
    const saved = process.env.OTEL_PROPAGATORS;
    process.env.OTEL_PROPAGATORS = 'b3multi';
    try {
      assert.deepEqual(propagatorFromEnv().fields(), [
        'x-b3-traceid',
        'x-b3-spanid',
        'x-b3-sampled',
        'x-b3-flags',
      ]);
    } finally {
      if (saved === undefined) delete process.env.OTEL_PROPAGATORS;
      else process.env.OTEL_PROPAGATORS = saved;
    }
  });
});
