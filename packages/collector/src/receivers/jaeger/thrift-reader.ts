/**
 * What the Jaeger decoders need from a Thrift protocol (binary or compact), and the one error
 * every decoding problem becomes. Types are the binary protocol's type ids (TType); the compact
 * reader translates its own ids to these.
 */

export const TType = {
  STOP: 0,
  BOOL: 2,
  BYTE: 3,
  DOUBLE: 4,
  I16: 6,
  I32: 8,
  I64: 10,
  STRING: 11,
  STRUCT: 12,
  MAP: 13,
  SET: 14,
  LIST: 15,
  UUID: 16,
} as const;

export const MessageType = { CALL: 1, REPLY: 2, EXCEPTION: 3, ONEWAY: 4 } as const;

/** Structs and containers nest at most this deep; Jaeger's own schema needs 4. */
export const MAX_DEPTH = 32;

/** A malformed Thrift payload. `offset` is where in the input the problem was found. */
export class ThriftDecodeError extends Error {
  readonly offset: number;

  constructor(message: string, offset: number) {
    super(`${message} (at byte ${offset})`);
    this.name = 'ThriftDecodeError';
    this.offset = offset;
  }
}

export interface MessageHeader {
  name: string;
  type: number;
  seqId: number;
}

/**
 * One pass over one buffer. Every read checks the bytes left first, so a short or lying input
 * ends in a ThriftDecodeError, never in a RangeError or a huge allocation.
 */
export interface ThriftReader {
  readonly offset: number;
  readonly remaining: number;
  readMessageBegin(): MessageHeader;
  structBegin(): void;
  structEnd(): void;
  /** Returns the field's TType (STOP at the end of the struct); the id is then in `fieldId`. */
  readFieldBegin(): number;
  readonly fieldId: number;
  /** Returns the size; the element type is then in `elemType`. */
  readListBegin(): number;
  readonly elemType: number;
  /** Returns the size; key and value types are then in `keyType` and `elemType`. */
  readMapBegin(): number;
  readonly keyType: number;
  readBool(): boolean;
  readByte(): number;
  readI16(): number;
  readI32(): number;
  readI64(): bigint;
  readDouble(): number;
  readString(): string;
  readBinary(): Uint8Array;
  /** Skips a 16-byte uuid. */
  skipUuid(): void;
  error(problem: string): ThriftDecodeError;
}

const TYPE_NAMES: Record<number, string> = {
  [TType.BOOL]: 'bool',
  [TType.BYTE]: 'byte',
  [TType.DOUBLE]: 'double',
  [TType.I16]: 'i16',
  [TType.I32]: 'i32',
  [TType.I64]: 'i64',
  [TType.STRING]: 'string',
  [TType.STRUCT]: 'struct',
  [TType.MAP]: 'map',
  [TType.SET]: 'set',
  [TType.LIST]: 'list',
  [TType.UUID]: 'uuid',
};

export function typeName(t: number): string {
  return TYPE_NAMES[t] ?? `unknown type ${t}`;
}

/**
 * Checks a declared container size against what is left: every element takes at least
 * `minBytes` bytes on the wire, so a size beyond that is a lie and nothing is allocated for it.
 */
export function checkSize(r: ThriftReader, size: number, minBytes: number, what: string): number {
  if (size < 0) throw r.error(`${what} has a negative size ${size}`);
  if (size * minBytes > r.remaining)
    throw r.error(`${what} declares ${size} elements but only ${r.remaining} bytes remain`);
  return size;
}
