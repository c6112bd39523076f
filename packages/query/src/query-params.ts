/** Query parameters of the HTTP APIs (Jaeger's and /api/genba), refused with a message that names the parameter. */
import { GenbaError, microsToNanos, normalizeTraceId, nowNanos, parseDuration } from '@genba/model';

export type Raw = Record<string, string | string[] | undefined>;

const DEFAULT_LOOKBACK = 3_600_000_000_000n;

export function bad(message: string): never {
  throw new GenbaError('bad_request', message);
}

export function text(q: Raw, name: string): string | undefined {
  const v = q[name];
  const s = Array.isArray(v) ? v[v.length - 1] : v;
  return s === undefined || s === '' ? undefined : s;
}

export function required(q: Raw, name: string): string {
  return text(q, name) ?? bad(`parameter '${name}' is required`);
}

/** Epoch microseconds, as Jaeger's search takes them; returned in ns. */
export function micros(q: Raw, name: string): bigint | undefined {
  const v = text(q, name);
  if (v === undefined) return undefined;
  if (!/^\d{1,19}$/.test(v))
    bad(`parameter '${name}' must be a time in microseconds since the epoch, got "${v}"`);
  return microsToNanos(BigInt(v));
}

export function integer(q: Raw, name: string, fallback: number, min: number, max: number): number {
  const v = text(q, name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!/^\d{1,9}$/.test(v) || n < min || n > max)
    bad(`parameter '${name}' must be a whole number from ${min} to ${max}, got "${v}"`);
  return n;
}

/** A Go-style duration such as 250ms or 1.5s, in ns. */
export function duration(q: Raw, name: string): bigint | undefined {
  const v = text(q, name);
  if (v === undefined) return undefined;
  const ns = parseDuration(v);
  if (ns === undefined) bad(`parameter '${name}' must be a duration such as 250ms or 1.5s, got "${v}"`);
  return ns;
}

export interface Window {
  start: bigint;
  end: bigint;
}

/**
 * `start`/`end` in epoch µs, as Jaeger's search takes them. Without `start`, the `lookback`
 * before `end` (1h when absent, or `custom` as jaeger-ui sends beside explicit bounds).
 */
export function window(q: Raw, startName = 'start', endName = 'end'): Window {
  const end = micros(q, endName) ?? nowNanos();
  let start = micros(q, startName);
  if (start === undefined) {
    const back = text(q, 'lookback') === 'custom' ? undefined : duration(q, 'lookback');
    start = end - (back ?? DEFAULT_LOOKBACK);
  }
  if (start > end) bad(`parameter '${startName}' must not be after '${endName}'`);
  return { start, end };
}

/** Both windows of a comparison must be given in full. */
export function namedWindow(q: Raw, prefix: 'before' | 'after'): Window {
  const startName = `${prefix}Start`;
  const endName = `${prefix}End`;
  const start = micros(q, startName) ?? bad(`parameter '${startName}' is required (epoch µs)`);
  const end = micros(q, endName) ?? bad(`parameter '${endName}' is required (epoch µs)`);
  if (start > end) bad(`parameter '${startName}' must not be after '${endName}'`);
  return { start, end };
}

export function traceId(raw: string, name: string): string {
  const id = normalizeTraceId(raw);
  if (!id) bad(`malformed ${name} "${raw}": expected 1 to 32 hex digits`);
  return id;
}
