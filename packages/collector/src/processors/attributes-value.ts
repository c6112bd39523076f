/**
 * Value conversions of the `attributes` processor, following the Collector's rules over Genba's
 * typed values (string, boolean, number = double, bigint = int): the `convert` action, the
 * `hash` action, and how configured values become attribute values.
 */
import { createHash } from 'node:crypto';
import type { AttributeValue } from '@genba/model';
import { isKeyValueList } from '@genba/model';

export type HashAlgorithm = 'sha256' | 'sha1';

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const DECIMAL_FLOAT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const SPECIAL_FLOAT = /^[+-]?(?:inf|infinity|nan)$/i;

/** A value as text: what `convert` to string produces and what regexp matching reads. */
export function asString(v: AttributeValue): string {
  if (typeof v === 'string') return v;
  if (v === null) return '';
  if (typeof v === 'boolean' || typeof v === 'number' || typeof v === 'bigint') return String(v);
  if (v instanceof Uint8Array) return Buffer.from(v).toString('base64');
  return JSON.stringify(toJson(v));
}

function toJson(v: AttributeValue): unknown {
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof Uint8Array) return Buffer.from(v).toString('base64');
  if (Array.isArray(v)) return v.map(toJson);
  if (v !== null && isKeyValueList(v))
    return Object.fromEntries(Object.entries(v.kvlist).map(([k, x]) => [k, toJson(x)]));
  return v;
}

/**
 * The `convert` action. A value that cannot be converted is returned unchanged, as the
 * Collector leaves it.
 */
export function convertValue(v: AttributeValue, to: 'int' | 'double' | 'string'): AttributeValue {
  if (to === 'string') return asString(v);
  if (to === 'int') {
    if (typeof v === 'bigint') return v;
    if (typeof v === 'boolean') return v ? 1n : 0n;
    if (typeof v === 'number') return Number.isFinite(v) ? BigInt(Math.trunc(v)) : v;
    if (typeof v === 'string' && /^[+-]?\d+$/.test(v)) {
      const n = BigInt(v);
      return n >= INT64_MIN && n <= INT64_MAX ? n : v;
    }
    return v;
  }
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string') {
    if (DECIMAL_FLOAT.test(v)) return Number(v);
    if (SPECIAL_FLOAT.test(v))
      return v.toLowerCase().includes('nan') ? Number.NaN : v.startsWith('-') ? -Infinity : Infinity;
  }
  return v;
}

/**
 * The `hash` action's digest, as the Collector computes it: over the UTF-8 bytes of a string,
 * one byte (1/0) for a boolean, 8 little-endian bytes for an int or a double. Other types
 * (bytes, arrays, maps, empty) become the empty string. The Collector has used SHA-256 since
 * v0.77 (its README still says SHA1); `sha1` gives the older Collectors' digests.
 */
export function hashValue(v: AttributeValue, algorithm: HashAlgorithm): string {
  let bytes: Buffer;
  if (typeof v === 'string') bytes = Buffer.from(v, 'utf8');
  else if (typeof v === 'boolean') bytes = Buffer.from([v ? 1 : 0]);
  else if (typeof v === 'bigint') {
    bytes = Buffer.alloc(8);
    bytes.writeBigInt64LE(BigInt.asIntN(64, v));
  } else if (typeof v === 'number') {
    bytes = Buffer.alloc(8);
    bytes.writeDoubleLE(v);
  } else return '';
  return createHash(algorithm).update(bytes).digest('hex');
}

/** A primitive or array read from config. */
export type ConfigValue = string | number | bigint | boolean | ConfigValue[];

/**
 * A configured value as an attribute value: YAML integers (whole numbers) become ints (bigint),
 * other numbers doubles, as the Collector infers the type from the configuration.
 */
export function fromConfig(v: ConfigValue): AttributeValue {
  if (typeof v === 'number') return Number.isInteger(v) ? BigInt(v) : v;
  if (Array.isArray(v)) return v.map(fromConfig);
  return v;
}

/** A fresh copy, so that spans never share a mutable array taken from config. */
export function copyValue(v: AttributeValue): AttributeValue {
  return Array.isArray(v) ? v.map(copyValue) : v;
}

/** Equality across Genba's types, with ints and doubles compared by value. */
export function sameValue(a: AttributeValue, b: AttributeValue): boolean {
  if ((typeof a === 'number' || typeof a === 'bigint') && (typeof b === 'number' || typeof b === 'bigint'))
    return typeof a === typeof b ? a === b : Number(a) === Number(b);
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((x, i) => sameValue(x, b[i]));
  return a === b;
}

/**
 * A regular expression from config. Go's RE2 spells named groups `(?P<name>…)`; JavaScript
 * spells them `(?<name>…)`, so the Collector's patterns are accepted as written.
 * Throws the engine's SyntaxError when the pattern is invalid.
 */
export function compileConfigRegex(source: string): RegExp {
  // Only an unescaped `(` opens a group: in `\(?P<` the parenthesis is a literal.
  return new RegExp(source.replace(/(?<!\\)((?:\\\\)*)\(\?P</g, '$1(?<'));
}
