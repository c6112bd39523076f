/**
 * A growable buffer that writes ClickHouse's RowBinary encoding: little-endian integers,
 * LEB128 lengths, raw fixed strings. Rows built here skip JSON on both sides of the insert.
 */
export class RowBinaryWriter {
  #buf: Buffer;
  #pos = 0;

  constructor(initialBytes = 1 << 20) {
    this.#buf = Buffer.allocUnsafe(initialBytes);
  }

  get length(): number {
    return this.#pos;
  }

  /** The bytes written so far (a view, valid until the next write). */
  bytes(): Buffer {
    return this.#buf.subarray(0, this.#pos);
  }

  #ensure(n: number): void {
    if (this.#pos + n <= this.#buf.length) return;
    let size = this.#buf.length * 2;
    while (size < this.#pos + n) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.#buf.copy(next, 0, 0, this.#pos);
    this.#buf = next;
  }

  uint8(v: number): void {
    this.#ensure(1);
    this.#buf[this.#pos++] = v;
  }

  uint16(v: number): void {
    this.#ensure(2);
    this.#buf[this.#pos++] = v & 0xff;
    this.#buf[this.#pos++] = (v >>> 8) & 0xff;
  }

  uint32(v: number): void {
    this.#ensure(4);
    this.#buf.writeUInt32LE(v >>> 0, this.#pos);
    this.#pos += 4;
  }

  /** A non-negative safe integer as UInt64, without a bigint (which costs several times more). */
  uint64(v: number): void {
    this.#ensure(8);
    const buf = this.#buf;
    const p = this.#pos;
    const lo = v >>> 0;
    const hi = Math.floor(v / 0x100000000) >>> 0;
    buf[p] = lo;
    buf[p + 1] = lo >>> 8;
    buf[p + 2] = lo >>> 16;
    buf[p + 3] = lo >>> 24;
    buf[p + 4] = hi;
    buf[p + 5] = hi >>> 8;
    buf[p + 6] = hi >>> 16;
    buf[p + 7] = hi >>> 24;
    this.#pos = p + 8;
  }

  int64(v: bigint): void {
    this.#ensure(8);
    this.#buf.writeBigInt64LE(v, this.#pos);
    this.#pos += 8;
  }

  varint(v: number): void {
    this.#ensure(10);
    this.#pos = putVarint(this.#buf, this.#pos, v);
  }

  string(s: string): void {
    // Short ASCII text, the common case for keys and names, is copied byte by byte: cheaper than a native call.
    const len = s.length;
    if (len < 64) {
      this.#ensure(len + 1);
      const buf = this.#buf;
      const start = this.#pos + 1;
      let i = 0;
      for (; i < len; i++) {
        const c = s.charCodeAt(i);
        if (c >= 0x80) break;
        buf[start + i] = c;
      }
      if (i === len) {
        buf[this.#pos] = len;
        this.#pos = start + len;
        return;
      }
    }
    // Up to 3 UTF-8 bytes per UTF-16 unit: write the text after room for its length, then put the
    // length in front, moving the text only when the length took fewer bytes than reserved.
    const max = s.length * 3;
    this.#ensure(max + 5);
    const reserved = varintSize(max);
    const start = this.#pos + reserved;
    const n = this.#buf.write(s, start, 'utf8');
    const need = varintSize(n);
    if (need !== reserved) this.#buf.copy(this.#buf, this.#pos + need, start, start + n);
    this.#pos = putVarint(this.#buf, this.#pos, n) + n;
  }

  /** Fixed-length bytes from lowercase hex; `hex` may be '' (all zeros). */
  fixedHex(hex: string, size: number): void {
    this.#ensure(size);
    if (hex.length === size * 2) this.#buf.write(hex, this.#pos, size, 'hex');
    else this.#buf.fill(0, this.#pos, this.#pos + size);
    this.#pos += size;
  }

  raw(bytes: Uint8Array): void {
    this.#ensure(bytes.length);
    this.#buf.set(bytes, this.#pos);
    this.#pos += bytes.length;
  }
}

function varintSize(n: number): number {
  return n < 0x80 ? 1 : n < 0x4000 ? 2 : n < 0x200000 ? 3 : n < 0x10000000 ? 4 : 5;
}

function putVarint(buf: Buffer, pos: number, v: number): number {
  let p = pos;
  while (v > 0x7f) {
    buf[p++] = (v & 0x7f) | 0x80;
    v = Math.floor(v / 128);
  }
  buf[p++] = v;
  return p;
}
