import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { decodeTraceRequest, encodeTraceRequest, OtlpDecodeError } from '../src/index.ts';
import { spans } from './helpers/arbitraries.ts';
import { assertDecodeError } from './helpers/decode-error.ts';
import type { Bytes } from './helpers/wire.ts';
import { fixed64, len, request, SPAN_START, str, tag, vint } from './helpers/wire.ts';

function rejects(bytes: Uint8Array | Bytes, where: string, problem: RegExp): void {
  const input = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  assertDecodeError(() => decodeTraceRequest(input), where, problem);
}

test('a varint cut off by the end of input', () => {
  rejects([0x0a, 0x80], 'byte 1', /truncated varint/);
  rejects([0x0a, 0x04, 0x12, 0xff, 0xff, 0xff], 'byte 3', /truncated varint/);
});

test('a varint of more than 10 bytes', () => {
  rejects([...tag(5, 0), ...new Array(11).fill(0xff), 0x01], 'byte 1', /longer than 10 bytes/);
});

test('a length that runs past the end of the input or of its message', () => {
  rejects([0x0a, 0x05, 0x00], 'byte 1', /length 5 runs past the end/);
  // A ResourceSpans of 3 bytes that claims a 9-byte ScopeSpans inside it.
  rejects([0x0a, 0x03, 0x12, 0x09, 0x00, 0, 0, 0, 0, 0, 0, 0, 0], 'byte 3', /length 9 runs past the end/);
});

test('a known field with the wrong wire type', () => {
  rejects(
    [...vint(1, 1)],
    'byte 0',
    /ExportTraceServiceRequest\.resource_spans has wire type varint, expected len/,
  );
  rejects(request(vint(1, 7)), `byte ${SPAN_START}`, /Span\.trace_id has wire type varint, expected len/);
  rejects(
    request(str(7, 'x')),
    `byte ${SPAN_START}`,
    /Span\.start_time_unix_nano has wire type len, expected i64/,
  );
  rejects(request(fixed64(6, 1n)), `byte ${SPAN_START}`, /Span\.kind has wire type i64, expected varint/);
});

test('ids of the wrong length', () => {
  rejects(
    request(len(1, [1, 2, 3])),
    `byte ${SPAN_START + 1}`,
    /Span\.trace_id must be 16 bytes or empty, got 3/,
  );
  rejects(request(len(2, new Array(16).fill(1))), `byte ${SPAN_START + 1}`, /Span\.span_id must be 8 bytes/);
  rejects(request(len(4, [1])), `byte ${SPAN_START + 1}`, /Span\.parent_span_id must be 8 bytes/);
  rejects(
    request(len(13, len(1, [1, 2]))),
    `byte ${SPAN_START + 3}`,
    /Span\.Link\.trace_id must be 16 bytes/,
  );
});

test('AnyValue nested deeper than 32', () => {
  // 33 nested array values: AnyValue{array_value{values: AnyValue{...}}}
  let value: Bytes = len(1, []);
  for (let i = 0; i < 32; i++) value = len(1, len(5, value));
  const ok = request(len(9, str(1, 'k'), len(2, len(5, len(1, [])))));
  assert.equal(decodeTraceRequest(ok).length, 1);
  const bytes = request(len(9, str(1, 'k'), [...tag(2, 2), ...value.slice(1)]));
  assert.throws(
    () => decodeTraceRequest(bytes),
    (e) =>
      e instanceof OtlpDecodeError && /nested deeper than 32/.test(e.message) && /^byte \d+$/.test(e.where),
  );
  let fine: Bytes = len(1, []);
  for (let i = 0; i < 31; i++) fine = len(1, len(5, fine));
  assert.equal(decodeTraceRequest(request(len(9, str(1, 'k'), [...tag(2, 2), ...fine.slice(1)]))).length, 1);
});

test('field number 0, and wire types 6 and 7', () => {
  rejects([0x00], 'byte 0', /invalid field number 0/);
  rejects([...tag(5, 7)], 'byte 0', /invalid wire type 7/);
  rejects(request(...[tag(99, 6)]), `byte ${SPAN_START}`, /invalid wire type 6/);
});

test('a message whose last field overruns its length', () => {
  // Span of 2 bytes: kind tag, then a varint whose end byte lies outside the span.
  const bytes = new Uint8Array(len(1, len(2, [0x12, 0x02, 0x30, 0x81], [0x01])));
  rejects(bytes, 'byte 8', /Span overruns its length by 1 bytes/);
});

test('truncated fixed-width fields', () => {
  rejects(request([...tag(7, 1), 1, 2, 3]), `byte ${SPAN_START + 1}`, /truncated fixed64/);
  rejects(request([...tag(16, 5), 1]), `byte ${SPAN_START + 2}`, /truncated fixed32/);
});

test('groups: skipped when unknown, rejected when unbalanced', () => {
  const group = [...tag(20, 3), ...vint(1, 5), ...tag(21, 3), ...tag(21, 4), ...tag(20, 4)];
  assert.equal(decodeTraceRequest(request(group, str(5, 'n')))[0].name, 'n');
  rejects(request(tag(20, 3), vint(1, 5)), `byte ${SPAN_START}`, /group for field 20 is not closed/);
  rejects(
    request(tag(20, 3), tag(21, 4)),
    `byte ${SPAN_START + 2}`,
    /end-group for field 21 closes group 20/,
  );
  rejects(request(tag(20, 4)), `byte ${SPAN_START}`, /unexpected end-group/);
});

test('unknown fields of every wire type are skipped at every level', () => {
  const unknown: Bytes = [
    ...vint(100, 2n ** 63n),
    ...fixed64(101, 7n),
    ...str(102, 'future'),
    ...tag(103, 5),
    1,
    2,
    3,
    4,
    ...tag(104, 3),
    ...str(1, 'in a group'),
    ...tag(104, 4),
  ];
  const attr = len(9, unknown, str(1, 'k'), unknown, len(2, unknown, str(1, 'v'), unknown));
  const span = [unknown, str(5, 'name'), unknown, attr, len(15, unknown, vint(3, 2)), unknown];
  const bytes = new Uint8Array([
    ...unknown,
    ...len(
      1,
      unknown,
      len(1, unknown, len(1, str(1, 'a'), len(2, str(1, 'b')))),
      len(2, unknown, len(2, ...span)),
    ),
  ]);
  const [s] = decodeTraceRequest(bytes);
  assert.equal(s.name, 'name');
  assert.deepStrictEqual(s.attributes, { k: 'v' });
  assert.deepStrictEqual(s.status, { code: 2, message: '' });
  assert.deepStrictEqual(s.resource.attributes, { a: 'b' });
});

test('a value given twice keeps the last one, as protobuf merges scalars', () => {
  const [s] = decodeTraceRequest(request(str(5, 'first'), str(5, 'second'), vint(6, 2), vint(6, 3)));
  assert.equal(s.name, 'second');
  assert.equal(s.kind, 3);
});

test('enum values the model does not know read as unspecified; invalid UTF-8 as U+FFFD', () => {
  const [s] = decodeTraceRequest(request(vint(6, 9), len(15, vint(3, -1)), len(5, [0x61, 0xff, 0x62])));
  assert.equal(s.kind, 0);
  assert.equal(s.status.code, 0);
  assert.equal(s.name, 'a\ufffdb');
});

function onlyDecodeErrors(bytes: Uint8Array): void {
  try {
    decodeTraceRequest(bytes);
  } catch (e) {
    if (!(e instanceof OtlpDecodeError)) throw e;
    assert.match(e.where, /^byte \d+$/);
  }
}

test('random bytes give spans or an OtlpDecodeError, never anything else', () => {
  fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), onlyDecodeErrors), { numRuns: 5000 });
});

test('damaged real requests give spans or an OtlpDecodeError, never anything else', () => {
  const damage = fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), {
    minLength: 1,
    maxLength: 4,
  });
  fc.assert(
    fc.property(spans, damage, fc.nat(), (input, hits, cut) => {
      const bytes = encodeTraceRequest(input);
      if (bytes.length === 0) return;
      for (const [i, b] of hits) bytes[i % bytes.length] = b;
      onlyDecodeErrors(bytes);
      onlyDecodeErrors(bytes.subarray(0, cut % bytes.length));
    }),
    { numRuns: 1000 },
  );
});

test('the encoder refuses ids it cannot write', () => {
  const [s] = decodeTraceRequest(request(str(5, 'x')));
  assert.throws(() => encodeTraceRequest([{ ...s, traceId: 'abc' }]), /traceId must be 32 hex digits/);
  assert.throws(() => encodeTraceRequest([{ ...s, spanId: 'zz'.repeat(8) }]), /spanId is not hex/);
});
