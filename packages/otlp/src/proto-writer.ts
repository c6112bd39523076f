/**
 * Protobuf wire writer for two-pass encoding. The size pass walks the messages first and
 * records every nested message's length (and every long string's UTF-8 length) in a
 * SizeTable, in the order the write pass will need them; the write pass then fills one
 * exactly-sized buffer front to back, with no copying and no back-patching of lengths.
 */
import { utf8Length, writeUtf8 } from './utf8.ts';

/**
 * Strings shorter than this take under 128 bytes of UTF-8, so their length is one byte and
 * can be written after the bytes; longer ones have their length measured once, in the size pass.
 */
export const SHORT_STRING = 43;

export class SizeTable {
  a = new Int32Array(4096);
  n = 0;

  /** Takes the next slot; the caller fills it once the message's size is known. */
  reserve(): number {
    if (this.n === this.a.length) {
      const bigger = new Int32Array(this.a.length * 2);
      bigger.set(this.a);
      this.a = bigger;
    }
    return this.n++;
  }
}

export function varintSize(v: number): number {
  return v < 0x80 ? 1 : v < 0x4000 ? 2 : v < 0x200000 ? 3 : v < 0x10000000 ? 4 : 5;
}

/** Size of an int64 varint; negatives always take 10 bytes. */
export function int64Size(v: bigint): number {
  if (v >= 0n && v < 0x100000000n) return varintSize(Number(v));
  if (v < 0n) return 10;
  let n = 5;
  for (let x = v >> 35n; x > 0n; x >>= 7n) n++;
  return n;
}

/** Length prefix plus UTF-8 bytes of `s` (the tag is the caller's). */
export function stringSize(t: SizeTable, s: string): number {
  const b = utf8Length(s);
  if (s.length < SHORT_STRING) return 1 + b;
  t.a[t.reserve()] = b;
  return varintSize(b) + b;
}

/** Length prefix plus body of a nested message whose body is `body` bytes. */
export function messageSize(body: number): number {
  return varintSize(body) + body;
}

const HEX = new Int8Array(128).fill(-1);
for (let i = 0; i < 10; i++) HEX[48 + i] = i;
for (let i = 0; i < 6; i++) {
  HEX[65 + i] = 10 + i;
  HEX[97 + i] = 10 + i;
}

const encoder = new TextEncoder();

export class ProtoWriter {
  readonly buf: Uint8Array;
  pos = 0;
  readonly #view: DataView;
  readonly #sizes: Int32Array;
  #slot = 0;

  constructor(size: number, sizes: SizeTable) {
    this.buf = new Uint8Array(size);
    this.#view = new DataView(this.buf.buffer);
    this.#sizes = sizes.a;
  }

  varint(v: number): void {
    const buf = this.buf;
    let pos = this.pos;
    while (v >= 0x80) {
      buf[pos++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    buf[pos++] = v;
    this.pos = pos;
  }

  /** Writes `tag` and the next recorded message length. */
  message(tag: number): void {
    this.varint(tag);
    this.varint(this.#sizes[this.#slot++]);
  }

  int64(v: bigint): void {
    if (v >= 0n && v < 0x100000000n) {
      this.varint(Number(v));
      return;
    }
    let u = BigInt.asUintN(64, v);
    const buf = this.buf;
    while (u >= 0x80n) {
      buf[this.pos++] = Number(u & 0x7fn) | 0x80;
      u >>= 7n;
    }
    buf[this.pos++] = Number(u);
  }

  /** An int32 field: negatives are sign-extended to 10 bytes, as protobuf requires. */
  int32(v: number): void {
    if (v >= 0) this.varint(v);
    else this.int64(BigInt(v));
  }

  fixed32(v: number): void {
    this.#view.setUint32(this.pos, v, true);
    this.pos += 4;
  }

  fixed64(v: bigint): void {
    this.#view.setBigUint64(this.pos, v, true);
    this.pos += 8;
  }

  double(v: number): void {
    this.#view.setFloat64(this.pos, v, true);
    this.pos += 8;
  }

  string(s: string): void {
    const n = s.length;
    const buf = this.buf;
    if (n < SHORT_STRING) {
      const start = this.pos + 1;
      let pos = start;
      for (let i = 0; i < n; i++) {
        const c = s.charCodeAt(i);
        if (c >= 0x80) {
          pos = writeUtf8(buf, pos, s.slice(i));
          break;
        }
        buf[pos++] = c;
      }
      buf[start - 1] = pos - start;
      this.pos = pos;
      return;
    }
    const bytes = this.#sizes[this.#slot++];
    this.varint(bytes);
    if (n > 256) encoder.encodeInto(s, buf.subarray(this.pos, this.pos + bytes));
    else writeUtf8(buf, this.pos, s);
    this.pos += bytes;
  }

  bytes(b: Uint8Array): void {
    this.varint(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }

  /** Writes a hex id as a length-prefixed bytes field of `hex.length / 2` bytes. */
  hexId(hex: string, what: string): void {
    const buf = this.buf;
    const n = hex.length >> 1;
    buf[this.pos++] = n;
    let pos = this.pos;
    for (let i = 0; i < hex.length; i += 2) {
      const a = hex.charCodeAt(i);
      const b = hex.charCodeAt(i + 1);
      const hi = a < 128 ? HEX[a] : -1;
      const lo = b < 128 ? HEX[b] : -1;
      if ((hi | lo) < 0) throw new TypeError(`${what} is not hex: ${JSON.stringify(hex)}`);
      buf[pos++] = (hi << 4) | lo;
    }
    this.pos = pos;
  }
}

/** Size of a hex id field's value (length byte plus bytes); throws on a wrong length. */
export function hexIdSize(hex: string, chars: number, what: string): number {
  if (hex.length !== chars) throw new TypeError(`${what} must be ${chars} hex digits, got ${hex.length}`);
  return 1 + (chars >> 1);
}
