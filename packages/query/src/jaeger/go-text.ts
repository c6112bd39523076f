/**
 * Text the way Jaeger's Go code prints it, so our JSON matches Jaeger's byte for byte:
 * arrays and maps through Go's encoding/json (pcommon `AsString`), and times through `time.Time.String`.
 */
import type { AttributeValue } from '@genba/model';
import { isKeyValueList } from '@genba/model';

/** Go's encoder runs with HTML escaping on, and writes invalid UTF-16 as U+FFFD. */
const HTML_UNSAFE = /[<>&\u2028\u2029]/g;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function goString(s: string): string {
  return JSON.stringify(s.replace(LONE_SURROGATE, '\uFFFD')).replace(
    HTML_UNSAFE,
    (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'),
  );
}

class Unsupported extends Error {}

function write(v: AttributeValue): string {
  if (v === null) return 'null';
  switch (typeof v) {
    case 'string':
      return goString(v);
    case 'boolean':
      return v ? 'true' : 'false';
    case 'bigint':
      return v.toString();
    case 'number':
      // Go refuses NaN and ±Inf; otherwise its float format is ES6's, except that it keeps -0.
      if (!Number.isFinite(v)) throw new Unsupported();
      return Object.is(v, -0) ? '-0' : String(v);
  }
  if (v instanceof Uint8Array) return '"' + Buffer.from(v).toString('base64') + '"';
  if (Array.isArray(v)) return '[' + v.map(write).join(',') + ']';
  if (isKeyValueList(v)) {
    // Go marshals map[string]any with sorted keys.
    const keys = Object.keys(v.kvlist).sort();
    return '{' + keys.map((k) => goString(k) + ':' + write(v.kvlist[k])).join(',') + '}';
  }
  throw new Unsupported();
}

/**
 * pcommon `Value.AsString` for an array or map: Go's JSON of the raw value. Ints stay exact,
 * bytes become base64 strings. When Go's encoder fails (NaN, ±Inf) the result is '', as in Go.
 */
export function goJsonText(v: AttributeValue): string {
  try {
    return write(v);
  } catch (e) {
    if (e instanceof Unsupported) return '';
    throw e;
  }
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** Go's `time.Unix(0, ns).UTC().String()`: "2024-01-31 05:28:29.209712 +0000 UTC". */
export function goTimeString(ns: bigint): string {
  const frac = ((ns % 1_000_000_000n) + 1_000_000_000n) % 1_000_000_000n;
  const seconds = (ns - frac) / 1_000_000_000n;
  const d = new Date(Number(seconds) * 1000);
  const date = `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  const time = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  const fraction = frac === 0n ? '' : '.' + frac.toString().padStart(9, '0').replace(/0+$/, '');
  return `${date} ${time}${fraction} +0000 UTC`;
}
