/** A tiny protobuf wire builder for hand-made test inputs, good ones and bad ones. */
export type Bytes = number[];

export function varint(v: number | bigint): Bytes {
  let u = BigInt.asUintN(64, BigInt(v));
  const out: Bytes = [];
  while (u >= 0x80n) {
    out.push(Number(u & 0x7fn) | 0x80);
    u >>= 7n;
  }
  out.push(Number(u));
  return out;
}

export const tag = (field: number, wire: number): Bytes => varint((field << 3) | wire);

/** A length-delimited field holding `parts`. */
export function len(field: number, ...parts: Bytes[]): Bytes {
  const body = parts.flat();
  return [...tag(field, 2), ...varint(body.length), ...body];
}

export const str = (field: number, s: string): Bytes => len(field, [...Buffer.from(s)]);
export const vint = (field: number, v: number | bigint): Bytes => [...tag(field, 0), ...varint(v)];
export const fixed64 = (field: number, v: bigint): Bytes => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(v);
  return [...tag(field, 1), ...b];
};

/** ExportTraceServiceRequest with one ResourceSpans / ScopeSpans around the given span fields. */
export function request(...spanFields: Bytes[]): Uint8Array {
  return new Uint8Array(len(1, len(2, len(2, ...spanFields))));
}

/** Offset of the first span field inside `request(...)`, when every length fits one byte. */
export const SPAN_START = 6;
