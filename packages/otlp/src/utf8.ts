/**
 * UTF-8 helpers. Decoding is lenient: invalid sequences become U+FFFD, as in Node and
 * protobufjs, so one bad attribute from a buggy client does not cost the whole batch.
 * Encoding turns lone surrogates into U+FFFD, as TextEncoder does.
 */

type Slicer = (start: number, end: number) => string;

const hasBuffer = typeof globalThis.Buffer === 'function';
const decoder = new TextDecoder();

/** A function that decodes byte ranges of `bytes`; Node's Buffer is the fastest route there. */
export function utf8Slicer(bytes: Uint8Array): Slicer {
  if (hasBuffer) {
    const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return (start, end) => b.toString('utf8', start, end);
  }
  return (start, end) => decoder.decode(bytes.subarray(start, end));
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
