/**
 * A small bounds-checked protobuf wire reader for zipkin.proto3. Every length is checked against
 * the end of its enclosing message, and every error names the field and the byte offset.
 */
import { ZipkinDecodeError } from './zipkin-decode-error.ts';

export const VARINT = 0;
export const I64 = 1;
export const LEN = 2;
export const I32 = 5;
const WIRE_NAMES = ['varint', 'fixed64', 'length-delimited', 'start-group', 'end-group', 'fixed32', '6', '7'];

export class WireReader {
  readonly buf: Uint8Array;
  pos = 0;
  readonly #node: Buffer;

  constructor(buf: Uint8Array) {
    this.buf = buf;
    this.#node = Buffer.from(buf.buffer, buf.byteOffset, buf.length);
  }

  fail(where: string, problem: string, at = this.pos): never {
    throw new ZipkinDecodeError(where, `${problem} (byte ${at})`);
  }

  /** An unsigned varint of up to 64 bits. */
  varint(where: string, limit: number): bigint {
    const start = this.pos;
    let small = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= limit) this.fail(where, 'truncated varint', start);
      const b = this.buf[this.pos++];
      if (i < 7) {
        small += (b & 0x7f) * scale;
        scale *= 128;
        if (b < 0x80) return BigInt(small);
      } else if (b < 0x80) {
        // Past 49 bits a Number is no longer exact; redo this rare case in bigint.
        let v = 0n;
        for (let j = this.pos - 1; j >= start; j--) v = (v << 7n) | BigInt(this.buf[j] & 0x7f);
        return BigInt.asUintN(64, v);
      }
    }
    return this.fail(where, 'varint longer than 10 bytes', start);
  }

  /** A varint that must fit in 32 bits (tags, lengths, enums, ports). */
  uint32(where: string, limit: number): number {
    const at = this.pos;
    const v = this.varint(where, limit);
    if (v > 0xffffffffn) this.fail(where, `value ${v} does not fit in 32 bits`, at);
    return Number(v);
  }

  /** Reads a field's tag; returns [field number, wire type]. */
  tag(where: string, limit: number): [number, number] {
    const at = this.pos;
    const t = this.uint32(where, limit);
    if (t >>> 3 === 0) this.fail(where, 'field number 0 is not allowed', at);
    return [t >>> 3, t & 7];
  }

  /** Reads a length prefix and returns where the field's bytes end, which must be within `limit`. */
  lenEnd(where: string, limit: number): number {
    const at = this.pos;
    const n = this.uint32(where, limit);
    if (n > limit - this.pos)
      this.fail(where, `length ${n} runs past the end of its message (${limit - this.pos} bytes left)`, at);
    return this.pos + n;
  }

  fixed64(where: string, limit: number): bigint {
    if (this.pos + 8 > limit) this.fail(where, 'truncated fixed64');
    const v = this.#node.readBigUInt64LE(this.pos);
    this.pos += 8;
    return v;
  }

  bytes(where: string, limit: number): Uint8Array {
    const end = this.lenEnd(where, limit);
    const out = this.buf.subarray(this.pos, end);
    this.pos = end;
    return out;
  }

  string(where: string, limit: number, maxChars: number): string {
    const at = this.pos;
    const end = this.lenEnd(where, limit);
    // UTF-8 never takes fewer bytes than characters, so the byte count bounds the text too.
    if (end - this.pos > maxChars * 3)
      this.fail(where, `${end - this.pos} bytes is more than the limit of ${maxChars} characters`, at);
    const s = this.#node.toString('utf8', this.pos, end);
    if (s.length > maxChars)
      this.fail(where, `${s.length} characters is more than the limit of ${maxChars}`, at);
    this.pos = end;
    return s;
  }

  /** Throws unless a known field came with the wire type its declaration implies. */
  expect(where: string, wire: number, expected: number, at: number): void {
    if (wire !== expected)
      this.fail(where, `has wire type ${WIRE_NAMES[wire]}, expected ${WIRE_NAMES[expected]}`, at);
  }

  /** Skips a field this decoder does not know; zipkin.proto3 has no groups, so they are refused. */
  skip(where: string, wire: number, limit: number, at: number): void {
    switch (wire) {
      case VARINT:
        this.varint(where, limit);
        return;
      case I64:
        if (this.pos + 8 > limit) this.fail(where, 'truncated fixed64');
        this.pos += 8;
        return;
      case LEN:
        this.pos = this.lenEnd(where, limit);
        return;
      case I32:
        if (this.pos + 4 > limit) this.fail(where, 'truncated fixed32');
        this.pos += 4;
        return;
      default:
        this.fail(where, `unsupported wire type ${WIRE_NAMES[wire]}`, at);
    }
  }
}
