/**
 * OTel attribute values → the model's typed values. JavaScript has one number type; like the
 * official OTLP transformer, integral numbers travel as OTLP ints and the rest as doubles.
 */

import type { Attributes as ModelAttributes, AttributeValue as ModelValue } from '@genba/model';
import type { Attributes } from '@opentelemetry/api';

export function toModelAttributes(attrs: Attributes): ModelAttributes {
  const out: ModelAttributes = {};
  for (const key in attrs) {
    const v = attrs[key];
    if (v === undefined) continue;
    const m = toModelValue(v);
    if (key === '__proto__')
      Object.defineProperty(out, key, { value: m, enumerable: true, writable: true, configurable: true });
    else out[key] = m;
  }
  return out;
}

function toModelValue(v: unknown): ModelValue {
  switch (typeof v) {
    case 'number':
      return Number.isSafeInteger(v) ? BigInt(v) : v;
    case 'string':
    case 'boolean':
      return v;
    case 'object':
      if (Array.isArray(v)) return v.map((item) => (item === undefined ? null : toModelValue(item)));
      return null;
    default:
      return null;
  }
}
