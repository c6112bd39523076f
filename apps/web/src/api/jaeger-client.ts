// A small client for the Jaeger query API v1, served on the same origin as the UI.
import { ApiError, getJson } from './http.ts';
import type { JaegerTrace } from './jaeger-types.ts';

export { ApiError };

export type TraceQuery = {
  service: string;
  operation?: string;
  /** the JSON object text Jaeger expects, e.g. {"error":"true"} */
  tags?: string;
  minDuration?: string;
  maxDuration?: string;
  /** e.g. "1h"; informative, start/end carry the window */
  lookback?: string;
  /** microseconds since the epoch */
  start?: number;
  /** microseconds since the epoch */
  end?: number;
  limit?: number;
};

export function buildTracesQuery(q: TraceQuery): string {
  const p = new URLSearchParams();
  p.set('service', q.service);
  if (q.operation) p.set('operation', q.operation);
  if (q.tags) p.set('tags', q.tags);
  if (q.minDuration) p.set('minDuration', q.minDuration);
  if (q.maxDuration) p.set('maxDuration', q.maxDuration);
  if (q.lookback) p.set('lookback', q.lookback);
  if (q.start !== undefined) p.set('start', String(Math.floor(q.start)));
  if (q.end !== undefined) p.set('end', String(Math.floor(q.end)));
  if (q.limit !== undefined) p.set('limit', String(q.limit));
  return p.toString();
}

export async function fetchServices(signal?: AbortSignal): Promise<string[]> {
  const body = await getJson<string[]>('/api/services', signal);
  return [...(body.data ?? [])].sort((a, b) => a.localeCompare(b));
}

export async function fetchOperations(service: string, signal?: AbortSignal): Promise<string[]> {
  const body = await getJson<string[]>(`/api/services/${encodeURIComponent(service)}/operations`, signal);
  return [...(body.data ?? [])].sort((a, b) => a.localeCompare(b));
}

export async function findTraces(q: TraceQuery, signal?: AbortSignal): Promise<JaegerTrace[]> {
  const body = await getJson<JaegerTrace[]>(`/api/traces?${buildTracesQuery(q)}`, signal);
  return body.data ?? [];
}

/** Resolves to null when the server says the trace does not exist. */
export async function fetchTrace(traceId: string, signal?: AbortSignal): Promise<JaegerTrace | null> {
  try {
    const body = await getJson<JaegerTrace[]>(`/api/traces/${encodeURIComponent(traceId)}`, signal);
    return body.data?.[0] ?? null;
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return null;
    throw err;
  }
}
