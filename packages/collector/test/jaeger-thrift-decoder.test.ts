/** The hand-written Thrift readers: both protocols, both binary headers, skipping, and hostile input. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { mulberry32 } from '@genba/model';
import {
  decodeBatch,
  decodeEmitBatch,
  type JaegerBatch,
  SpanRefType,
  TagType,
} from '../src/receivers/jaeger/jaeger-thrift-decoder.ts';
import { jaegerBatchToSpans } from '../src/receivers/jaeger/jaeger-to-spans.ts';
import { ThriftDecodeError } from '../src/receivers/jaeger/thrift-reader.ts';
import { BinaryWriter, CompactWriter, emitBatch, T, writeBatch } from './support/jaeger-thrift-writer.ts';

const ascii = (s: string) => [...Buffer.from(s, 'ascii')];

/**
 * An emitBatch message in the compact protocol, derived byte by byte from the compact spec
 * (doc/specs/thrift-compact-protocol.md) and jaeger.thrift's field ids.
 */
const HAND_COMPACT = Buffer.from([
  0x82,
  0x81,
  0x00,
  0x09,
  ...ascii('emitBatch'), // protocol id; type ONEWAY(4)<<5 | version 1; seq 0; name
  0x1c, // args field 1 (delta 1), STRUCT: the Batch
  0x1c, // Batch.process (1), STRUCT
  0x18,
  0x03,
  ...ascii('svc'), // Process.serviceName (1), BINARY
  0x19,
  0x1c, // Process.tags (2), LIST; 1 element of STRUCT
  0x18,
  0x02,
  ...ascii('ip'),
  0x15,
  0x00,
  0x18,
  0x01,
  ...ascii('x'),
  0x00, // Tag{key, vType STRING, vStr}
  0x00, // end of Process
  0x19,
  0x1c, // Batch.spans (2), LIST; 1 STRUCT
  0x16,
  0x02, // traceIdLow (1) = zigzag 2 → 1
  0x16,
  0x01, // traceIdHigh (2) = zigzag 1 → -1
  0x16,
  0x04, // spanId (3) = 2
  0x16,
  0x00, // parentSpanId (4) = 0
  0x18,
  0x02,
  ...ascii('op'), // operationName (5)
  0x25,
  0x02, // flags (7, delta 2), I32 = 1
  0x16,
  0xd8,
  0x04, // startTime (8) = zigzag 600 → 300 µs
  0x16,
  0x0a, // duration (9) = 5 µs
  0x19,
  0x2c, // tags (10), LIST of 2 STRUCT
  0x18,
  0x05,
  ...ascii('error'),
  0x15,
  0x04,
  0x31,
  0x00, // key, vType BOOL(2), vBool (5, delta 3) TRUE in the header
  0x18,
  0x01,
  ...ascii('d'),
  0x15,
  0x02,
  0x27,
  0,
  0,
  0,
  0,
  0,
  0,
  0xf8,
  0x3f,
  0x00, // vType DOUBLE, vDouble (4) 1.5 LE
  0x19,
  0x1c, // logs (11), LIST of 1 STRUCT
  0x16,
  0xda,
  0x04, // Log.timestamp (1) = 301 µs
  0x19,
  0x1c,
  0x18,
  0x05,
  ...ascii('event'),
  0x15,
  0x00,
  0x18,
  0x04,
  ...ascii('boom'),
  0x00, // fields: event=boom
  0x00, // end of Log
  0x05,
  0xc8,
  0x01,
  0x0e, // unknown field 100 (long form: zigzag i16 200), I32 7: skipped
  0x00, // end of Span
  0x00, // end of Batch
  0x00, // end of args
]);

const now = 1_700_000_000_000_000n;
const batch: JaegerBatch = {
  process: {
    serviceName: 'checkout',
    tags: [
      { key: 'hostname', vType: TagType.STRING, vStr: 'box-1' },
      { key: 'cpus', vType: TagType.LONG, vLong: 8n },
    ],
  },
  spans: [
    {
      traceIdLow: -2n,
      traceIdHigh: 0x0123456789abcdefn,
      spanId: 10n,
      parentSpanId: 0n,
      operationName: 'GET /cart',
      references: [],
      flags: 1,
      startTime: now,
      duration: 1500n,
      tags: [
        { key: 'span.kind', vType: TagType.STRING, vStr: 'server' },
        { key: 'http.method', vType: TagType.STRING, vStr: 'GET' },
        { key: 'retry', vType: TagType.BOOL, vBool: false },
        { key: 'big', vType: TagType.LONG, vLong: -(2n ** 62n) },
        { key: 'ratio', vType: TagType.DOUBLE, vDouble: 0.25 },
        { key: 'blob', vType: TagType.BINARY, vBinary: new Uint8Array([0, 1, 255]) },
      ],
      logs: [{ timestamp: now + 10n, fields: [{ key: 'event', vType: TagType.STRING, vStr: 'cache miss' }] }],
    },
    {
      traceIdLow: -2n,
      traceIdHigh: 0x0123456789abcdefn,
      spanId: 11n,
      parentSpanId: 0n,
      operationName: 'SELECT',
      references: [
        { refType: SpanRefType.CHILD_OF, traceIdLow: -2n, traceIdHigh: 0x0123456789abcdefn, spanId: 10n },
        { refType: SpanRefType.FOLLOWS_FROM, traceIdLow: 5n, traceIdHigh: 0n, spanId: 99n },
      ],
      flags: 1,
      startTime: now + 100n,
      duration: 700n,
      tags: [{ key: 'span.kind', vType: TagType.STRING, vStr: 'client' }],
      logs: [],
    },
  ],
};

function expectDecodeError(f: () => unknown, pattern: RegExp): void {
  assert.throws(f, (err: unknown) => {
    assert.ok(err instanceof ThriftDecodeError, `expected ThriftDecodeError, got ${String(err)}`);
    assert.match(err.message, pattern);
    return true;
  });
}

describe('Thrift compact protocol', () => {
  test('a byte vector derived from the spec decodes to the expected batch and spans', () => {
    const b = decodeEmitBatch(HAND_COMPACT, 'compact');
    assert.equal(b.process?.serviceName, 'svc');
    assert.deepEqual(b.process?.tags, [{ key: 'ip', vType: TagType.STRING, vStr: 'x' }]);
    assert.equal(b.spans.length, 1);
    const [s] = jaegerBatchToSpans(b);
    assert.equal(s.traceId, 'ffffffffffffffff0000000000000001');
    assert.equal(s.spanId, '0000000000000002');
    assert.equal(s.parentSpanId, '');
    assert.equal(s.name, 'op');
    assert.equal(s.startTimeUnixNano, 300_000n);
    assert.equal(s.endTimeUnixNano, 305_000n);
    assert.deepEqual(s.attributes, { d: 1.5 });
    assert.deepEqual(s.status, { code: 2, message: '' });
    assert.deepEqual(s.events, [
      { timeUnixNano: 301_000n, name: 'boom', attributes: {}, droppedAttributesCount: 0 },
    ]);
    assert.deepEqual(s.resource.attributes, { 'service.name': 'svc', ip: 'x' });
  });

  test('the test writer produces exactly the hand-derived bytes', () => {
    // Guards the writer that the other tests rely on against the spec-derived vector.
    const w = new CompactWriter();
    w.message('emitBatch', 4, 0).structBegin().field(T.STRUCT, 1);
    w.structBegin().field(T.STRUCT, 1).structBegin().field(T.STRING, 1).string('svc');
    w.field(T.LIST, 2).listBegin(T.STRUCT, 1).structBegin().field(T.STRING, 1).string('ip');
    w.field(T.I32, 2).i32(0).field(T.STRING, 3).string('x').structEnd().structEnd();
    w.field(T.LIST, 2).listBegin(T.STRUCT, 1).structBegin();
    w.field(T.I64, 1).i64(1n).field(T.I64, 2).i64(-1n).field(T.I64, 3).i64(2n).field(T.I64, 4).i64(0n);
    w.field(T.STRING, 5)
      .string('op')
      .field(T.I32, 7)
      .i32(1)
      .field(T.I64, 8)
      .i64(300n)
      .field(T.I64, 9)
      .i64(5n);
    w.field(T.LIST, 10).listBegin(T.STRUCT, 2);
    w.structBegin().field(T.STRING, 1).string('error').field(T.I32, 2).i32(2).fieldBool(5, true).structEnd();
    w.structBegin()
      .field(T.STRING, 1)
      .string('d')
      .field(T.I32, 2)
      .i32(1)
      .field(T.DOUBLE, 4)
      .double(1.5)
      .structEnd();
    w.field(T.LIST, 11).listBegin(T.STRUCT, 1).structBegin().field(T.I64, 1).i64(301n);
    w.field(T.LIST, 2).listBegin(T.STRUCT, 1).structBegin().field(T.STRING, 1).string('event');
    w.field(T.I32, 2).i32(0).field(T.STRING, 3).string('boom').structEnd().structEnd();
    w.field(T.I32, 100).i32(7).structEnd().structEnd().structEnd();
    assert.deepEqual(w.bytes(), HAND_COMPACT);
  });

  test('compact and binary encodings of one batch decode to the same spans', () => {
    const compact = decodeEmitBatch(emitBatch(new CompactWriter(), batch), 'compact');
    const binary = decodeEmitBatch(emitBatch(new BinaryWriter(), batch), 'binary');
    assert.deepEqual(compact, batch);
    assert.deepEqual(binary, batch);
    assert.deepEqual(jaegerBatchToSpans(compact), jaegerBatchToSpans(binary));
  });

  test('long lists (15+ elements) use the long list header', () => {
    const many: JaegerBatch = {
      ...batch,
      spans: Array.from({ length: 40 }, (_, i) => ({ ...batch.spans[0], spanId: BigInt(i + 1) })),
    };
    assert.deepEqual(decodeEmitBatch(emitBatch(new CompactWriter(), many), 'compact'), many);
  });

  test('unknown fields of every type are skipped: map, set, list<bool>, uuid, nested struct', () => {
    const w = new CompactWriter();
    w.message('emitBatch', 1, 7).structBegin().field(T.STRUCT, 1).structBegin();
    w.field(T.LIST, 2).listBegin(T.STRUCT, 1).structBegin().field(T.I64, 3).i64(42n);
    w.field(T.MAP, 20)
      .varint(2n)
      .raw((8 << 4) | 5)
      .string('a')
      .i32(1)
      .string('b')
      .i32(-2); // map<string,i32>
    w.field(T.SET, 21).listBegin(T.I64, 2).i64(1n).i64(2n);
    w.field(T.LIST, 22).raw(0x32, 1, 2, 0); // list<bool> of 3 (element type 2): 1 true, 2 and 0 false
    w.raw(0xd0 | 13).raw(...new Array(16).fill(7)); // uuid field 35 (delta 13)
    w.field(T.STRUCT, 40).structBegin().field(T.STRING, 1).string('x').fieldBool(2, true).structEnd();
    w.field(T.STRING, 5).string('after-unknowns');
    w.structEnd().structEnd().structEnd();
    const b = decodeEmitBatch(w.bytes(), 'compact');
    assert.equal(b.spans[0].spanId, 42n);
    assert.equal(b.spans[0].operationName, 'after-unknowns');
  });

  test('a field of an unexpected type is skipped, not misread', () => {
    const w = new CompactWriter();
    w.structBegin().field(T.LIST, 2).listBegin(T.STRUCT, 1).structBegin();
    w.field(T.STRING, 3).string('not an i64').field(T.STRING, 5).string('op').structEnd().structEnd();
    const b = decodeBatch(w.bytes(), 'compact');
    assert.equal(b.spans[0].spanId, 0n);
    assert.equal(b.spans[0].operationName, 'op');
  });
});

describe('Thrift binary protocol', () => {
  test('strict and old-style (non-strict) message headers both decode', () => {
    assert.deepEqual(decodeEmitBatch(emitBatch(new BinaryWriter(true), batch), 'binary'), batch);
    assert.deepEqual(decodeEmitBatch(emitBatch(new BinaryWriter(false), batch), 'binary'), batch);
    assert.deepEqual(decodeEmitBatch(emitBatch(new BinaryWriter(true), batch, 1), 'binary'), batch); // CALL
  });

  test('a bare Batch (the HTTP body) decodes', () => {
    assert.deepEqual(decodeBatch(writeBatch(new BinaryWriter(), batch).bytes()), batch);
  });

  test('a bad version word is refused', () => {
    const bytes = emitBatch(new BinaryWriter(true), batch);
    bytes[1] = 0x02;
    expectDecodeError(() => decodeEmitBatch(bytes, 'binary'), /bad binary protocol version 0x80020004/);
  });
});

describe('messages the agent does not take', () => {
  test('emitZipkinBatch and unknown methods are named', () => {
    const zipkin = new CompactWriter().message('emitZipkinBatch', 4, 0).structBegin().structEnd().bytes();
    expectDecodeError(() => decodeEmitBatch(zipkin, 'compact'), /emitZipkinBatch .* not supported/);
    const other = new BinaryWriter().message('getSamplingStrategy', 1, 0).structEnd().bytes();
    expectDecodeError(() => decodeEmitBatch(other, 'binary'), /unknown method "getSamplingStrategy"/);
  });

  test('a reply, a wrong protocol id and a missing batch are refused', () => {
    const reply = new CompactWriter().message('emitBatch', 2, 0).structBegin().structEnd().bytes();
    expectDecodeError(() => decodeEmitBatch(reply, 'compact'), /message type 2 is not a call/);
    const binaryOnCompact = emitBatch(new BinaryWriter(), batch);
    expectDecodeError(() => decodeEmitBatch(binaryOnCompact, 'compact'), /bad compact protocol id 0x80/);
    const empty = new CompactWriter().message('emitBatch', 4, 0).structBegin().structEnd().bytes();
    expectDecodeError(() => decodeEmitBatch(empty, 'compact'), /carries no batch/);
  });
});

describe('hostile input', () => {
  for (const protocol of ['compact', 'binary'] as const) {
    const good = emitBatch(protocol === 'compact' ? new CompactWriter() : new BinaryWriter(), batch);

    test(`${protocol}: every truncation is a ThriftDecodeError`, () => {
      for (let n = 0; n < good.length; n++)
        expectDecodeError(
          () => decodeEmitBatch(good.subarray(0, n), protocol),
          /truncated|declares|bytes remain/,
        );
    });

    test(`${protocol}: random corruption never throws anything but a ThriftDecodeError`, () => {
      const rng = mulberry32(protocol === 'compact' ? 1 : 2);
      for (let i = 0; i < 3000; i++) {
        const bad = Buffer.from(good);
        const flips = 1 + Math.floor(rng() * 4);
        for (let f = 0; f < flips; f++) bad[Math.floor(rng() * bad.length)] = Math.floor(rng() * 256);
        try {
          decodeEmitBatch(bad, protocol);
        } catch (err) {
          assert.ok(err instanceof ThriftDecodeError, `corruption ${i} threw ${String(err)}`);
        }
      }
    });
  }

  test('a string length beyond the input is refused without allocating it', () => {
    const w = new BinaryWriter().message('emitBatch', 4, 0).field(T.STRUCT, 1).field(T.STRUCT, 1);
    w.field(T.STRING, 1)
      .i32(0x7fffffff)
      .raw(...ascii('abc'));
    expectDecodeError(
      () => decodeEmitBatch(w.bytes(), 'binary'),
      /string declares 2147483647 bytes but only 3 remain/,
    );
    const neg = new BinaryWriter().field(T.STRUCT, 1).field(T.STRING, 1).i32(-5);
    expectDecodeError(() => decodeBatch(neg.bytes()), /negative length -5/);
    const compact = new CompactWriter().structBegin().field(T.STRUCT, 1).structBegin().field(T.STRING, 1);
    compact.varint(4_000_000_000n);
    expectDecodeError(() => decodeBatch(compact.bytes(), 'compact'), /declares 4000000000 bytes/);
  });

  test('a container size beyond the input is refused before any element is read', () => {
    const binary = new BinaryWriter().field(T.LIST, 2).listBegin(T.STRUCT, 2_000_000_000).raw(0);
    expectDecodeError(
      () => decodeBatch(binary.bytes()),
      /list declares 2000000000 elements but only 1 bytes remain/,
    );
    const negative = new BinaryWriter().field(T.LIST, 2).listBegin(T.STRUCT, -1);
    expectDecodeError(() => decodeBatch(negative.bytes()), /negative size -1/);
    const compact = new CompactWriter().structBegin().field(T.LIST, 2).listBegin(T.STRUCT, 1_000_000);
    expectDecodeError(() => decodeBatch(compact.bytes(), 'compact'), /list declares 1000000 elements/);
    const map = new CompactWriter().structBegin().field(T.MAP, 9).varint(500n).raw(0x88);
    expectDecodeError(() => decodeBatch(map.bytes(), 'compact'), /map declares 500 elements/);
  });

  test('deep nesting is refused at a fixed depth, not by the stack', () => {
    const lists = new CompactWriter().structBegin().field(T.LIST, 9);
    for (let i = 0; i < 100_000; i++) lists.raw(0x19); // list of 1 list, 100k deep
    expectDecodeError(() => decodeBatch(lists.bytes(), 'compact'), /nest deeper than 32 levels/);
    const structs = new BinaryWriter();
    for (let i = 0; i < 100_000; i++) structs.field(T.STRUCT, 9);
    expectDecodeError(() => decodeBatch(structs.bytes()), /nest deeper than 32 levels/);
  });

  test('unknown field types and malformed varints are named', () => {
    expectDecodeError(() => decodeBatch(Buffer.from([0x1e]), 'compact'), /unknown compact field type 14/);
    expectDecodeError(
      () => decodeBatch(Buffer.from([99, 0, 1]), 'binary'),
      /cannot skip a value of unknown type 99/,
    );
    const longVarint = Buffer.from([0x16, ...new Array(11).fill(0xff)]);
    expectDecodeError(() => decodeBatch(longVarint, 'compact'), /varint overflows 64 bits/);
    const i32 = Buffer.from([0x15, 0xff, 0xff, 0xff, 0xff, 0x7f]);
    expectDecodeError(() => decodeBatch(i32, 'compact'), /varint overflows 32 bits/);
  });
});
