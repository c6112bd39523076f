/**
 * Read-through cache lookups as spans: `cache <name>` says hit or miss; a miss loads the value
 * in a child span `cache.load <name>` and stores it.
 */
import type { AttributeValue, Context } from '@opentelemetry/api';
import { SpanKind } from '@opentelemetry/api';
import { contextWith, endSpan, markFailed, runInSpan, setAttributes, startSpan } from './span-tools.ts';

/** Anything with `get` and `set`: a `Map`, an LRU, or an async client whose methods return promises. */
export interface CacheStore<K, V> {
  get(key: K): V | undefined | PromiseLike<V | undefined>;
  set(key: K, value: V): unknown;
}

export interface TracedCacheOptions {
  /** Record the key as `cache.key`. Default false: keys often hold user ids, emails, tokens. */
  recordKeys?: boolean;
}

export interface TracedCache<K, V> {
  /** The cached value, or the loader's (then stored). `undefined` from the store counts as a miss. */
  get(key: K): Promise<V>;
}

export function tracedCache<K, V>(
  name: string,
  cache: CacheStore<K, V>,
  loader: (key: K) => V | PromiseLike<V>,
  options: TracedCacheOptions = {},
): TracedCache<K, V> {
  const recordKeys = options.recordKeys === true;

  async function get(key: K): Promise<V> {
    const span = startSpan(`cache ${name}`, {
      kind: SpanKind.INTERNAL,
      attributes: { 'cache.name': name },
    });
    if (recordKeys) setAttributes(span, { 'cache.key': keyText(key) });
    try {
      const cached = await runInSpan(span, () => cache.get(key));
      setAttributes(span, { 'cache.hit': cached !== undefined });
      if (cached !== undefined) return cached;
      const value = await load(key, contextWith(span));
      await runInSpan(span, () => cache.set(key, value));
      return value;
    } catch (err) {
      markFailed(span, err);
      throw err;
    } finally {
      endSpan(span);
    }
  }

  async function load(key: K, parent: Context): Promise<V> {
    const span = startSpan(
      `cache.load ${name}`,
      { kind: SpanKind.INTERNAL, attributes: { 'cache.name': name } },
      parent,
    );
    try {
      return await runInSpan(span, () => loader(key));
    } catch (err) {
      markFailed(span, err);
      throw err;
    } finally {
      endSpan(span);
    }
  }

  return { get };
}

function keyText(key: unknown): AttributeValue {
  if (typeof key === 'string' || typeof key === 'number' || typeof key === 'boolean') return key;
  if (typeof key === 'bigint' || typeof key === 'symbol') return key.toString();
  try {
    return JSON.stringify(key) ?? String(key);
  } catch {
    // Cyclic or hostile objects: this never throws.
    return Object.prototype.toString.call(key);
  }
}
