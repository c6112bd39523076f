/** OTLP attribute values to Jaeger tags, as the collector-contrib Jaeger translator maps them. */
import type { Attributes, AttributeValue } from '@genba/model';
import { goJsonText } from './go-text.ts';
import type { JaegerTag } from './types.ts';

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

export function toJaegerTag(key: string, v: AttributeValue): JaegerTag {
  if (v === null) return { key, type: 'string', value: '' }; // an empty AnyValue keeps Jaeger's zero type
  switch (typeof v) {
    case 'string':
      return { key, type: 'string', value: v };
    case 'boolean':
      return { key, type: 'bool', value: v };
    case 'bigint':
      // Jaeger's UI converter quotes int64 beyond JS's safe range so that no digit is lost.
      return { key, type: 'int64', value: v > MAX_SAFE || v < -MAX_SAFE ? v.toString() : Number(v) };
    case 'number':
      return { key, type: 'float64', value: v };
  }
  if (v instanceof Uint8Array) return { key, type: 'binary', value: Buffer.from(v).toString('base64') };
  return { key, type: 'string', value: goJsonText(v) };
}

/** Go's `cmp.Compare` on strings: byte order of UTF-8, which code-point order gives. */
export function compareKeys(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x < y ? -1 : 1;
  }
  return a.length < b.length ? -1 : 1;
}

/**
 * Attributes as tags sorted by key, as Jaeger's query service sorts them (SortCollections adjuster).
 * `skip` leaves one key out (service.name on a resource).
 */
export function toJaegerTags(attrs: Attributes, skip?: string): JaegerTag[] {
  const keys = Object.keys(attrs);
  if (keys.length > 1) keys.sort(compareKeys);
  const out: JaegerTag[] = [];
  for (const k of keys) if (k !== skip) out.push(toJaegerTag(k, attrs[k]));
  return out;
}
