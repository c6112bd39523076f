import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import type { Context, SpanContext } from '@opentelemetry/api';
import {
  defaultTextMapGetter,
  defaultTextMapSetter,
  ROOT_CONTEXT,
  TraceFlags,
  trace,
} from '@opentelemetry/api';
import { TraceState, W3CTraceContextPropagator } from '../src/propagation/index.ts';
import { suppressTracing } from '../src/suppress.ts';

interface Vector {
  name: string;
  header: string;
  expect: { traceId: string; spanId: string; traceFlags: number } | null;
}
const vectors: { traceparent: Vector[] } = JSON.parse(
  readFileSync(new URL('./fixtures/propagation/traceparent.json', import.meta.url), 'utf8'),
);

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN_ID = '00f067aa0ba902b7';
const TRACEPARENT = `00-${TRACE_ID}-${SPAN_ID}-01`;
const propagator = new W3CTraceContextPropagator();

type Carrier = Record<string, string | string[]>;

function extract(carrier: Carrier): SpanContext | undefined {
  return trace.getSpanContext(propagator.extract(ROOT_CONTEXT, carrier, defaultTextMapGetter));
}

function inject(context: Context): Carrier {
  const carrier: Carrier = {};
  propagator.inject(context, carrier, defaultTextMapSetter);
  return carrier;
}

function withSpan(spanContext: SpanContext): Context {
  return trace.setSpanContext(ROOT_CONTEXT, spanContext);
}

describe('traceparent extraction vectors', () => {
  assert.ok(vectors.traceparent.length > 40);
  for (const vector of vectors.traceparent) {
    test(`${vector.expect ? 'accepts' : 'rejects'}: ${vector.name}`, () => {
      const sc = extract({ traceparent: vector.header, tracestate: 'congo=t61rcWkgMzE' });
      if (vector.expect === null) {
        assert.equal(sc, undefined);
        return;
      }
      assert.ok(sc);
      assert.equal(sc.traceId, vector.expect.traceId);
      assert.equal(sc.spanId, vector.expect.spanId);
      assert.equal(sc.traceFlags, vector.expect.traceFlags);
      assert.equal(sc.isRemote, true);
      assert.equal(sc.traceState?.get('congo'), 't61rcWkgMzE');
    });
  }
});

describe('W3CTraceContextPropagator.extract', () => {
  test('no traceparent: nothing extracted, a lone tracestate is discarded', () => {
    assert.equal(extract({ tracestate: 'foo=1' }), undefined);
    assert.equal(extract({}), undefined);
  });

  test('keeps the incoming context when nothing is extracted', () => {
    const key = Symbol('other');
    const ctx = ROOT_CONTEXT.setValue(key, 42);
    const out = propagator.extract(ctx, { traceparent: 'garbage' }, defaultTextMapGetter);
    assert.equal(out, ctx);
  });

  test('a single-element array is one header', () => {
    assert.equal(extract({ traceparent: [TRACEPARENT] })?.traceId, TRACE_ID);
  });

  test('two traceparent headers are invalid, even when identical', () => {
    assert.equal(extract({ traceparent: [TRACEPARENT, TRACEPARENT] }), undefined);
    assert.equal(
      extract({ traceparent: [TRACEPARENT, `00-${'1'.repeat(32)}-${SPAN_ID}-01`], tracestate: 'a=1' }),
      undefined,
    );
  });

  test('an invalid traceparent means tracestate is not used', () => {
    const ctx = propagator.extract(
      ROOT_CONTEXT,
      { traceparent: `00-${TRACE_ID}-${SPAN_ID}-0x`, tracestate: 'foo=1' },
      defaultTextMapGetter,
    );
    assert.equal(trace.getSpanContext(ctx), undefined);
  });

  test('an invalid tracestate does not affect traceparent', () => {
    const sc = extract({ traceparent: TRACEPARENT, tracestate: 'foo=bar=baz' });
    assert.equal(sc?.traceId, TRACE_ID);
    assert.equal(sc?.traceState, undefined);
  });

  test('an empty tracestate header gives no trace state', () => {
    const sc = extract({ traceparent: TRACEPARENT, tracestate: '' });
    assert.equal(sc?.traceId, TRACE_ID);
    assert.equal(sc?.traceState, undefined);
  });

  test('repeated tracestate headers are combined in order', () => {
    const sc = extract({
      traceparent: TRACEPARENT,
      tracestate: ['foo=1,bar=2', 'rojo=1,congo=2', '', 'baz=3'],
    });
    assert.equal(sc?.traceState?.serialize(), 'foo=1,bar=2,rojo=1,congo=2,baz=3');
  });

  test('32 members over several headers are kept, 33 discard the whole tracestate', () => {
    const members = Array.from({ length: 33 }, (_, i) => `bar${String(i + 1).padStart(2, '0')}=${i + 1}`);
    const chunks = (list: string[]) =>
      [list.slice(0, 10), list.slice(10, 20), list.slice(20)].map((c) => c.join(','));
    const kept = extract({ traceparent: TRACEPARENT, tracestate: chunks(members.slice(0, 32)) });
    assert.equal((kept?.traceState as TraceState).size, 32);
    assert.equal(kept?.traceState?.get('bar01'), '1');
    const dropped = extract({ traceparent: TRACEPARENT, tracestate: chunks(members) });
    assert.equal(dropped?.traceId, TRACE_ID);
    assert.equal(dropped?.traceState, undefined);
  });

  test('the extracted trace state is the SDK TraceState', () => {
    const sc = extract({ traceparent: TRACEPARENT, tracestate: 'rojo=00f067aa0ba902b7,congo=t61rcWkgMzE' });
    assert.ok(sc?.traceState instanceof TraceState);
  });
});

describe('W3CTraceContextPropagator.inject', () => {
  test('writes version 00 and the two-hex flags', () => {
    const carrier = inject(withSpan({ traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: TraceFlags.SAMPLED }));
    assert.deepEqual(carrier, { traceparent: TRACEPARENT });
    const unsampled = inject(withSpan({ traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: TraceFlags.NONE }));
    assert.equal(unsampled.traceparent, `00-${TRACE_ID}-${SPAN_ID}-00`);
  });

  test('keeps the random flag, zeroes reserved bits', () => {
    const random = inject(withSpan({ traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: 0x03 }));
    assert.equal(random.traceparent, `00-${TRACE_ID}-${SPAN_ID}-03`);
    const reserved = inject(withSpan({ traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: 0xfd }));
    assert.equal(reserved.traceparent, `00-${TRACE_ID}-${SPAN_ID}-01`);
  });

  test('writes tracestate only when it has members', () => {
    const state = new TraceState().set('congo', 't61rcWkgMzE').set('rojo', '00f067aa0ba902b7');
    const carrier = inject(
      withSpan({ traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: 1, traceState: state }),
    );
    assert.equal(carrier.tracestate, 'rojo=00f067aa0ba902b7,congo=t61rcWkgMzE');
    const empty = inject(
      withSpan({ traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: 1, traceState: new TraceState() }),
    );
    assert.deepEqual(Object.keys(empty), ['traceparent']);
  });

  test('nothing for an invalid span context', () => {
    for (const bad of [
      { traceId: '0'.repeat(32), spanId: SPAN_ID },
      { traceId: TRACE_ID, spanId: '0'.repeat(16) },
      { traceId: TRACE_ID.toUpperCase(), spanId: SPAN_ID },
      { traceId: TRACE_ID.slice(1), spanId: SPAN_ID },
    ]) {
      assert.deepEqual(inject(withSpan({ ...bad, traceFlags: 1 })), {}, JSON.stringify(bad));
    }
    assert.deepEqual(inject(ROOT_CONTEXT), {});
  });

  test('nothing when tracing is suppressed', () => {
    const ctx = suppressTracing(withSpan({ traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: 1 }));
    assert.deepEqual(inject(ctx), {});
  });

  test('round trip: inject then extract gives the same context back, remote', () => {
    const traceState = new TraceState('a=1,b@c=2');
    const carrier = inject(withSpan({ traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: 3, traceState }));
    const sc = extract(carrier);
    assert.equal(sc?.traceId, TRACE_ID);
    assert.equal(sc?.spanId, SPAN_ID);
    assert.equal(sc?.traceFlags, 3);
    assert.equal(sc?.isRemote, true);
    assert.equal(sc?.traceState?.serialize(), 'a=1,b@c=2');
  });

  test('a future version is downgraded to 00 on the way out', () => {
    const sc = extract({ traceparent: `cc-${TRACE_ID}-${SPAN_ID}-01-extra` });
    assert.ok(sc);
    assert.equal(inject(withSpan(sc)).traceparent, TRACEPARENT);
  });

  test('fields', () => {
    assert.deepEqual(propagator.fields(), ['traceparent', 'tracestate']);
  });
});
