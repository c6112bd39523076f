import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Span } from '@genba/model';
import fc from 'fast-check';
import { decodeTraceRequest, encodeTraceRequest } from '../src/index.ts';
import { groupedOrder, spans } from './helpers/arbitraries.ts';
import { oracleDecode, oracleEncode } from './helpers/oracle.ts';

const RUNS = { numRuns: 300 };

test('our encoding reads back identically in protobufjs', () => {
  fc.assert(
    fc.property(spans, (input) => {
      assert.deepStrictEqual(oracleDecode(encodeTraceRequest(input)), groupedOrder(input));
    }),
    RUNS,
  );
});

test('protobufjs encoding decodes identically with ours', () => {
  fc.assert(
    fc.property(spans, (input) => {
      assert.deepStrictEqual(decodeTraceRequest(oracleEncode(input)), groupedOrder(input));
    }),
    RUNS,
  );
});

test('encode then decode gives the spans back, sharing one resource and scope per group', () => {
  fc.assert(
    fc.property(spans, (input) => {
      const out = decodeTraceRequest(encodeTraceRequest(input));
      const expected = groupedOrder(input);
      assert.deepStrictEqual(out, expected);
      for (let i = 0; i < out.length; i++) {
        for (let j = 0; j < i; j++) {
          assert.equal(out[i].resource === out[j].resource, expected[i].resource === expected[j].resource);
          if (expected[i].resource === expected[j].resource) {
            assert.equal(out[i].scope === out[j].scope, expected[i].scope === expected[j].scope);
          }
        }
      }
    }),
    RUNS,
  );
});

test('an empty batch encodes to zero bytes and decodes to no spans', () => {
  assert.equal(encodeTraceRequest([]).length, 0);
  assert.deepStrictEqual(decodeTraceRequest(new Uint8Array(0)), []);
});

test('a span at the int64 and uint64 edges survives both directions', () => {
  const resource = {
    attributes: { 'service.name': 'edge' },
    droppedAttributesCount: 0,
    schemaUrl: 'https://x/1.0',
  };
  const scope = { name: 'é', version: '😀', attributes: {}, droppedAttributesCount: 0, schemaUrl: '' };
  const span: Span = {
    traceId: '0123456789abcdef0123456789abcdef',
    spanId: 'fedcba9876543210',
    parentSpanId: '',
    traceState: 'a=b',
    flags: 0xffffffff,
    name: 'ünïcødé 名前 😀',
    kind: 2,
    startTimeUnixNano: 2n ** 64n - 1n,
    endTimeUnixNano: 1n,
    attributes: {
      min: -(2n ** 63n),
      max: 2n ** 63n - 1n,
      neg: -1n,
      big: 2n ** 53n + 1n,
      zero: 0n,
      d0: 0,
      dneg0: -0,
      nan: Number.NaN,
      inf: Number.NEGATIVE_INFINITY,
      f: false,
      s: '',
      b: new Uint8Array(0),
      e: null,
      arr: [[], [null], { kvlist: {} }],
      kv: { kvlist: { inner: { kvlist: { deep: [1n, 'x', 2.5] } } } },
      '': 'empty key',
    },
    droppedAttributesCount: 0,
    events: [],
    droppedEventsCount: 0,
    links: [],
    droppedLinksCount: 0,
    status: { code: 2, message: 'boom' },
    resource,
    scope,
  };
  assert.deepStrictEqual(decodeTraceRequest(encodeTraceRequest([span])), [span]);
  assert.deepStrictEqual(oracleDecode(encodeTraceRequest([span])), [span]);
  assert.deepStrictEqual(decodeTraceRequest(oracleEncode([span])), [span]);
});
