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

  uint32(v: number): void {
    this.#ensure(4);
    this.#buf.writeUInt32LE(v >>> 0, this.#pos);
    this.#pos += 4;
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

  stringMap(m: Record<string, string>): void {
    const keys = Object.keys(m);
    this.varint(keys.length);
    for (const k of keys) {
      this.string(k);
      this.string(m[k]);
    }
  }

  uint8Map(m: Record<string, number>): void {
    const keys = Object.keys(m);
    this.varint(keys.length);
    for (const k of keys) {
      this.string(k);
      this.uint8(m[k]);
    }
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
