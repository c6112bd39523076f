/**
 * Test-only Thrift writers (binary and compact) for Jaeger batches and emitBatch messages, and
 * for hand-made hostile payloads. Written from the Thrift protocol specs, independently of the
 * receiver's readers.
 */
import type {
  JaegerBatch,
  JaegerLog,
  JaegerSpan,
  JaegerSpanRef,
  JaegerTag,
} from '../../src/receivers/jaeger/jaeger-thrift-decoder.ts';

/** TType ids (binary protocol). */
export const T = {
  STOP: 0,
  BOOL: 2,
  BYTE: 3,
  DOUBLE: 4,
  I16: 6,
  I32: 8,
  I64: 10,
  STRING: 11,
  STRUCT: 12,
  MAP: 13,
  SET: 14,
  LIST: 15,
};
const COMPACT: Record<number, number> = {
  2: 1,
  3: 3,
  6: 4,
  8: 5,
  10: 6,
  4: 7,
  11: 8,
  15: 9,
  14: 10,
  13: 11,
  12: 12,
};

export abstract class Writer {
  protected out: number[] = [];
  bytes(): Buffer {
    return Buffer.from(this.out);
  }
  raw(...b: number[]): this {
    this.out.push(...b);
    return this;
  }
  abstract message(name: string, type: number, seq: number): this;
  abstract structBegin(): this;
  abstract structEnd(): this;
  abstract field(type: number, id: number): this;
  abstract fieldBool(id: number, v: boolean): this;
  abstract listBegin(elemType: number, size: number): this;
  abstract i32(v: number): this;
  abstract i64(v: bigint): this;
  abstract double(v: number): this;
  abstract binary(b: Uint8Array): this;
  string(s: string): this {
    return this.binary(Buffer.from(s, 'utf8'));
  }
}

export class BinaryWriter extends Writer {
  constructor(readonly strict = true) {
    super();
  }
  message(name: string, type: number, seq: number): this {
    if (this.strict)
      return this.i32(0x80010000 | type | 0)
        .string(name)
        .i32(seq);
    return this.string(name).raw(type).i32(seq);
  }
  structBegin(): this {
    return this;
  }
  structEnd(): this {
    return this.raw(0);
  }
  field(type: number, id: number): this {
    return this.raw(type, (id >> 8) & 0xff, id & 0xff);
  }
  fieldBool(id: number, v: boolean): this {
    return this.field(T.BOOL, id).raw(v ? 1 : 0);
  }
  listBegin(elemType: number, size: number): this {
    return this.raw(elemType).i32(size);
  }
  i32(v: number): this {
    const b = Buffer.alloc(4);
    b.writeInt32BE(v | 0);
    return this.raw(...b);
  }
  i64(v: bigint): this {
    const b = Buffer.alloc(8);
    b.writeBigInt64BE(BigInt.asIntN(64, v));
    return this.raw(...b);
  }
  double(v: number): this {
    const b = Buffer.alloc(8);
    b.writeDoubleBE(v);
    return this.raw(...b);
  }
  binary(b: Uint8Array): this {
    return this.i32(b.length).raw(...b);
  }
}

export class CompactWriter extends Writer {
  #last = 0;
  #stack: number[] = [];
  message(name: string, type: number, seq: number): this {
    return this.raw(0x82, (type << 5) | 1)
      .varint(BigInt(seq >>> 0))
      .string(name);
  }
  varint(n: bigint): this {
    let v = BigInt.asUintN(64, n);
    while (v >= 0x80n) {
      this.out.push(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    this.out.push(Number(v));
    return this;
  }
  zigzag(v: bigint): this {
    return this.varint(BigInt.asUintN(64, (v << 1n) ^ (v >> 63n)));
  }
  structBegin(): this {
    this.#stack.push(this.#last);
    this.#last = 0;
    return this;
  }
  structEnd(): this {
    this.#last = this.#stack.pop() ?? 0;
    return this.raw(0);
  }
  #header(compactType: number, id: number): this {
    const delta = id - this.#last;
    this.#last = id;
    if (delta > 0 && delta <= 15) return this.raw((delta << 4) | compactType);
    return this.raw(compactType).zigzag(BigInt(id));
  }
  field(type: number, id: number): this {
    return this.#header(COMPACT[type], id);
  }
  fieldBool(id: number, v: boolean): this {
    return this.#header(v ? 1 : 2, id);
  }
  listBegin(elemType: number, size: number): this {
    const t = COMPACT[elemType];
    if (size < 15) return this.raw((size << 4) | t);
    return this.raw(0xf0 | t).varint(BigInt(size));
  }
  i32(v: number): this {
    return this.zigzag(BigInt(v | 0));
  }
  i64(v: bigint): this {
    return this.zigzag(BigInt.asIntN(64, v));
  }
  double(v: number): this {
    const b = Buffer.alloc(8);
    b.writeDoubleLE(v);
    return this.raw(...b);
  }
  binary(b: Uint8Array): this {
    return this.varint(BigInt(b.length)).raw(...b);
  }
}

function tag(w: Writer, t: JaegerTag): void {
  w.structBegin().field(T.STRING, 1).string(t.key).field(T.I32, 2).i32(t.vType);
  if (t.vStr !== undefined) w.field(T.STRING, 3).string(t.vStr);
  if (t.vDouble !== undefined) w.field(T.DOUBLE, 4).double(t.vDouble);
  if (t.vBool !== undefined) w.fieldBool(5, t.vBool);
  if (t.vLong !== undefined) w.field(T.I64, 6).i64(t.vLong);
  if (t.vBinary !== undefined) w.field(T.STRING, 7).binary(t.vBinary);
  w.structEnd();
}

function tags(w: Writer, id: number, list: JaegerTag[]): void {
  w.field(T.LIST, id).listBegin(T.STRUCT, list.length);
  for (const t of list) tag(w, t);
}

function ref(w: Writer, r: JaegerSpanRef): void {
  w.structBegin().field(T.I32, 1).i32(r.refType).field(T.I64, 2).i64(r.traceIdLow);
  w.field(T.I64, 3).i64(r.traceIdHigh).field(T.I64, 4).i64(r.spanId).structEnd();
}

function log(w: Writer, l: JaegerLog): void {
  w.structBegin().field(T.I64, 1).i64(l.timestamp);
  tags(w, 2, l.fields);
  w.structEnd();
}

function span(w: Writer, s: JaegerSpan): void {
  w.structBegin();
  w.field(T.I64, 1).i64(s.traceIdLow).field(T.I64, 2).i64(s.traceIdHigh);
  w.field(T.I64, 3).i64(s.spanId).field(T.I64, 4).i64(s.parentSpanId);
  w.field(T.STRING, 5).string(s.operationName);
  if (s.references.length) {
    w.field(T.LIST, 6).listBegin(T.STRUCT, s.references.length);
    for (const r of s.references) ref(w, r);
  }
  w.field(T.I32, 7).i32(s.flags).field(T.I64, 8).i64(s.startTime).field(T.I64, 9).i64(s.duration);
  if (s.tags.length) tags(w, 10, s.tags);
  if (s.logs.length) {
    w.field(T.LIST, 11).listBegin(T.STRUCT, s.logs.length);
    for (const l of s.logs) log(w, l);
  }
  w.structEnd();
}

export function writeBatch(w: Writer, b: JaegerBatch): Writer {
  w.structBegin();
  if (b.process) {
    w.field(T.STRUCT, 1).structBegin().field(T.STRING, 1).string(b.process.serviceName);
    if (b.process.tags.length) tags(w, 2, b.process.tags);
    w.structEnd();
  }
  w.field(T.LIST, 2).listBegin(T.STRUCT, b.spans.length);
  for (const s of b.spans) span(w, s);
  return w.structEnd();
}

/** An `Agent.emitBatch` oneway message carrying `b`. */
export function emitBatch(w: Writer, b: JaegerBatch, messageType = 4): Buffer {
  w.message('emitBatch', messageType, 0).structBegin().field(T.STRUCT, 1);
  writeBatch(w, b);
  return w.structEnd().bytes();
}
