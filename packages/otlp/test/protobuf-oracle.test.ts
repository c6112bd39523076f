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

test('large messages: spans over 16 KiB, groups over 2 MiB, buffers that must grow', () => {
  const resource = { attributes: { big: 'r'.repeat(200_000) }, droppedAttributesCount: 0, schemaUrl: '' };
  const scope = { name: 's', version: '', attributes: {}, droppedAttributesCount: 0, schemaUrl: '' };
  const span = (i: number, attributes: Span['attributes']): Span => ({
    traceId: '0123456789abcdef0123456789abcdef',
    spanId: (i + 1).toString(16).padStart(16, '0'),
    parentSpanId: i > 0 ? '0000000000000001' : '',
    traceState: '',
    flags: 1,
    name: `span ${i}`,
    kind: 1,
    startTimeUnixNano: 1n,
    endTimeUnixNano: 2n,
    attributes,
    droppedAttributesCount: 0,
    events: [],
    droppedEventsCount: 0,
    links: [],
    droppedLinksCount: 0,
    status: { code: 0, message: '' },
    resource,
    scope,
  });
  const input = [
    span(0, { ascii: 'x'.repeat(1 << 20) }),
    span(1, { wide: 'ü😀'.repeat(100_000), list: Array.from({ length: 2000 }, (_, i) => BigInt(i) - 1000n) }),
    span(2, { bytes: new Uint8Array(1_500_000).fill(7) }),
    ...Array.from({ length: 2000 }, (_, i) => span(3 + i, { i: BigInt(i) })),
  ];
  const bytes = encodeTraceRequest(input);
  assert.ok(bytes.length > 3_000_000, `${bytes.length} bytes`);
  assert.equal(Object.getPrototypeOf(bytes), Uint8Array.prototype);
  assert.deepStrictEqual(decodeTraceRequest(bytes), input);
  assert.deepStrictEqual(oracleDecode(bytes), input);
  // A small batch after a large one still comes out exact.
  assert.deepStrictEqual(decodeTraceRequest(encodeTraceRequest([input[5]])), [input[5]]);
});

test('decodes from a view into a larger buffer, and from a Buffer, into plain Uint8Array values', () => {
  fc.assert(
    fc.property(spans, fc.nat({ max: 64 }), (input, offset) => {
      const bytes = encodeTraceRequest(input);
      const big = new Uint8Array(offset + bytes.length + 7).fill(0xff);
      big.set(bytes, offset);
      const view = big.subarray(offset, offset + bytes.length);
      assert.deepStrictEqual(decodeTraceRequest(view), groupedOrder(input));
      assert.deepStrictEqual(decodeTraceRequest(Buffer.from(view)), groupedOrder(input));
    }),
    { numRuns: 100 },
  );
});
