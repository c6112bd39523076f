/**
 * OTel attribute rules: a value is a string, number, boolean, or a homogeneous array of one
 * of those (null/undefined allowed as array items). Anything else is dropped with a report.
 */
import type { Attributes, AttributeValue } from '@opentelemetry/api';
import { reportOnce } from '../diag.ts';

/** The value to store (truncated when a length limit applies), or undefined to drop it. */
export function sanitizeValue(key: string, value: unknown, maxLength: number): AttributeValue | undefined {
  switch (typeof value) {
    case 'string':
      return value.length > maxLength ? value.slice(0, maxLength) : value;
    case 'number':
    case 'boolean':
      return value;
    case 'object':
      if (Array.isArray(value)) return sanitizeArray(key, value, maxLength);
  }
  if (value !== undefined && value !== null)
    reportOnce(
      `attr-type:${typeof value}`,
      `attribute ${key} dropped: ${typeof value} is not a valid attribute value`,
    );
  return undefined;
}

function sanitizeArray(key: string, value: unknown[], maxLength: number): AttributeValue | undefined {
  let type: string | undefined;
  for (const item of value) {
    if (item === null || item === undefined) continue;
    const t = typeof item;
    if ((t !== 'string' && t !== 'number' && t !== 'boolean') || (type !== undefined && t !== type)) {
      reportOnce('attr-array', `attribute ${key} dropped: arrays must hold values of one primitive type`);
      return undefined;
    }
    type = t;
  }
  // Copy, so later changes to the caller's array do not change the recorded span.
  if (type !== 'string') return value.slice() as AttributeValue;
  return value.map((s) =>
    typeof s === 'string' && s.length > maxLength ? s.slice(0, maxLength) : s,
  ) as AttributeValue;
}

const hasOwn = Object.prototype.hasOwnProperty;

/**
 * Copies `from` into `into` under a count limit; returns how many were dropped.
 * Keys already present are updated even when the limit is reached, as the spec says.
 */
export function mergeAttributes(
  into: Attributes,
  from: Attributes,
  countLimit: number,
  maxLength: number,
  count: number,
): { count: number; dropped: number } {
  let dropped = 0;
  for (const key in from) {
    if (!hasOwn.call(from, key) || key === '') continue;
    const v = sanitizeValue(key, from[key], maxLength);
    if (v === undefined) continue;
    if (!hasOwn.call(into, key)) {
      if (count >= countLimit) {
        dropped++;
        continue;
      }
      count++;
    }
    setOwn(into, key, v);
  }
  return { count, dropped };
}

/** Plain assignment, except for `__proto__`, which would change the prototype instead. */
export function setOwn(into: Attributes, key: string, v: AttributeValue): void {
  if (key === '__proto__')
    Object.defineProperty(into, key, { value: v, enumerable: true, writable: true, configurable: true });
  else into[key] = v;
}

export { hasOwn };

/**
 * The object a span keeps its attributes in: no Object.prototype behind it, so a key such as
 * `__proto__` or `constructor` is an ordinary key and `bag[key] === undefined` means "absent".
 */
export const AttributeBag = function AttributeBag() {} as unknown as new () => Attributes;
AttributeBag.prototype = Object.create(null);
