import type { Attributes, AttributeValue } from '@genba/model';

/**
 * Stores one attribute. A key named `__proto__` would otherwise replace the record's
 * prototype, so it becomes an own property. A repeated key keeps its last value.
 */
export function setAttribute(attrs: Attributes, key: string, value: AttributeValue): void {
  if (key === '__proto__') {
    Object.defineProperty(attrs, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    attrs[key] = value;
  }
}

/** AnyValue may nest arrays and key-value lists; deeper than this is refused, not recursed. */
export const MAX_DEPTH = 32;
