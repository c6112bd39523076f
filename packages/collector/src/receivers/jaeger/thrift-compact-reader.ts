/**
 * Thrift's compact protocol (TCompactProtocol): zigzag varints, field-id deltas, bools folded
 * into the field header, little-endian doubles. Types are translated to TType ids so that one
 * decoder serves both protocols.
 */

import { ByteCursor } from './byte-cursor.ts';
import {
  checkSize,
  type MessageHeader,
  type ThriftDecodeError,
  type ThriftReader,
  TType,
} from './thrift-reader.ts';

const PROTOCOL_ID = 0x82;
const VERSION = 1;

/** Compact type id → TType; 0 marks an id the compact protocol does not define. */
const TO_TTYPE = [
  TType.STOP,
  TType.BOOL, // BOOLEAN_TRUE
  TType.BOOL, // BOOLEAN_FALSE
  TType.BYTE,
  TType.I16,
  TType.I32,
  TType.I64,
  TType.DOUBLE,
  TType.STRING,
  TType.LIST,
  TType.SET,
  TType.MAP,
  TType.STRUCT,
  TType.UUID,
];

export class ThriftCompactReader implements ThriftReader {
  #c: ByteCursor;
  #lastFieldId = 0;
  #fieldIds: number[] = [];
  /** A bool field's value, carried by its header. */
  #pendingBool: boolean | undefined;
  fieldId = 0;
  elemType = 0;
  keyType = 0;

  constructor(bytes: Uint8Array) {
    this.#c = new ByteCursor(bytes);
  }

  get offset(): number {
    return this.#c.pos;
  }

  get remaining(): number {
    return this.#c.remaining;
  }

  error(problem: string): ThriftDecodeError {
    return this.#c.error(problem);
  }

  #u8(what: string): number {
    this.#c.need(1, what);
    return this.#c.bytes[this.#c.pos++];
  }

  #type(compact: number, what: string): number {
    const t = compact < TO_TTYPE.length ? TO_TTYPE[compact] : TType.STOP;
    if (t === TType.STOP) throw this.error(`unknown compact ${what} type ${compact}`);
    return t;
  }

  /** Unsigned LEB128 of at most 32 bits. */
  #varint32(what: string): number {
    let result = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      const b = this.#u8(what);
      if (shift === 28 && b > 0x0f) throw this.error(`${what} varint overflows 32 bits`);
      result += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) return result;
    }
    throw this.error(`${what} varint is longer than 5 bytes`);
  }

  /** Unsigned LEB128 of at most 64 bits. */
  #varint64(what: string): bigint {
    // Up to 7 bytes (49 bits) fit a double exactly; only longer ones pay for BigInt.
    let small = 0;
    for (let i = 0; i < 7; i++) {
      const b = this.#u8(what);
      small += (b & 0x7f) * 2 ** (7 * i);
      if (b < 0x80) return BigInt(small);
    }
    let result = BigInt(small);
    for (let shift = 49n; shift < 70n; shift += 7n) {
      const b = this.#u8(what);
      if (shift === 63n && b > 0x01) throw this.error(`${what} varint overflows 64 bits`);
      result |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) return result;
    }
    throw this.error(`${what} varint is longer than 10 bytes`);
  }

  #zigzag32(what: string): number {
    const n = this.#varint32(what);
    return n % 2 === 0 ? n / 2 : -(n + 1) / 2;
  }

  readMessageBegin(): MessageHeader {
    const id = this.#u8('protocol id');
    if (id !== PROTOCOL_ID) throw this.error(`bad compact protocol id 0x${id.toString(16)}, expected 0x82`);
    const vt = this.#u8('version and type');
    if ((vt & 0x1f) !== VERSION) throw this.error(`unsupported compact protocol version ${vt & 0x1f}`);
    const seqId = this.#varint32('sequence id') | 0;
    return { name: this.readString(), type: (vt >> 5) & 0x07, seqId };
  }

  structBegin(): void {
    this.#fieldIds.push(this.#lastFieldId);
    this.#lastFieldId = 0;
  }

  structEnd(): void {
    this.#lastFieldId = this.#fieldIds.pop() ?? 0;
  }

  readFieldBegin(): number {
    const b = this.#u8('field header');
    if (b === 0) return TType.STOP;
    const compact = b & 0x0f;
    const type = this.#type(compact, 'field');
    const delta = b >> 4;
    this.fieldId = delta === 0 ? this.#zigzag32('field id') : this.#lastFieldId + delta;
    if (this.fieldId < -32768 || this.fieldId > 32767)
      throw this.error(`field id ${this.fieldId} is out of the i16 range`);
    this.#lastFieldId = this.fieldId;
    this.#pendingBool = type === TType.BOOL ? compact === 1 : undefined;
    return type;
  }

  readListBegin(): number {
    const b = this.#u8('list header');
    this.elemType = this.#type(b & 0x0f, 'list element');
    const short = b >> 4;
    return checkSize(this, short === 15 ? this.#varint32('list size') : short, 1, 'list');
  }

  readMapBegin(): number {
    const size = this.#varint32('map size');
    if (size === 0) return 0;
    const kv = this.#u8('map types');
    this.keyType = this.#type(kv >> 4, 'map key');
    this.elemType = this.#type(kv & 0x0f, 'map value');
    return checkSize(this, size, 2, 'map');
  }

  readBool(): boolean {
    const pending = this.#pendingBool;
    if (pending !== undefined) {
      this.#pendingBool = undefined;
      return pending;
    }
    // A bool element: the spec writes 1/0, the Java library 1/2; 1 is true in both.
    return this.#u8('bool') === 1;
  }

  readByte(): number {
    this.#c.need(1, 'byte');
    return this.#c.view.getInt8(this.#c.pos++);
  }

  readI16(): number {
    const v = this.#zigzag32('i16');
    if (v < -32768 || v > 32767) throw this.error(`i16 value ${v} is out of range`);
    return v;
  }

  readI32(): number {
    return this.#zigzag32('i32');
  }

  readI64(): bigint {
    const n = this.#varint64('i64');
    return BigInt.asIntN(64, (n >> 1n) ^ -(n & 1n));
  }

  readDouble(): number {
    this.#c.need(8, 'double');
    const v = this.#c.view.getFloat64(this.#c.pos, true);
    this.#c.pos += 8;
    return v;
  }

  readString(): string {
    return this.#c.utf8(this.#length('string'));
  }

  readBinary(): Uint8Array {
    return this.#c.copy(this.#length('binary'));
  }

  skipUuid(): void {
    this.#c.skip(16, 'uuid');
  }

  #length(what: string): number {
    return this.#c.length(this.#varint32(`${what} length`), what);
  }
}
