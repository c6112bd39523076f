/**
 * An immutable context as a chain of (key, value) links. The API's default context copies a
 * Map on every setValue; starting a span sets one value, so a link is far cheaper. Lookups walk
 * the chain, which is why a long chain is folded into one Map once it grows past FOLD_AT.
 */
import type { Context } from '@opentelemetry/api';

const FOLD_AT = 16;
const DELETED = Symbol('deleted');

export class LinkedContext implements Context {
  readonly #parent: LinkedContext | undefined;
  readonly #key: symbol | undefined;
  readonly #value: unknown;
  readonly #depth: number;
  readonly #folded: Map<symbol, unknown> | undefined;

  constructor(parent?: LinkedContext, key?: symbol, value?: unknown, folded?: Map<symbol, unknown>) {
    this.#parent = parent;
    this.#key = key;
    this.#value = value;
    this.#depth = parent === undefined ? 0 : parent.#depth + 1;
    this.#folded = folded;
  }

  getValue(key: symbol): unknown {
    let c: LinkedContext | undefined = this;
    while (c !== undefined) {
      if (c.#key === key) return c.#value === DELETED ? undefined : c.#value;
      if (c.#folded !== undefined) return c.#folded.get(key);
      c = c.#parent;
    }
    return undefined;
  }

  setValue(key: symbol, value: unknown): Context {
    if (this.#depth >= FOLD_AT) {
      const map = this.#toMap();
      map.set(key, value);
      return new LinkedContext(undefined, undefined, undefined, map);
    }
    return new LinkedContext(this, key, value);
  }

  deleteValue(key: symbol): Context {
    return this.getValue(key) === undefined ? this : this.setValue(key, DELETED);
  }

  #toMap(): Map<symbol, unknown> {
    const links: LinkedContext[] = [];
    let base: Map<symbol, unknown> | undefined;
    for (let c: LinkedContext | undefined = this; c !== undefined; c = c.#parent) {
      if (c.#folded !== undefined) {
        base = c.#folded;
        break;
      }
      links.push(c);
    }
    const map = new Map(base);
    for (let i = links.length - 1; i >= 0; i--) {
      const c = links[i] as LinkedContext;
      if (c.#key === undefined) continue;
      if (c.#value === DELETED) map.delete(c.#key);
      else map.set(c.#key, c.#value);
    }
    return map;
  }
}

export const ROOT = new LinkedContext();
