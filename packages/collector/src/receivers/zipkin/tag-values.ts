/**
 * Reading typed values out of Zipkin's string-only tags and annotations, as the Collector's
 * zipkin translator does: `parse_string_tags` typing, and the `name|{json}|dropped` and
 * `otlp.link.N` encodings that OTel's Zipkin exporters write.
 */
import type { Attributes, AttributeValue, SpanLink } from '@genba/model';

const INT = /^-?\d+$/;
const DOUBLE = /^-?\d+\.\d+$/;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const HEX_TRACE = /^[0-9a-f]{32}$/;
const HEX_SPAN = /^[0-9a-f]{16}$/;

/** Stores one attribute; a key named `__proto__` becomes an own property, never the prototype. */
export function putAttribute(attrs: Attributes, key: string, value: AttributeValue): void {
  if (key === '__proto__')
    Object.defineProperty(attrs, key, { value, enumerable: true, writable: true, configurable: true });
  else attrs[key] = value;
}

/** With `parse_string_tags`: "12" → int, "1.5" → double, "true" → bool; anything else stays a string. */
export function typedTagValue(text: string): AttributeValue {
  if (INT.test(text)) {
    const n = BigInt(text);
    return n >= INT64_MIN && n <= INT64_MAX ? n : text;
  }
  if (DOUBLE.test(text)) return Number(text);
  if (text === 'true' || text === 'false') return text === 'true';
  return text;
}

/** The top-level values of a JSON object as attributes: whole numbers become ints, as in the Collector. */
function jsonAttributes(json: string): Attributes | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
  const attrs: Attributes = {};
  for (const [k, v] of Object.entries(parsed)) {
    if (typeof v === 'string' || typeof v === 'boolean') putAttribute(attrs, k, v);
    else if (typeof v === 'number') putAttribute(attrs, k, Number.isSafeInteger(v) ? BigInt(v) : v);
  }
  return attrs;
}

function dropped(text: string): number | undefined {
  if (!/^\d{1,10}$/.test(text)) return undefined;
  const n = Number(text);
  return n <= 0xffffffff ? n : undefined;
}

export interface EncodedEvent {
  name: string;
  attributes: Attributes;
  droppedAttributesCount: number;
}

/**
 * An annotation value: `name`, or `name|{"k":"v"}|dropped` as OTel's Zipkin exporters write
 * events. When the second form does not parse, the whole value is the name.
 */
export function eventFromAnnotation(value: string): EncodedEvent {
  const parts = value.split('|');
  if (parts.length < 3) return { name: parts[0], attributes: {}, droppedAttributesCount: 0 };
  const attributes = jsonAttributes(parts.slice(1, -1).join('|'));
  const count = dropped(parts[parts.length - 1]);
  if (!attributes || count === undefined) return { name: value, attributes: {}, droppedAttributesCount: 0 };
  return { name: parts[0], attributes, droppedAttributesCount: count };
}

/** An `otlp.link.N` tag: `traceId|spanId|traceState|{json}|dropped`; undefined when it does not parse. */
export function linkFromTag(value: string): SpanLink | undefined {
  const parts = value.split('|');
  if (parts.length < 5) return undefined;
  const [traceId, spanId, traceState] = parts;
  const attributes = jsonAttributes(parts.slice(3, -1).join('|'));
  const count = dropped(parts[parts.length - 1]);
  if (!HEX_TRACE.test(traceId) || !HEX_SPAN.test(spanId) || !attributes || count === undefined)
    return undefined;
  return { traceId, spanId, traceState, attributes, droppedAttributesCount: count, flags: 0 };
}
