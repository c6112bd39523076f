/**
 * Protobuf wire writer, single pass, into a buffer sized from a guess and grown when short. A nested message reserves the bytes its length will
 * probably need, writes its body, then writes the length in front; only when the guess was
 * wrong is the body moved (copyWithin). That costs far less than measuring every message, and
 * every string's UTF-8 length, in a separate size pass.
 *
 * Capacity: each message start and each string or bytes write makes sure that SLACK bytes are
 * free after it, which covers any run of fixed-size fields up to the next such check.
 */
import { utf8Length, writeUtf8 } from './utf8.ts';

const SLACK = 128;

/** Strings shorter than this take under 128 bytes of UTF-8, so one length byte is enough. */
const SHORT_STRING = 43;

/** Byte value of every pair of ASCII hex digits, indexed by (first << 7 | second); -1 if not hex. */
const HEX_PAIRS = new Int16Array(1 << 14).fill(-1);
{
  const digits: [string, number][] = [...'0123456789abcdef'].map((c, i) => [c, i]);
  for (const [c, i] of [
    ...digits,
    ...digits.slice(10).map(([c, i]): [string, number] => [c.toUpperCase(), i]),
  ]) {
    for (const [d, j] of [
      ...digits,
      ...digits.slice(10).map(([d, j]): [string, number] => [d.toUpperCase(), j]),
    ]) {
      HEX_PAIRS[(c.charCodeAt(0) << 7) | d.charCodeAt(0)] = (i << 4) | j;
    }
  }
}

const encoder = new TextEncoder();
const nodeBuffer = typeof globalThis.Buffer === 'function' ? globalThis.Buffer : undefined;

/** Memory that need not be zeroed first: every byte handed out is written (see finish). */
function allocate(n: number): Uint8Array {
  if (nodeBuffer === undefined) return new Uint8Array(n);
  const b = nodeBuffer.allocUnsafeSlow(n);
  return new Uint8Array(b.buffer, b.byteOffset, n);
}

/*
 * Attribute keys, span names and event names repeat from span to span (OTel asks for names of
 * low cardinality). Their length byte and UTF-8 are kept here and copied natively (buf.set),
 * which beats encoding them unit by unit again. Bounded: cleared when full.
 */
const keyBytes = new Map<string, Uint8Array>();
const MAX_KEYS = 4096;

export function varintSize(v: number): number {
  return v < 0x80 ? 1 : v < 0x4000 ? 2 : v < 0x200000 ? 3 : v < 0x10000000 ? 4 : 5;
}

export class ProtoWriter {
  buf: Uint8Array;
  pos = 0;
  #view: DataView;
  readonly #memoText = ['', ''];
  readonly #memoBytes = new Uint8Array(32);

  constructor(capacity: number) {
    this.buf = allocate(capacity);
    this.#view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
  }

  /** Makes room for `n` more bytes plus the slack. */
  ensure(n: number): void {
    if (this.pos + n + SLACK > this.buf.length) this.#grow(n + SLACK);
  }

  /** Starts a nested message under `tag` (a one-byte tag), reserving `reserve` bytes for its length. */
  begin(tag: number, reserve: number): number {
    this.ensure(reserve);
    this.buf[this.pos++] = tag;
    this.pos += reserve;
    return this.pos;
  }

  /** Ends the message whose body started at `start`, writing its length in the reserved bytes. */
  end(start: number, reserve: number): void {
    const len = this.pos - start;
    if (reserve === 1 && len < 0x80) {
      this.buf[start - 1] = len; // the common case: a small message
      return;
    }
    const need = varintSize(len);
    if (need !== reserve) {
      // The guess was wrong: move the body so the length fits exactly.
      this.ensure(need - reserve);
      this.buf.copyWithin(start + need - reserve, start, this.pos);
      start += need - reserve;
      this.pos += need - reserve;
    }
    let at = start - need;
    let v = len;
    const buf = this.buf;
    while (v >= 0x80) {
      buf[at++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    buf[at] = v;
  }

  /**
   * The bytes written, as a view that shares the buffer: no copy. The unused tail is zeroed so
   * that no stale memory is reachable through `.buffer`.
   */
  finish(): Uint8Array {
    this.buf.fill(0, this.pos);
    return this.buf.subarray(0, this.pos);
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

  int64(v: bigint): void {
    // One conversion and number compares: rounding cannot carry a value across 0 or 2^32.
    const n = Number(v);
    if (n >= 0 && n < 0x100000000) {
      this.varint(n);
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

  /** A string field: `tag`, length, UTF-8 bytes. */
  string(tag: number, s: string): void {
    const n = s.length;
    this.ensure(3 * n + 6);
    const buf = this.buf;
    buf[this.pos++] = tag;
    if (n < SHORT_STRING) {
      // Copy as if ASCII, and look at the OR of all units once, not at each unit.
      const start = this.pos + 1;
      let any = 0;
      for (let i = 0; i < n; i++) {
        const c = s.charCodeAt(i);
        any |= c;
        buf[start + i] = c;
      }
      const end = any < 0x80 ? start + n : writeUtf8(buf, start, s);
      buf[start - 1] = end - start;
      this.pos = end;
      return;
    }
    const bytes = utf8Length(s);
    this.varint(bytes);
    if (n > 256) encoder.encodeInto(s, buf.subarray(this.pos, this.pos + bytes));
    else writeUtf8(buf, this.pos, s);
    this.pos += bytes;
  }

  /** A string field that repeats across messages (keys, names), through the key cache. */
  key(tag: number, s: string): void {
    const cached = keyBytes.get(s);
    if (cached !== undefined) {
      this.ensure(cached.length + 1);
      this.buf[this.pos++] = tag;
      this.buf.set(cached, this.pos);
      this.pos += cached.length;
      return;
    }
    const at = this.pos + 1;
    this.string(tag, s);
    if (s.length < SHORT_STRING) {
      if (keyBytes.size >= MAX_KEYS) keyBytes.clear();
      keyBytes.set(s, this.buf.slice(at, this.pos));
    }
  }

  /** A bytes field: `tag`, length, bytes. */
  bytes(tag: number, b: Uint8Array): void {
    this.ensure(b.length + 6);
    this.buf[this.pos++] = tag;
    this.varint(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }

  /**
   * An id field: `tag`, then the hex text as `hex.length / 2` bytes. Throws unless it is
   * `chars` hex digits. Spans of one trace come together, often under one parent, so a
   * `memo` slot (0 for trace ids, 1 for parent ids, -1 for none) remembers the last id's bytes.
   */
  hexId(tag: number, hex: string, chars: number, what: string, memo: number): void {
    if (hex.length !== chars) throw new TypeError(`${what} must be ${chars} hex digits, got ${hex.length}`);
    const buf = this.buf;
    let pos = this.pos;
    buf[pos++] = tag;
    buf[pos++] = chars >> 1;
    const n = chars >> 1;
    if (memo >= 0 && hex === this.#memoText[memo]) {
      const bytes = this.#memoBytes;
      for (let i = 0, j = memo * 16; i < n; i++, j++) buf[pos + i] = bytes[j];
      this.pos = pos + n;
      return;
    }
    for (let i = 0; i < chars; i += 2) {
      const a = hex.charCodeAt(i);
      const b = hex.charCodeAt(i + 1);
      const v = (a | b) < 128 ? HEX_PAIRS[(a << 7) | b] : -1;
      if (v < 0) throw new TypeError(`${what} is not hex: ${JSON.stringify(hex)}`);
      buf[pos++] = v;
    }
    this.pos = pos;
    if (memo >= 0) {
      this.#memoText[memo] = hex;
      const bytes = this.#memoBytes;
      for (let i = 0, j = memo * 16; i < n; i++, j++) bytes[j] = buf[pos - n + i];
    }
  }

  #grow(n: number): void {
    const bigger = allocate(Math.max(this.buf.length * 2, this.pos + n));
    bigger.set(this.buf.subarray(0, this.pos));
    this.buf = bigger;
    this.#view = new DataView(bigger.buffer, bigger.byteOffset, bigger.byteLength);
  }
}
