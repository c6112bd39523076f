/**
 * Checked reads of untrusted JSON values for the Jaeger reader: each returns the value in its
 * model form or throws GenbaError('bad_request') naming the value's path.
 */
import { type Attributes, type AttributeValue, GenbaError, normalizeTraceId } from '@genba/model';

export type Obj = Record<string, unknown>;

const INT64_MIN = -(2n ** 63n);
export const INT64_MAX = 2n ** 63n - 1n;
/** The latest µs whose ns still fit an Int64, as the store keeps them. */
const MAX_MICROS = Number(INT64_MAX / 1000n);
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const HEX = /^[0-9a-fA-F]+$/;

export function fail(at: string, problem: string): never {
  throw new GenbaError('bad_request', `${at}: ${problem}`);
}

export const join = (at: string, key: string): string => (at === '' ? key : `${at}.${key}`);

/** A short, printable rendering of a hostile value for a message. */
export function shown(v: unknown): string {
  const text = typeof v === 'string' ? JSON.stringify(v.slice(0, 40)) : String(v).slice(0, 40);
  return typeof v === 'string' && v.length > 40 ? `${text}…` : text;
}

export function isObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Own properties only, so `{"__proto__": …}` or inherited names never answer. */
export function field(o: Obj, key: string): unknown {
  return Object.hasOwn(o, key) ? o[key] : undefined;
}

export function object(v: unknown, at: string): Obj {
  return isObject(v) ? v : fail(at, 'expected an object');
}

export function string(v: unknown, at: string): string {
  return typeof v === 'string' ? v : fail(at, 'expected a string');
}

/** Absent and null are empty, as Jaeger omits or nulls empty lists. */
export function list(v: unknown, at: string): unknown[] {
  if (v === undefined || v === null) return [];
  return Array.isArray(v) ? v : fail(at, 'expected an array');
}

export function micros(v: unknown, at: string): bigint {
  if (typeof v !== 'number') fail(at, 'expected a number');
  if (!Number.isInteger(v) || v < 0 || v > MAX_MICROS)
    fail(at, `expected whole microseconds from 0 to ${MAX_MICROS}, got ${shown(v)}`);
  return BigInt(v) * 1000n;
}

export function traceIdOf(v: unknown, at: string): string {
  const id = normalizeTraceId(string(v, at));
  return id ?? fail(at, `expected a trace id of 1 to 32 hex digits, got ${shown(v)}`);
}

export function spanIdOf(v: unknown, at: string): string {
  const s = string(v, at);
  if (s.length > 16 || !HEX.test(s)) fail(at, `expected a span id of 1 to 16 hex digits, got ${shown(v)}`);
  return s.toLowerCase().padStart(16, '0');
}

function int64(v: unknown, at: string): bigint {
  let n: bigint | undefined;
  // Jaeger writes int64 beyond ±(2^53−1) as a decimal string so that no digit is lost.
  if (typeof v === 'number' && Number.isInteger(v)) n = BigInt(v);
  else if (typeof v === 'string' && /^-?\d{1,19}$/.test(v)) n = BigInt(v);
  if (n === undefined || n < INT64_MIN || n > INT64_MAX)
    fail(at, `expected an int64 as a whole number or a decimal string, got ${shown(v)}`);
  return n;
}

export function tagValue(type: unknown, v: unknown, at: string): AttributeValue {
  const valueAt = `${at}.value`;
  switch (type) {
    case 'string':
      return string(v, valueAt);
    case 'bool':
      return typeof v === 'boolean' ? v : fail(valueAt, 'expected a boolean');
    case 'int64':
      return int64(v, valueAt);
    case 'float64':
      return typeof v === 'number' ? v : fail(valueAt, 'expected a number');
    case 'binary': {
      const s = string(v, valueAt);
      if (s.length % 4 !== 0 || !BASE64.test(s)) fail(valueAt, 'expected base64');
      return new Uint8Array(Buffer.from(s, 'base64'));
    }
  }
  return fail(`${at}.type`, `expected string, bool, int64, float64 or binary, got ${shown(type)}`);
}

/** Adds each tag; a repeated key keeps its last value, as in the Jaeger receiver. */
export function putTags(into: Attributes, tags: unknown, at: string): Attributes {
  const items = list(tags, at);
  for (let i = 0; i < items.length; i++) {
    const tagAt = `${at}[${i}]`;
    const tag = object(items[i], tagAt);
    const key = string(field(tag, 'key'), `${tagAt}.key`);
    const value = tagValue(field(tag, 'type'), field(tag, 'value'), tagAt);
    // `__proto__` must stay an ordinary key, not replace the record's prototype.
    if (key === '__proto__')
      Object.defineProperty(into, key, { value, enumerable: true, writable: true, configurable: true });
    else into[key] = value;
  }
  return into;
}
