/**
 * Thrift's binary protocol (TBinaryProtocol): big-endian fixed-width integers, i32 length
 * prefixes. Message headers come strict (version word 0x8001 first) or old-style (name first);
 * both are read.
 */

import { ByteCursor } from './byte-cursor.ts';
import {
  checkSize,
  type MessageHeader,
  type ThriftDecodeError,
  type ThriftReader,
  TType,
} from './thrift-reader.ts';

const VERSION_MASK = 0xffff0000 | 0;
const VERSION_1 = 0x80010000 | 0;

export class ThriftBinaryReader implements ThriftReader {
  #c: ByteCursor;
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

  readMessageBegin(): MessageHeader {
    const first = this.readI32();
    if (first < 0) {
      if ((first & VERSION_MASK) !== VERSION_1)
        throw this.error(`bad binary protocol version 0x${(first >>> 0).toString(16)} in message header`);
      const name = this.readString();
      return { name, type: first & 0xff, seqId: this.readI32() };
    }
    // Old-style header: the first word was the name's length.
    const name = this.#utf8(first, 'message name');
    const type = this.readByte();
    return { name, type, seqId: this.readI32() };
  }

  structBegin(): void {}

  structEnd(): void {}

  readFieldBegin(): number {
    const type = this.readByte();
    if (type === TType.STOP) return type;
    this.fieldId = this.readI16();
    return type;
  }

  readListBegin(): number {
    this.elemType = this.readByte();
    return checkSize(this, this.readI32(), 1, 'list');
  }

  readMapBegin(): number {
    this.keyType = this.readByte();
    this.elemType = this.readByte();
    return checkSize(this, this.readI32(), 2, 'map');
  }

  readBool(): boolean {
    return this.readByte() !== 0;
  }

  readByte(): number {
    this.#c.need(1, 'byte');
    return this.#c.view.getInt8(this.#c.pos++);
  }

  readI16(): number {
    this.#c.need(2, 'i16');
    const v = this.#c.view.getInt16(this.#c.pos);
    this.#c.pos += 2;
    return v;
  }

  readI32(): number {
    this.#c.need(4, 'i32');
    const v = this.#c.view.getInt32(this.#c.pos);
    this.#c.pos += 4;
    return v;
  }

  readI64(): bigint {
    this.#c.need(8, 'i64');
    const v = this.#c.view.getBigInt64(this.#c.pos);
    this.#c.pos += 8;
    return v;
  }

  readDouble(): number {
    this.#c.need(8, 'double');
    const v = this.#c.view.getFloat64(this.#c.pos);
    this.#c.pos += 8;
    return v;
  }

  readString(): string {
    return this.#utf8(this.readI32(), 'string');
  }

  readBinary(): Uint8Array {
    return this.#c.copy(this.#c.length(this.readI32(), 'binary'));
  }

  skipUuid(): void {
    this.#c.skip(16, 'uuid');
  }

  #utf8(len: number, what: string): string {
    return this.#c.utf8(this.#c.length(len, what));
  }
}
