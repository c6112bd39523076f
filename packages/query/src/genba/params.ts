/** Query parameters of the /api/genba routes, refused with a message that names the parameter. */
import { GenbaError, microsToNanos, normalizeTraceId, nowNanos, parseDuration } from '@genba/model';

export type Raw = Record<string, string | string[] | undefined>;

const DEFAULT_LOOKBACK = 3_600_000_000_000n;

function bad(message: string): never {
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

export interface Window {
  start: bigint;
  end: bigint;
}

/** `start`/`end` in µs (default: the last `lookback`, 1h unless given as a duration such as 30m). */
export function window(q: Raw, startName = 'start', endName = 'end'): Window {
  const end = micros(q, endName) ?? nowNanos();
  let start = micros(q, startName);
  if (start === undefined) {
    const lb = text(q, 'lookback');
    const back = lb === undefined ? DEFAULT_LOOKBACK : parseDuration(lb);
    if (back === undefined) bad(`parameter 'lookback' must be a duration such as 30m or 1h, got "${lb}"`);
    start = end - back;
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

export function traceId(raw: string, name = 'traceID'): string {
  const id = normalizeTraceId(raw);
  if (!id) bad(`malformed ${name} "${raw}": expected 1 to 32 hex digits`);
  return id;
}
