// Client for Genba's analysis API on the query port (/api/genba/…).
import type {
  AnomalyItem,
  Comparison,
  CriticalSection,
  ErrorSignature,
  TraceAnalysis,
  ValueStream,
} from './genba-types.ts';
import { getData } from './http.ts';

/** A window of one service's traces; instants in epoch µs. */
export type WindowQuery = {
  service: string;
  /** '' or undefined: every operation */
  operation?: string;
  start: number;
  end: number;
  buckets?: number;
};

/** epoch µs */
export type TimeWindow = { start: number; end: number };

function tracePath(traceId: string, what: string): string {
  return `/api/genba/traces/${encodeURIComponent(traceId)}/${what}`;
}

export function windowParams(q: WindowQuery): URLSearchParams {
  const p = new URLSearchParams();
  p.set('service', q.service);
  if (q.operation) p.set('operation', q.operation);
  p.set('start', String(Math.floor(q.start)));
  p.set('end', String(Math.floor(q.end)));
  if (q.buckets !== undefined) p.set('buckets', String(q.buckets));
  return p;
}

export function fetchCriticalPath(traceId: string, signal?: AbortSignal): Promise<CriticalSection[]> {
  return getData<CriticalSection[]>(tracePath(traceId, 'critical-path'), signal);
}

export function fetchTraceAnalysis(traceId: string, signal?: AbortSignal): Promise<TraceAnalysis> {
  return getData<TraceAnalysis>(tracePath(traceId, 'analysis'), signal);
}

export function fetchValueStream(q: WindowQuery, signal?: AbortSignal): Promise<ValueStream> {
  return getData<ValueStream>(`/api/genba/value-stream?${windowParams(q)}`, signal);
}

export function fetchComparison(
  q: { service: string; operation?: string; before: TimeWindow; after: TimeWindow },
  signal?: AbortSignal,
): Promise<Comparison> {
  const p = new URLSearchParams();
  p.set('service', q.service);
  if (q.operation) p.set('operation', q.operation);
  p.set('beforeStart', String(Math.floor(q.before.start)));
  p.set('beforeEnd', String(Math.floor(q.before.end)));
  p.set('afterStart', String(Math.floor(q.after.start)));
  p.set('afterEnd', String(Math.floor(q.after.end)));
  return getData<Comparison>(`/api/genba/value-stream/compare?${p}`, signal);
}

export function fetchAnomalies(q: WindowQuery, signal?: AbortSignal): Promise<AnomalyItem[]> {
  return getData<AnomalyItem[]>(`/api/genba/anomalies?${windowParams(q)}`, signal);
}

export function fetchErrors(q: WindowQuery, signal?: AbortSignal): Promise<ErrorSignature[]> {
  return getData<ErrorSignature[]>(`/api/genba/errors?${windowParams(q)}`, signal);
}
