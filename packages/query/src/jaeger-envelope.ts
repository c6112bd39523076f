/** Jaeger's v1 response envelope, which Grafana and jaeger-ui read. */
export interface JaegerEnvelope<T> {
  data: T | null;
  total: number;
  limit: number;
  offset: number;
  errors: { code: number; msg: string }[] | null;
}

export function ok<T>(data: T, total = 0): JaegerEnvelope<T> {
  return { data, total, limit: 0, offset: 0, errors: null };
}

export function failure(code: number, msg: string): JaegerEnvelope<null> {
  return { data: null, total: 0, limit: 0, offset: 0, errors: [{ code, msg }] };
}
