/**
 * Reads /api/traces search parameters the way Jaeger's query service does, and refuses
 * bad ones with a message that names the parameter.
 */
import type { TraceQuery } from '@genba/storage';
import type { Raw } from './query-params.ts';
import { bad, duration, text, window } from './query-params.ts';

export const DEFAULT_LIMIT = 20;
export const MAX_LIMIT = 1500;

function tags(q: Raw): Record<string, string> {
  const out: Record<string, string> = {};
  const json = text(q, 'tags');
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
  const service = text(q, 'service');
  if (service === undefined) bad("parameter 'service' is required");
  const { start, end } = window(q);
  const durationMin = duration(q, 'minDuration');
  const durationMax = duration(q, 'maxDuration');
  if (durationMin !== undefined && durationMax !== undefined && durationMin > durationMax)
    bad(`'minDuration' must not be greater than 'maxDuration'`);
  const limitText = text(q, 'limit');
  let limit = DEFAULT_LIMIT;
  if (limitText !== undefined) {
    if (!/^\d+$/.test(limitText)) bad(`parameter 'limit' must be a positive integer, got "${limitText}"`);
    limit = Math.min(Number(limitText) || DEFAULT_LIMIT, MAX_LIMIT);
  }
  const operation = text(q, 'operation');
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
