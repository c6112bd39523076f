import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { decodeTraceRequestJson, OtlpDecodeError } from '../src/index.ts';
import { assertDecodeError } from './helpers/decode-error.ts';

const SPAN = '$.resourceSpans[0].scopeSpans[0].spans[0]';
const span = (fields: Record<string, unknown>) =>
  JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [fields] }] }] });
const attr = (value: unknown) => span({ attributes: [{ key: 'k', value }] });

function rejects(text: string, where: string, problem: RegExp): void {
  assertDecodeError(() => decodeTraceRequestJson(text), where, problem);
}

test('JSON: text that is not JSON, or not an object', () => {
  rejects('{"resourceSpans": [', '$', /invalid JSON/);
  rejects('[]', '$', /the request must be an object/);
  rejects('{"resourceSpans": {}}', '$.resourceSpans', /resourceSpans must be an array/);
  rejects('{"resourceSpans": [1]}', '$.resourceSpans[0]', /ResourceSpans must be an object/);
  rejects(span({}).replace('[{}]', '["x"]'), SPAN, /Span must be an object/);
});

test('JSON: ids that are not hex of the right length', () => {
  rejects(span({ traceId: 'abc' }), `${SPAN}.traceId`, /32 hex digits or empty, got 3 characters/);
  rejects(span({ traceId: 'g'.repeat(32) }), `${SPAN}.traceId`, /32 hex digits/);
  rejects(span({ trace_id: 'S/m9lqPX5s2kaCH2PXXl7g==' }), `${SPAN}.traceId`, /32 hex digits/);
  rejects(span({ spanId: 12 }), `${SPAN}.spanId`, /16 hex digits or empty, got number/);
  rejects(span({ parentSpanId: 'ab' }), `${SPAN}.parentSpanId`, /16 hex digits/);
  rejects(span({ links: [{}, { spanId: 'x' }] }), `${SPAN}.links[1].spanId`, /16 hex digits/);
});

test('JSON: numbers out of range or of the wrong kind', () => {
  rejects(span({ startTimeUnixNano: '-1' }), `${SPAN}.startTimeUnixNano`, /unsigned 64-bit/);
  rejects(span({ endTimeUnixNano: '18446744073709551616' }), `${SPAN}.endTimeUnixNano`, /unsigned 64-bit/);
  rejects(span({ endTimeUnixNano: 1.5 }), `${SPAN}.endTimeUnixNano`, /unsigned 64-bit/);
  rejects(span({ droppedAttributesCount: -1 }), `${SPAN}.droppedAttributesCount`, /unsigned 32-bit/);
  rejects(span({ flags: 2 ** 32 }), `${SPAN}.flags`, /unsigned 32-bit/);
  rejects(
    span({ events: [{}, { timeUnixNano: 'soon' }] }),
    `${SPAN}.events[1].timeUnixNano`,
    /unsigned 64-bit/,
  );
  rejects(
    attr({ intValue: '9223372036854775808' }),
    `${SPAN}.attributes[0].value.intValue`,
    /64-bit integer/,
  );
  rejects(attr({ intValue: '1.5' }), `${SPAN}.attributes[0].value.intValue`, /64-bit integer/);
  rejects(attr({ doubleValue: 'fast' }), `${SPAN}.attributes[0].value.doubleValue`, /must be a number/);
});

test('JSON: enums, strings and booleans of the wrong type', () => {
  rejects(span({ kind: 'SERVER' }), `${SPAN}.kind`, /enum number or one of SPAN_KIND_UNSPECIFIED/);
  rejects(span({ status: { code: 'BAD' } }), `${SPAN}.status.code`, /STATUS_CODE_OK/);
  rejects(span({ status: 'ok' }), `${SPAN}.status`, /status must be an object/);
  rejects(span({ name: 5 }), `${SPAN}.name`, /name must be a string/);
  rejects(attr({ boolValue: 'true' }), `${SPAN}.attributes[0].value.boolValue`, /true or false/);
  rejects(span({ attributes: [{ key: 1 }] }), `${SPAN}.attributes[0].key`, /key must be a string/);
  rejects(span({ attributes: {} }), `${SPAN}.attributes`, /attributes must be an array/);
  rejects(
    JSON.stringify({ resourceSpans: [{ resource: { attributes: [{ key: 'k', value: 3 }] } }] }),
    '$.resourceSpans[0].resource.attributes[0].value',
    /AnyValue must be an object/,
  );
  rejects(
    JSON.stringify({ resourceSpans: [{ scopeSpans: [{ scope: { version: [] } }] }] }),
    '$.resourceSpans[0].scopeSpans[0].scope.version',
    /version must be a string/,
  );
});

test('JSON: AnyValue with two members, bad base64, or nested deeper than 32', () => {
  rejects(
    attr({ stringValue: 'a', intValue: '1' }),
    `${SPAN}.attributes[0].value`,
    /both stringValue and intValue/,
  );
  rejects(attr({ bytesValue: 'not base64!' }), `${SPAN}.attributes[0].value.bytesValue`, /base64/);
  rejects(
    attr({ arrayValue: { values: [{ kvlistValue: { values: [{ key: 'x', value: { intValue: 'x' } }] } }] } }),
    `${SPAN}.attributes[0].value.arrayValue.values[0].kvlistValue.values[0].value.intValue`,
    /64-bit integer/,
  );
  let deep: unknown = { stringValue: 'x' };
  for (let i = 0; i < 32; i++) deep = { arrayValue: { values: [deep] } };
  assert.throws(
    () => decodeTraceRequestJson(attr(deep)),
    (e) =>
      e instanceof OtlpDecodeError &&
      /nested deeper than 32/.test(e.message) &&
      e.where.endsWith('.values[0]'),
  );
  let fine: unknown = { stringValue: 'x' };
  for (let i = 0; i < 31; i++) fine = { arrayValue: { values: [fine] } };
  assert.equal(decodeTraceRequestJson(attr(fine)).length, 1);
});

function onlyDecodeErrors(text: string): void {
  try {
    decodeTraceRequestJson(text);
  } catch (e) {
    if (!(e instanceof OtlpDecodeError)) throw e;
    assert.match(e.where, /^\$/);
  }
}

const noise = fc.jsonValue({ maxDepth: 2 });
const few = { maxLength: 3 };
const noisy = (keys: string[]) => fc.dictionary(fc.constantFrom(...keys), noise, { noNullPrototype: true });
const SPAN_KEYS = [
  'traceId',
  'span_id',
  'parentSpanId',
  'name',
  'kind',
  'startTimeUnixNano',
  'flags',
  'status',
];

test('JSON: any JSON at any field gives spans or an OtlpDecodeError, never anything else', () => {
  const attrs = fc.array(
    fc.record({ key: noise, value: noise }, { requiredKeys: [], noNullPrototype: true }),
    few,
  );
  const anySpan = fc
    .tuple(noisy([...SPAN_KEYS, 'events', 'links']), attrs)
    .map(([s, a]) => ({ ...s, attributes: a }));
  const request = fc.record(
    {
      resourceSpans: fc.array(
        fc.record({
          resource: noise,
          scopeSpans: fc.array(fc.record({ scope: noise, spans: fc.array(anySpan, few) }), few),
        }),
        few,
      ),
    },
    { noNullPrototype: true },
  );
  fc.assert(
    fc.property(request, (r) => onlyDecodeErrors(JSON.stringify(r))),
    { numRuns: 1000 },
  );
  fc.assert(fc.property(fc.json(), onlyDecodeErrors), { numRuns: 1000 });
  fc.assert(fc.property(fc.string(), onlyDecodeErrors), { numRuns: 500 });
});
