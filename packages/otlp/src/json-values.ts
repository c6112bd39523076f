/**
 * Scalar fields of OTLP/JSON. Following the proto JSON mapping, 64-bit integers come as decimal
 * strings (numbers are accepted too), enums as integers or names, and null means the default.
 * OTLP's own rule: trace and span ids are hex, not base64.
 */
import type { SpanKind, StatusCode } from '@genba/model';
import type { JsonPath } from './json-path.ts';

const INT = /^-?\d+$/;
const UINT = /^\d+$/;
const HEX32 = /^[0-9a-fA-F]{32}$/;
const HEX16 = /^[0-9a-fA-F]{16}$/;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

const SPAN_KINDS: Record<string, SpanKind> = {
  SPAN_KIND_UNSPECIFIED: 0,
  SPAN_KIND_INTERNAL: 1,
  SPAN_KIND_SERVER: 2,
  SPAN_KIND_CLIENT: 3,
  SPAN_KIND_PRODUCER: 4,
  SPAN_KIND_CONSUMER: 5,
};
const STATUS_CODES: Record<string, StatusCode> = {
  STATUS_CODE_UNSET: 0,
  STATUS_CODE_OK: 1,
  STATUS_CODE_ERROR: 2,
};

export function jsonString(v: unknown, p: JsonPath, name: string): string {
  if (typeof v === 'string') return v;
  if (v === undefined || v === null) return '';
  throw p.error(`${name} must be a string`, name);
}

export function jsonUint32(v: unknown, p: JsonPath, name: string): number {
  if (v === undefined || v === null) return 0;
  const n = typeof v === 'string' && UINT.test(v) ? Number(v) : v;
  if (typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= 0xffffffff) return n;
  throw p.error(`${name} must be an unsigned 32-bit integer`, name);
}

/** fixed64 / uint64, such as times in nanoseconds. */
export function jsonUint64(v: unknown, p: JsonPath, name: string): bigint {
  if (v === undefined || v === null) return 0n;
  if (typeof v === 'string' && UINT.test(v)) {
    const n = BigInt(v);
    if (n <= UINT64_MAX) return n;
  } else if (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < 2 ** 64) {
    return BigInt(v);
  }
  throw p.error(`${name} must be an unsigned 64-bit integer (a decimal string)`, name);
}

export function jsonInt64(v: unknown, p: JsonPath, name: string): bigint {
  if (typeof v === 'string' && INT.test(v)) {
    const n = BigInt(v);
    if (n >= INT64_MIN && n <= INT64_MAX) return n;
  } else if (typeof v === 'number' && Number.isInteger(v) && v >= -(2 ** 63) && v < 2 ** 63) {
    return BigInt(v);
  }
  throw p.error(`${name} must be a 64-bit integer (a decimal string)`, name);
}

/** Doubles are numbers; proto JSON writes the non-finite ones, and may write any, as strings. */
export function jsonDouble(v: unknown, p: JsonPath, name: string): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') {
    if (v === 'NaN') return Number.NaN;
    if (v === 'Infinity') return Number.POSITIVE_INFINITY;
    if (v === '-Infinity') return Number.NEGATIVE_INFINITY;
    const n = v.trim() === '' ? Number.NaN : Number(v);
    if (!Number.isNaN(n)) return n;
  }
  throw p.error(`${name} must be a number`, name);
}

export function jsonBool(v: unknown, p: JsonPath, name: string): boolean {
  if (typeof v === 'boolean') return v;
  throw p.error(`${name} must be true or false`, name);
}

/** A trace id (32 hex digits) or span id (16), lowercased; '' when absent or empty. */
export function jsonId(v: unknown, p: JsonPath, name: string, digits: 32 | 16): string {
  if (v === undefined || v === null || v === '') return '';
  if (typeof v === 'string' && (digits === 32 ? HEX32 : HEX16).test(v)) return v.toLowerCase();
  const got = typeof v === 'string' ? `${v.length} characters` : typeof v;
  throw p.error(`${name} must be ${digits} hex digits or empty, got ${got}`, name);
}

export function jsonSpanKind(v: unknown, p: JsonPath): SpanKind {
  return jsonEnum(v, p, 'kind', SPAN_KINDS, 5) as SpanKind;
}

export function jsonStatusCode(v: unknown, p: JsonPath): StatusCode {
  return jsonEnum(v, p, 'code', STATUS_CODES, 2) as StatusCode;
}

// As in the protobuf decoder, numbers the model does not know read as 0 (unspecified / unset).
function jsonEnum(v: unknown, p: JsonPath, name: string, names: Record<string, number>, max: number): number {
  if (v === undefined || v === null) return 0;
  if (typeof v === 'number' && Number.isInteger(v)) return v >= 0 && v <= max ? v : 0;
  if (typeof v === 'string' && Object.hasOwn(names, v)) return names[v];
  throw p.error(`${name} must be an enum number or one of ${Object.keys(names).join(', ')}`, name);
}
