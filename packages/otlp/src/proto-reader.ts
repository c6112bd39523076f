/**
 * A bounds-checked protobuf wire reader. Decoders drive it field by field and pass the end
 * of the enclosing message, so a length that runs past its parent is caught where it is read.
 */
import { protoError } from './errors.ts';
import { ByteText } from './utf8.ts';

export const VARINT = 0;
export const I64 = 1;
export const LEN = 2;
export const SGROUP = 3;
export const EGROUP = 4;
export const I32 = 5;

const WIRE_NAMES = ['varint', 'i64', 'len', 'sgroup', 'egroup', 'i32', '6', '7'];
const MAX_GROUP_DEPTH = 32;

/*
 * Attribute keys repeat in every span, and many names and values too. Returning the same string
 * object for the same bytes spares decoding and garbage, and for keys it lets V8 find the
 * property without hashing a new string each time. Keys and values have separate tables.
 */
const CACHE_SIZE = 4096;
const MAX_CACHED = 64;
const keyCache: string[] = new Array(CACHE_SIZE).fill('');
const valueCache: string[] = new Array(CACHE_SIZE).fill('');

export class ProtoReader {
  readonly buf: Uint8Array;
  pos = 0;
  readonly #view: DataView;
  readonly #text: ByteText;
  readonly #memoAt = [-1, -1];
  readonly #memoText = ['', ''];

  constructor(buf: Uint8Array) {
    // A plain view: Buffer input would make bytes() return Buffers, and keeps the reads monomorphic.
    this.buf = new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
    this.#view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    this.#text = new ByteText(this.buf);
  }

  /** Reads a varint and returns its low 32 bits as a signed int (callers use `>>> 0` for uint32). */
  varint32(): number {
    const buf = this.buf;
    let pos = this.pos;
    if (pos + 10 > buf.length) this.#ensureVarint(pos);
    let b = buf[pos++];
    let v = b & 0x7f;
    if (b >= 0x80) {
      b = buf[pos++];
      v |= (b & 0x7f) << 7;
      if (b >= 0x80) {
        b = buf[pos++];
        v |= (b & 0x7f) << 14;
        if (b >= 0x80) {
          b = buf[pos++];
          v |= (b & 0x7f) << 21;
          if (b >= 0x80) {
            b = buf[pos++];
            v |= b << 28;
            // The upper bits of a 64-bit varint do not fit; skip them but demand the end byte.
            for (let i = 0; b >= 0x80 && i < 5; i++) b = buf[pos++];
            if (b >= 0x80) throw protoError('varint longer than 10 bytes', this.pos);
          }
        }
      }
    }
    this.pos = pos;
    return v;
  }

  /** Reads an int64 varint as a signed bigint. */
  varint64(): bigint {
    const buf = this.buf;
    const start = this.pos;
    if (start + 10 > buf.length) this.#ensureVarint(start);
    let pos = start;
    let lo = 0;
    let hi = 0;
    let b = 0;
    for (let shift = 0; shift < 28; shift += 7) {
      b = buf[pos++];
      lo |= (b & 0x7f) << shift;
      if (b < 0x80) {
        this.pos = pos;
        return BigInt(lo);
      }
    }
    b = buf[pos++];
    lo |= (b & 0x0f) << 28;
    hi = (b & 0x7f) >> 4;
    for (let shift = 3; b >= 0x80 && shift < 32; shift += 7) {
      b = buf[pos++];
      hi |= (b & 0x7f) << shift;
    }
    if (b >= 0x80) throw protoError('varint longer than 10 bytes', start);
    this.pos = pos;
    lo >>>= 0;
    hi >>>= 0;
    if (hi < 0x200000) return BigInt(hi * 4294967296 + lo);
    if (hi === 0xffffffff && lo >= 0x80000000) return BigInt(lo | 0);
    return BigInt.asIntN(64, (BigInt(hi) << 32n) | BigInt(lo));
  }

  fixed32(limit: number): number {
    const pos = this.pos;
    if (pos + 4 > limit) throw protoError('truncated fixed32', pos);
    this.pos = pos + 4;
    return this.#view.getUint32(pos, true);
  }

  fixed64(limit: number): bigint {
    const pos = this.pos;
    if (pos + 8 > limit) throw protoError('truncated fixed64', pos);
    this.pos = pos + 8;
    return this.#view.getBigUint64(pos, true);
  }

  double(limit: number): number {
    const pos = this.pos;
    if (pos + 8 > limit) throw protoError('truncated double', pos);
    this.pos = pos + 8;
    return this.#view.getFloat64(pos, true);
  }

  /** Reads a length prefix and returns where the field's bytes end; they must end by `limit`. */
  lenEnd(limit: number): number {
    const at = this.pos;
    const n = this.varint32() >>> 0;
    if (n > limit - this.pos) {
      throw protoError(`length ${n} runs past the end of its message (${limit - this.pos} bytes left)`, at);
    }
    return this.pos + n;
  }

  string(limit: number): string {
    const end = this.lenEnd(limit);
    const start = this.pos;
    this.pos = end;
    return start === end ? '' : this.#text.utf8(start, end);
  }

  /** A string field that repeats across messages (attribute keys), through the key cache. */
  key(limit: number): string {
    const end = this.lenEnd(limit);
    const start = this.pos;
    this.pos = end;
    return this.#cached(keyCache, start, end);
  }

  /** A short string that often repeats (span names, attribute values), through the value cache. */
  text(limit: number): string {
    const end = this.lenEnd(limit);
    const start = this.pos;
    this.pos = end;
    return this.#cached(valueCache, start, end);
  }

  #cached(cache: string[], start: number, end: number): string {
    const n = end - start;
    if (n < 2 || n > MAX_CACHED) return n === 0 ? '' : this.#text.utf8(start, end);
    const buf = this.buf;
    // Five bytes and the length make a good enough hash; the full compare below decides.
    let h = Math.imul(n ^ buf[start], 0x01000193);
    h = Math.imul(h ^ buf[end - 1], 0x01000193);
    h = Math.imul(h ^ buf[start + (n >> 1)], 0x01000193);
    h = Math.imul(h ^ buf[start + 1], 0x01000193);
    h = Math.imul(h ^ buf[end - 2], 0x01000193);
    h = (h ^ (h >>> 13)) & (CACHE_SIZE - 1);
    const hit = cache[h];
    if (hit.length === n) {
      let i = 0;
      while (i < n && hit.charCodeAt(i) === buf[start + i]) i++;
      if (i === n) return hit;
    }
    const s = this.#text.utf8(start, end);
    // Only ASCII text can ever match the byte-by-char compare above.
    if (s.length === n) cache[h] = s;
    return s;
  }

  /**
   * An id of `size` bytes at `start`, as lowercase hex. Spans of one trace travel together,
   * often under one parent, so a `memo` slot (0 for trace ids, 1 for parent ids, -1 for none)
   * reuses the previous text when the bytes are the same.
   */
  id(start: number, size: number, memo: number): string {
    if (memo < 0) return this.#text.hex(start, start + size);
    const buf = this.buf;
    const last = this.#memoAt[memo];
    if (last >= 0) {
      let i = 0;
      while (i < size && buf[start + i] === buf[last + i]) i++;
      if (i === size) return this.#memoText[memo];
    }
    const hex = this.#text.hex(start, start + size);
    this.#memoAt[memo] = start;
    this.#memoText[memo] = hex;
    return hex;
  }

  bytes(limit: number): Uint8Array {
    const end = this.lenEnd(limit);
    const start = this.pos;
    this.pos = end;
    return this.buf.slice(start, end);
  }

  /** Checks that a nested message ended exactly where its length said. */
  finish(end: number, what: string): void {
    if (this.pos !== end) throw protoError(`${what} overruns its length by ${this.pos - end} bytes`, end);
  }

  /** Skips an unknown field whose tag was just read at `at`. */
  skip(tag: number, limit: number, at: number, depth = 0): void {
    switch (tag & 7) {
      case VARINT:
        this.varint32();
        return;
      case I64:
        if (this.pos + 8 > limit) throw protoError('truncated i64 field', this.pos);
        this.pos += 8;
        return;
      case LEN:
        this.pos = this.lenEnd(limit);
        return;
      case I32:
        if (this.pos + 4 > limit) throw protoError('truncated i32 field', this.pos);
        this.pos += 4;
        return;
      case SGROUP:
        this.#skipGroup(tag >>> 3, limit, at, depth);
        return;
      case EGROUP:
        throw protoError(`unexpected end-group for field ${tag >>> 3}`, at);
      default:
        throw protoError(`invalid wire type ${tag & 7}`, at);
    }
  }

  /** Reads a tag and rejects field number 0, which no message may use. */
  tag(): number {
    const at = this.pos;
    const tag = this.varint32() >>> 0;
    if (tag < 8) throw protoError(`invalid field number 0 (tag ${tag})`, at);
    return tag;
  }

  #skipGroup(field: number, limit: number, at: number, depth: number): void {
    if (depth >= MAX_GROUP_DEPTH) throw protoError('groups nested too deeply', at);
    while (this.pos < limit) {
      const tagAt = this.pos;
      const tag = this.tag();
      if ((tag & 7) === EGROUP) {
        if (tag >>> 3 !== field)
          throw protoError(`end-group for field ${tag >>> 3} closes group ${field}`, tagAt);
        return;
      }
      this.skip(tag, limit, tagAt, depth + 1);
    }
    throw protoError(`group for field ${field} is not closed`, at);
  }

  /** Throws unless a varint starting at `pos` ends inside the buffer within 10 bytes. */
  #ensureVarint(pos: number): void {
    const buf = this.buf;
    for (let i = pos; i < pos + 10; i++) {
      if (i >= buf.length) throw protoError('truncated varint', pos);
      if (buf[i] < 0x80) return;
    }
  }
}

/** Error text for a known field that arrived with the wrong wire type. */
export function wireTypeProblem(field: string, tag: number, expected: number): string {
  return `${field} has wire type ${WIRE_NAMES[tag & 7]}, expected ${WIRE_NAMES[expected]}`;
}
