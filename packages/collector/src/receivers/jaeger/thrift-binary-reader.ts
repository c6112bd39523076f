/**
 * Thrift's binary protocol (TBinaryProtocol): big-endian fixed-width integers, i32 length
 * prefixes. Message headers come strict (version word 0x8001 first) or old-style (name first);
 * both are read.
 */
import {
  checkSize,
  type MessageHeader,
  ThriftDecodeError,
  type ThriftReader,
  TType,
} from './thrift-reader.ts';

const VERSION_MASK = 0xffff0000 | 0;
const VERSION_1 = 0x80010000 | 0;

const decoder = new TextDecoder();

export class ThriftBinaryReader implements ThriftReader {
  #bytes: Uint8Array;
  #view: DataView;
  #pos = 0;
  fieldId = 0;
  elemType = 0;
  keyType = 0;

  constructor(bytes: Uint8Array) {
    this.#bytes = bytes;
    this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get offset(): number {
    return this.#pos;
  }

  get remaining(): number {
    return this.#bytes.length - this.#pos;
  }

  error(problem: string): ThriftDecodeError {
    return new ThriftDecodeError(problem, this.#pos);
  }

  #need(n: number, what: string): void {
    if (this.#bytes.length - this.#pos < n)
      throw this.error(`truncated input: ${what} needs ${n} bytes, ${this.remaining} remain`);
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
    this.#need(1, 'byte');
    return this.#view.getInt8(this.#pos++);
  }

  readI16(): number {
    this.#need(2, 'i16');
    const v = this.#view.getInt16(this.#pos);
    this.#pos += 2;
    return v;
  }

  readI32(): number {
    this.#need(4, 'i32');
    const v = this.#view.getInt32(this.#pos);
    this.#pos += 4;
    return v;
  }

  readI64(): bigint {
    this.#need(8, 'i64');
    const v = this.#view.getBigInt64(this.#pos);
    this.#pos += 8;
    return v;
  }

  readDouble(): number {
    this.#need(8, 'double');
    const v = this.#view.getFloat64(this.#pos);
    this.#pos += 8;
    return v;
  }

  readString(): string {
    return this.#utf8(this.readI32(), 'string');
  }

  readBinary(): Uint8Array {
    const len = this.#length(this.readI32(), 'binary');
    // A plain Uint8Array copy: attribute values must not keep the datagram alive, nor be Buffers.
    const out = new Uint8Array(this.#bytes.subarray(this.#pos, this.#pos + len));
    this.#pos += len;
    return out;
  }

  skipUuid(): void {
    this.#need(16, 'uuid');
    this.#pos += 16;
  }

  #length(len: number, what: string): number {
    if (len < 0) throw this.error(`${what} has a negative length ${len}`);
    if (len > this.remaining)
      throw this.error(`${what} declares ${len} bytes but only ${this.remaining} remain`);
    return len;
  }

  #utf8(len: number, what: string): string {
    this.#length(len, what);
    const s = decoder.decode(this.#bytes.subarray(this.#pos, this.#pos + len));
    this.#pos += len;
    return s;
  }
}
