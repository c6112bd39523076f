import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  decodeTraceRequest,
  decodeTraceRequestJson,
  encodeTraceRequest,
  encodeTraceRequestJson,
} from '../src/index.ts';
import { groupedOrder, spans } from './helpers/arbitraries.ts';

const RUNS = { numRuns: 300 };

test('JSON: encode then decode gives the spans back', () => {
  fc.assert(
    fc.property(spans, (input) => {
      assert.deepStrictEqual(decodeTraceRequestJson(encodeTraceRequestJson(input)), groupedOrder(input));
    }),
    RUNS,
  );
});

test('JSON and protobuf carry the same spans', () => {
  fc.assert(
    fc.property(spans, (input) => {
      assert.deepStrictEqual(
        decodeTraceRequestJson(encodeTraceRequestJson(input)),
        decodeTraceRequest(encodeTraceRequest(input)),
      );
    }),
    { numRuns: 100 },
  );
});

// Renames object keys in the text itself: a parse and stringify would lose -0.
const CAMEL =
  /"(resourceSpans|scopeSpans|schemaUrl|traceId|spanId|parentSpanId|traceState|startTimeUnixNano|endTimeUnixNano|droppedAttributesCount|droppedEventsCount|droppedLinksCount|timeUnixNano|stringValue|boolValue|intValue|doubleValue|arrayValue|kvlistValue|bytesValue)":/g;
const toSnake = (text: string) =>
  text.replace(CAMEL, (_, k: string) => `"${k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}":`);

test('JSON: proto snake_case field names read the same as lowerCamelCase', () => {
  fc.assert(
    fc.property(spans, (input) => {
      const camel = encodeTraceRequestJson(input);
      const text = toSnake(camel);
      assert.ok(text.startsWith('{"resource_spans":'));
      assert.deepStrictEqual(decodeTraceRequestJson(text), decodeTraceRequestJson(camel));
    }),
    { numRuns: 100 },
  );
});

const span = (fields: Record<string, unknown>) =>
  JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [fields] }] }] });

test('JSON: ids are hex in any case, and come out lowercase', () => {
  const [s] = decodeTraceRequestJson(
    span({ traceId: '0123456789ABCDEF0123456789abcdef', spanId: 'FEDCBA9876543210', parentSpanId: '' }),
  );
  assert.equal(s.traceId, '0123456789abcdef0123456789abcdef');
  assert.equal(s.spanId, 'fedcba9876543210');
  assert.equal(s.parentSpanId, '');
  assert.match(encodeTraceRequestJson([s]), /"traceId":"0123456789abcdef0123456789abcdef"/);
});

test('JSON: int64 as strings or numbers, enums as numbers or names, doubles as special strings', () => {
  const [s] = decodeTraceRequestJson(
    span({
      kind: 'SPAN_KIND_CONSUMER',
      startTimeUnixNano: '18446744073709551615',
      endTimeUnixNano: 1700000000000,
      droppedAttributesCount: '7',
      status: { code: 'STATUS_CODE_ERROR', message: 'x' },
      attributes: [
        { key: 'a', value: { intValue: '-9223372036854775808' } },
        { key: 'b', value: { intValue: 42 } },
        { key: 'c', value: { doubleValue: 'NaN' } },
        { key: 'd', value: { doubleValue: '-Infinity' } },
        { key: 'e', value: { doubleValue: 3 } },
        { key: 'f', value: { bytesValue: '3q2-7w' } },
        { key: 'g', value: {} },
        { key: 'h' },
        { key: 'i', value: { arrayValue: {} } },
        { key: 'j', value: { kvlist_value: { values: [{ key: 'k', value: { string_value: 'v' } }] } } },
      ],
    }),
  );
  assert.equal(s.kind, 5);
  assert.equal(s.startTimeUnixNano, 2n ** 64n - 1n);
  assert.equal(s.endTimeUnixNano, 1700000000000n);
  assert.equal(s.droppedAttributesCount, 7);
  assert.deepStrictEqual(s.status, { code: 2, message: 'x' });
  assert.deepStrictEqual(s.attributes, {
    a: -(2n ** 63n),
    b: 42n,
    c: Number.NaN,
    d: Number.NEGATIVE_INFINITY,
    e: 3,
    f: new Uint8Array([0xde, 0xad, 0xbe, 0xef]),
    g: null,
    h: null,
    i: [],
    j: { kvlist: { k: 'v' } },
  });
});

test('JSON: unknown fields are ignored at every level', () => {
  const text = JSON.stringify({
    extra: 1,
    resourceSpans: [
      {
        future: { x: [1] },
        resource: { attributes: [], entityRefs: [{}] },
        scopeSpans: [{ scope: { name: 'n', other: true }, spans: [{ name: 's', newField: 'x' }], z: null }],
      },
    ],
  });
  const [s] = decodeTraceRequestJson(text);
  assert.equal(s.name, 's');
  assert.equal(s.scope.name, 'n');
});

test('JSON output matches the shape of the OpenTelemetry JSON exporter', () => {
  const [s] = decodeTraceRequestJson(
    span({
      traceId: '0123456789abcdef0123456789abcdef',
      spanId: '0123456789abcdef',
      name: 'n',
      kind: 2,
      startTimeUnixNano: '1',
      endTimeUnixNano: '2',
      attributes: [{ key: 'i', value: { intValue: '5' } }],
    }),
  );
  const out = JSON.parse(encodeTraceRequestJson([s]));
  assert.deepStrictEqual(out, {
    resourceSpans: [
      {
        resource: { attributes: [], droppedAttributesCount: 0 },
        scopeSpans: [
          {
            scope: { name: '', version: '' },
            spans: [
              {
                traceId: '0123456789abcdef0123456789abcdef',
                spanId: '0123456789abcdef',
                name: 'n',
                kind: 2,
                startTimeUnixNano: '1',
                endTimeUnixNano: '2',
                attributes: [{ key: 'i', value: { intValue: '5' } }],
                droppedAttributesCount: 0,
                events: [],
                droppedEventsCount: 0,
                links: [],
                droppedLinksCount: 0,
                status: { code: 0 },
              },
            ],
          },
        ],
      },
    ],
  });
});

test('JSON keeps lone surrogates, which protobuf cannot carry', () => {
  const [s] = decodeTraceRequestJson(span({ name: '\ud800x\udfff' }));
  assert.equal(s.name, '\ud800x\udfff');
  assert.equal(decodeTraceRequestJson(encodeTraceRequestJson([s]))[0].name, '\ud800x\udfff');
  assert.equal(decodeTraceRequest(encodeTraceRequest([s]))[0].name, '\ufffdx\ufffd');
});

test('an attribute named __proto__ stays an ordinary attribute', () => {
  const text = span({ attributes: [{ key: '__proto__', value: { stringValue: 'x' } }] });
  const [s] = decodeTraceRequestJson(text);
  assert.equal(Object.getPrototypeOf(s.attributes), Object.prototype);
  assert.deepStrictEqual(Object.keys(s.attributes), ['__proto__']);
  assert.equal(Object.getOwnPropertyDescriptor(s.attributes, '__proto__')?.value, 'x');
  const [p] = decodeTraceRequest(encodeTraceRequest([s]));
  assert.equal(Object.getPrototypeOf(p.attributes), Object.prototype);
  assert.equal(Object.getOwnPropertyDescriptor(p.attributes, '__proto__')?.value, 'x');
  assert.match(encodeTraceRequestJson([p]), /"key":"__proto__","value":\{"stringValue":"x"\}/);
});
