/**
 * Reads /api/traces search parameters the way Jaeger's query service does, and refuses
 * bad ones with a message that names the parameter.
 */
import { GenbaError, microsToNanos, nowNanos, parseDuration } from '@genba/model';
import type { TraceQuery } from '@genba/storage';

export const DEFAULT_LIMIT = 20;
export const MAX_LIMIT = 1500;
const DEFAULT_LOOKBACK = 3_600_000_000_000n; // 1h, when neither start nor lookback is given

type Raw = Record<string, string | string[] | undefined>;

function one(q: Raw, name: string): string | undefined {
  const v = q[name];
  const s = Array.isArray(v) ? v[v.length - 1] : v;
  return s === undefined || s === '' ? undefined : s;
}

function bad(message: string): never {
  throw new GenbaError('bad_request', message);
}

function micros(q: Raw, name: string): bigint | undefined {
  const v = one(q, name);
  if (v === undefined) return undefined;
  if (!/^\d{1,19}$/.test(v))
    bad(`parameter '${name}' must be a time in microseconds since the epoch, got "${v}"`);
  return microsToNanos(BigInt(v));
}

function duration(q: Raw, name: string): bigint | undefined {
  const v = one(q, name);
  if (v === undefined) return undefined;
  const ns = parseDuration(v);
  if (ns === undefined) bad(`parameter '${name}' must be a duration such as 250ms or 1.5s, got "${v}"`);
  return ns;
}

function tags(q: Raw): Record<string, string> {
  const out: Record<string, string> = {};
  const json = one(q, 'tags');
  if (json !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(json);
    } catch (err) {
      bad(
        `malformed 'tags' parameter: ${(err as Error).message}; expected a JSON object like {"http.status_code":"500"}`,
      );
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      bad(`malformed 'tags' parameter: expected a JSON object like {"http.status_code":"500"}`);
    for (const [k, v] of Object.entries(parsed as Record<string, unknown>)) {
      if (typeof v === 'object' && v !== null) bad(`tag '${k}' must have a scalar value`);
      out[k] = String(v);
    }
  }
  // Jaeger also takes repeated tag=key:value parameters.
  const list = q.tag === undefined ? [] : Array.isArray(q.tag) ? q.tag : [q.tag];
  for (const t of list) {
    const i = t.indexOf(':');
    if (i <= 0) bad(`malformed 'tag' parameter "${t}": expected key:value`);
    out[t.slice(0, i)] = t.slice(i + 1);
  }
  return out;
}

export function parseTraceQuery(q: Raw): TraceQuery {
  const service = one(q, 'service');
  if (service === undefined) bad("parameter 'service' is required");
  const end = micros(q, 'end') ?? nowNanos();
  let start = micros(q, 'start');
  if (start === undefined) {
    const lookback = one(q, 'lookback');
    const back = lookback && lookback !== 'custom' ? duration(q, 'lookback') : DEFAULT_LOOKBACK;
    start = end - (back ?? DEFAULT_LOOKBACK);
  }
  if (start > end) bad(`parameter 'start' must not be after 'end'`);
  const durationMin = duration(q, 'minDuration');
  const durationMax = duration(q, 'maxDuration');
  if (durationMin !== undefined && durationMax !== undefined && durationMin > durationMax)
    bad(`'minDuration' must not be greater than 'maxDuration'`);
  const limitText = one(q, 'limit');
  let limit = DEFAULT_LIMIT;
  if (limitText !== undefined) {
    if (!/^\d+$/.test(limitText)) bad(`parameter 'limit' must be a positive integer, got "${limitText}"`);
    limit = Math.min(Number(limitText) || DEFAULT_LIMIT, MAX_LIMIT);
  }
  const operation = one(q, 'operation');
  return {
    service,
    operation: operation === 'all' ? undefined : operation,
    tags: tags(q),
    startMin: start,
    startMax: end,
    durationMin,
    durationMax,
    limit,
  };
}
