/**
 * UTF-8 helpers. Decoding is lenient: invalid sequences become U+FFFD, as in Node and
 * protobufjs, so one bad attribute from a buggy client does not cost the whole batch.
 * Encoding turns lone surrogates into U+FFFD, as TextEncoder does.
 */

/** The native slicers of Node's Buffer: no argument checks, a third faster than toString(). */
interface NodeSlicers {
  utf8Slice(start: number, end: number): string;
  hexSlice(start: number, end: number): string;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const decoder = new TextDecoder();
const nodeBuffer = typeof globalThis.Buffer === 'function' ? globalThis.Buffer : undefined;
const hasSlicers =
  nodeBuffer !== undefined &&
  typeof (nodeBuffer.prototype as unknown as NodeSlicers).utf8Slice === 'function';

/** Decodes byte ranges of one input, through Buffer's natives on Node and TextDecoder elsewhere. */
export class ByteText {
  readonly #bytes: Uint8Array;
  readonly #node: NodeSlicers | undefined;

  constructor(bytes: Uint8Array) {
    this.#bytes = bytes;
    this.#node = hasSlicers
      ? (nodeBuffer!.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as unknown as NodeSlicers)
      : undefined;
  }

  utf8(start: number, end: number): string {
    return this.#node !== undefined
      ? this.#node.utf8Slice(start, end)
      : decoder.decode(this.#bytes.subarray(start, end));
  }

  hex(start: number, end: number): string {
    if (this.#node !== undefined) return this.#node.hexSlice(start, end);
    let s = '';
    for (let i = start; i < end; i++) s += HEX[this.#bytes[i]];
    return s;
  }
}

/** Bytes that `s` takes in UTF-8. */
export function utf8Length(s: string): number {
  const n = s.length;
  let len = n;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) len += 1;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < n && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      len += 2; // a pair: 2 UTF-16 units, 4 bytes
      i++;
    } else len += 2; // BMP, or a lone surrogate written as U+FFFD
  }
  return len;
}

/** Writes `s` as UTF-8 at `pos`; returns the position after it. The caller sized `buf`. */
export function writeUtf8(buf: Uint8Array, pos: number, s: string): number {
  const n = s.length;
  for (let i = 0; i < n; i++) {
    let c = s.charCodeAt(i);
    if (c < 0x80) {
      buf[pos++] = c;
    } else if (c < 0x800) {
      buf[pos++] = 0xc0 | (c >> 6);
      buf[pos++] = 0x80 | (c & 0x3f);
    } else if (c >= 0xd800 && c <= 0xdfff) {
      const d = i + 1 < n ? s.charCodeAt(i + 1) : 0;
      if (c <= 0xdbff && (d & 0xfc00) === 0xdc00) {
        c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        i++;
        buf[pos++] = 0xf0 | (c >> 18);
        buf[pos++] = 0x80 | ((c >> 12) & 0x3f);
        buf[pos++] = 0x80 | ((c >> 6) & 0x3f);
        buf[pos++] = 0x80 | (c & 0x3f);
      } else {
        buf[pos++] = 0xef; // U+FFFD
        buf[pos++] = 0xbf;
        buf[pos++] = 0xbd;
      }
    } else {
      buf[pos++] = 0xe0 | (c >> 12);
      buf[pos++] = 0x80 | ((c >> 6) & 0x3f);
      buf[pos++] = 0x80 | (c & 0x3f);
    }
  }
  return pos;
}
