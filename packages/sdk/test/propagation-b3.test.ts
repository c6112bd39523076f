import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Context, SpanContext } from '@opentelemetry/api';
import {
  defaultTextMapGetter,
  defaultTextMapSetter,
  ROOT_CONTEXT,
  TraceFlags,
  trace,
} from '@opentelemetry/api';
import { B3_DEBUG_FLAG_KEY, B3Propagator } from '../src/propagation/index.ts';
import { suppressTracing } from '../src/suppress.ts';

// Identifiers from the openzipkin/b3-propagation README examples.
const TRACE_ID = '80f198ee56343ba864fe8b2a57d3eff7';
const SPAN_ID = 'e457b5a2e4d86bd1';
const PARENT_ID = '05e3ac9a4f6e3b90';
const TRACE_ID_64 = '463ac35c9f6413ad';

type Carrier = Record<string, string | string[]>;
const single = new B3Propagator();
const multi = new B3Propagator({ injectEncoding: 'multi' });

function extractCtx(carrier: Carrier, ctx: Context = ROOT_CONTEXT): Context {
  return single.extract(ctx, carrier, defaultTextMapGetter);
}
function extract(carrier: Carrier): SpanContext | undefined {
  return trace.getSpanContext(extractCtx(carrier));
}
const isDebug = (ctx: Context) => ctx.getValue(B3_DEBUG_FLAG_KEY) === true;

function inject(propagator: B3Propagator, ctx: Context): Carrier {
  const carrier: Carrier = {};
  propagator.inject(ctx, carrier, defaultTextMapSetter);
  return carrier;
}
const withSpan = (traceFlags: number, traceId = TRACE_ID, spanId = SPAN_ID) =>
  trace.setSpanContext(ROOT_CONTEXT, { traceId, spanId, traceFlags });

describe('B3 single header extraction', () => {
  const cases: Array<[string, number | null, boolean?]> = [
    [`${TRACE_ID}-${SPAN_ID}-1-${PARENT_ID}`, TraceFlags.SAMPLED],
    [`${TRACE_ID}-${SPAN_ID}-1`, TraceFlags.SAMPLED],
    [`${TRACE_ID}-${SPAN_ID}-0`, TraceFlags.NONE],
    [`${TRACE_ID}-${SPAN_ID}`, TraceFlags.NONE], // defer
    [`${TRACE_ID}-${SPAN_ID}-d`, TraceFlags.SAMPLED, true],
    [`${TRACE_ID}-${SPAN_ID}-d-${PARENT_ID}`, TraceFlags.SAMPLED, true],
    [` \t${TRACE_ID}-${SPAN_ID}-1 `, TraceFlags.SAMPLED],
    [`${TRACE_ID.toUpperCase()}-${SPAN_ID}-1`, null],
    [`${TRACE_ID}-${SPAN_ID.toUpperCase()}-1`, null],
    [`${TRACE_ID.slice(1)}-${SPAN_ID}-1`, null],
    [`${TRACE_ID}0-${SPAN_ID}-1`, null],
    [`${TRACE_ID_64.slice(1)}-${SPAN_ID}-1`, null],
    [`${'0'.repeat(32)}-${SPAN_ID}-1`, null],
    [`${'0'.repeat(16)}-${SPAN_ID}-1`, null],
    [`${TRACE_ID}-${'0'.repeat(16)}-1`, null],
    [`${TRACE_ID}-${SPAN_ID.slice(1)}-1`, null],
    [`${TRACE_ID}-${SPAN_ID}-2`, null],
    [`${TRACE_ID}-${SPAN_ID}-true`, null],
    [`${TRACE_ID}-${SPAN_ID}-D`, null],
    [`${TRACE_ID}-${SPAN_ID}-`, null],
    [`${TRACE_ID}-${SPAN_ID}-1-`, null],
    [`${TRACE_ID}-${SPAN_ID}-1-${PARENT_ID.slice(1)}`, null],
    [`${TRACE_ID}-${SPAN_ID}-${PARENT_ID}`, null], // the third field is sampling, not a parent
    [`${TRACE_ID}-${SPAN_ID}-1-${PARENT_ID}-x`, null],
    [TRACE_ID, null],
    ['', null],
  ];
  for (const [header, flags, debug = false] of cases) {
    test(`${flags === null ? 'rejects' : 'accepts'} ${JSON.stringify(header)}`, () => {
      const ctx = extractCtx({ b3: header });
      const sc = trace.getSpanContext(ctx);
      if (flags === null) {
        assert.equal(sc, undefined);
        return;
      }
      assert.deepEqual(sc, { traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: flags, isRemote: true });
      assert.equal(isDebug(ctx), debug);
    });
  }

  test('a 64-bit trace id is left-padded to 128 bits', () => {
    assert.equal(extract({ b3: `${TRACE_ID_64}-${SPAN_ID}-1` })?.traceId, `${'0'.repeat(16)}${TRACE_ID_64}`);
  });

  test('sampling state alone carries no ids; d still marks debug', () => {
    for (const state of ['0', '1', 'd']) {
      const ctx = extractCtx({ b3: state });
      assert.equal(trace.getSpanContext(ctx), undefined, state);
      assert.equal(isDebug(ctx), state === 'd', state);
    }
  });

  test('repeated b3 headers: the first one is used', () => {
    assert.equal(
      extract({ b3: [`${TRACE_ID}-${SPAN_ID}-1`, `${TRACE_ID_64}-${PARENT_ID}-0`] })?.spanId,
      SPAN_ID,
    );
  });
});

describe('B3 multi header extraction', () => {
  const ids = { 'x-b3-traceid': TRACE_ID, 'x-b3-spanid': SPAN_ID };

  test('the README example', () => {
    const sc = extract({ ...ids, 'x-b3-parentspanid': PARENT_ID, 'x-b3-sampled': '1' });
    assert.deepEqual(sc, {
      traceId: TRACE_ID,
      spanId: SPAN_ID,
      traceFlags: TraceFlags.SAMPLED,
      isRemote: true,
    });
  });

  test('sampling values, including the legacy true/false', () => {
    for (const [value, flags] of [
      ['1', 1],
      ['0', 0],
      ['true', 1],
      ['false', 0],
    ] as const) {
      assert.equal(extract({ ...ids, 'x-b3-sampled': value })?.traceFlags, flags, value);
    }
    assert.equal(extract(ids)?.traceFlags, TraceFlags.NONE); // defer
  });

  test('debug is X-B3-Flags: 1 and implies sampled', () => {
    const ctx = extractCtx({ ...ids, 'x-b3-flags': '1' });
    assert.equal(trace.getSpanContext(ctx)?.traceFlags, TraceFlags.SAMPLED);
    assert.ok(isDebug(ctx));
    assert.equal(extract({ ...ids, 'x-b3-flags': '1', 'x-b3-sampled': '0' })?.traceFlags, TraceFlags.SAMPLED);
  });

  test('other X-B3-Flags values are ignored', () => {
    for (const value of ['0', '2', 'd', '']) {
      const ctx = extractCtx({ ...ids, 'x-b3-flags': value, 'x-b3-sampled': '0' });
      assert.equal(trace.getSpanContext(ctx)?.traceFlags, TraceFlags.NONE, value);
      assert.equal(isDebug(ctx), false, value);
    }
  });

  test('a 64-bit trace id is left-padded', () => {
    assert.equal(
      extract({ ...ids, 'x-b3-traceid': TRACE_ID_64 })?.traceId,
      `${'0'.repeat(16)}${TRACE_ID_64}`,
    );
  });

  test('malformed or incomplete headers extract nothing', () => {
    const carriers: Carrier[] = [
      { 'x-b3-traceid': TRACE_ID },
      { 'x-b3-spanid': SPAN_ID, 'x-b3-sampled': '1' },
      { ...ids, 'x-b3-sampled': '' }, // empty is malformed, not defer
      { ...ids, 'x-b3-sampled': 'yes' },
      { ...ids, 'x-b3-sampled': 'True' },
      { ...ids, 'x-b3-parentspanid': '-' },
      { ...ids, 'x-b3-parentspanid': '' },
      { ...ids, 'x-b3-traceid': TRACE_ID.toUpperCase() },
      { ...ids, 'x-b3-traceid': '0'.repeat(32) },
      { ...ids, 'x-b3-spanid': '0'.repeat(16) },
      { ...ids, 'x-b3-spanid': `${SPAN_ID}0` },
    ];
    for (const carrier of carriers) {
      assert.equal(extract(carrier), undefined, JSON.stringify(carrier));
    }
  });

  test('sampling state alone carries no ids', () => {
    assert.equal(extract({ 'x-b3-sampled': '0' }), undefined);
    assert.ok(isDebug(extractCtx({ 'x-b3-flags': '1' })));
  });

  test('repeated headers: the first value wins', () => {
    const sc = extract({
      'x-b3-traceid': [TRACE_ID, TRACE_ID_64],
      'x-b3-spanid': [SPAN_ID, 'bad'],
      'x-b3-sampled': ['1', '0'],
    });
    assert.deepEqual(sc, { traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: 1, isRemote: true });
  });
});

describe('B3 precedence', () => {
  test('the single header wins over multi headers', () => {
    const sc = extract({
      b3: `${TRACE_ID}-${SPAN_ID}-1`,
      'x-b3-traceid': TRACE_ID_64,
      'x-b3-spanid': PARENT_ID,
      'x-b3-sampled': '0',
    });
    assert.deepEqual(sc, { traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: 1, isRemote: true });
  });

  test('a sampling-only single header still takes precedence', () => {
    assert.equal(extract({ b3: '0', 'x-b3-traceid': TRACE_ID, 'x-b3-spanid': SPAN_ID }), undefined);
  });

  test('a malformed single header falls back to multi headers', () => {
    const sc = extract({
      b3: 'garbage',
      'x-b3-traceid': TRACE_ID,
      'x-b3-spanid': SPAN_ID,
      'x-b3-sampled': '1',
    });
    assert.equal(sc?.spanId, SPAN_ID);
  });

  test('no B3 at all leaves the context as it was', () => {
    const ctx = ROOT_CONTEXT.setValue(B3_DEBUG_FLAG_KEY, true);
    assert.equal(extractCtx({}, ctx), ctx);
  });

  test('a non-debug extraction clears an earlier debug mark', () => {
    const ctx = ROOT_CONTEXT.setValue(B3_DEBUG_FLAG_KEY, true);
    assert.equal(isDebug(extractCtx({ b3: `${TRACE_ID}-${SPAN_ID}-1` }, ctx)), false);
  });
});

describe('B3 injection', () => {
  test('single: trace-span-sampling', () => {
    assert.deepEqual(inject(single, withSpan(TraceFlags.SAMPLED)), { b3: `${TRACE_ID}-${SPAN_ID}-1` });
    assert.deepEqual(inject(single, withSpan(TraceFlags.NONE)), { b3: `${TRACE_ID}-${SPAN_ID}-0` });
    assert.deepEqual(inject(single, withSpan(TraceFlags.SAMPLED).setValue(B3_DEBUG_FLAG_KEY, true)), {
      b3: `${TRACE_ID}-${SPAN_ID}-d`,
    });
  });

  test('multi: ids and Sampled, or Flags instead of Sampled for debug', () => {
    assert.deepEqual(inject(multi, withSpan(TraceFlags.SAMPLED)), {
      'x-b3-traceid': TRACE_ID,
      'x-b3-spanid': SPAN_ID,
      'x-b3-sampled': '1',
    });
    assert.equal(inject(multi, withSpan(TraceFlags.NONE))['x-b3-sampled'], '0');
    assert.deepEqual(inject(multi, withSpan(TraceFlags.SAMPLED).setValue(B3_DEBUG_FLAG_KEY, true)), {
      'x-b3-traceid': TRACE_ID,
      'x-b3-spanid': SPAN_ID,
      'x-b3-flags': '1',
    });
  });

  test('nothing for an invalid span context or when suppressed', () => {
    for (const propagator of [single, multi]) {
      assert.deepEqual(inject(propagator, ROOT_CONTEXT), {});
      assert.deepEqual(inject(propagator, withSpan(1, '0'.repeat(32))), {});
      assert.deepEqual(inject(propagator, withSpan(1, TRACE_ID, 'xyz')), {});
      assert.deepEqual(inject(propagator, suppressTracing(withSpan(1))), {});
    }
  });

  test('debug survives extract → inject in both encodings', () => {
    const fromSingle = extractCtx({ b3: `${TRACE_ID}-${SPAN_ID}-d` });
    assert.equal(inject(single, fromSingle).b3, `${TRACE_ID}-${SPAN_ID}-d`);
    assert.equal(inject(multi, fromSingle)['x-b3-flags'], '1');
    const fromMulti = extractCtx({ 'x-b3-traceid': TRACE_ID, 'x-b3-spanid': SPAN_ID, 'x-b3-flags': '1' });
    assert.equal(inject(single, fromMulti).b3, `${TRACE_ID}-${SPAN_ID}-d`);
  });

  test('round trips: multi → multi, and a 64-bit id comes back padded', () => {
    const carrier = inject(multi, withSpan(TraceFlags.SAMPLED));
    assert.deepEqual(extract(carrier), { traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: 1, isRemote: true });
    const padded = extractCtx({ b3: `${TRACE_ID_64}-${SPAN_ID}-0` });
    assert.equal(inject(single, padded).b3, `${'0'.repeat(16)}${TRACE_ID_64}-${SPAN_ID}-0`);
  });

  test('fields follow the inject encoding', () => {
    assert.deepEqual(single.fields(), ['b3']);
    assert.deepEqual(new B3Propagator({ injectEncoding: 'single' }).fields(), ['b3']);
    assert.deepEqual(multi.fields(), ['x-b3-traceid', 'x-b3-spanid', 'x-b3-sampled', 'x-b3-flags']);
  });
});
