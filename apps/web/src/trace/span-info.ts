// Facts about one span, read from its Jaeger tags and its trace's processes.
import type { JaegerReference, JaegerSpan, JaegerTag, JaegerTrace } from '../api/jaeger-types.ts';

export function findTag(tags: JaegerTag[] | null | undefined, key: string): JaegerTag | undefined {
  if (!tags) return undefined;
  for (const t of tags) if (t.key === key) return t;
  return undefined;
}

/** A tag value as display text. */
export function tagText(value: JaegerTag['value']): string {
  if (value === null || value === undefined) return '';
  return String(value);
}

/** error=true (bool or string) or otel.status_code=ERROR. */
export function isErrorSpan(span: JaegerSpan): boolean {
  const tags = span.tags;
  if (!tags) return false;
  for (const t of tags) {
    if (t.key === 'error' && (t.value === true || t.value === 'true')) return true;
    if (t.key === 'otel.status_code' && String(t.value).toUpperCase() === 'ERROR') return true;
  }
  return false;
}

/** server, client, producer, consumer, internal, or '' when the span says nothing. */
export function spanKind(span: JaegerSpan): string {
  const t = findTag(span.tags, 'span.kind');
  return t ? tagText(t.value).toLowerCase() : '';
}

export function serviceOf(trace: JaegerTrace, span: JaegerSpan): string {
  return trace.processes?.[span.processID]?.serviceName ?? 'unknown-service';
}

/**
 * The span's parent id, as jaeger-ui chooses it: a CHILD_OF reference in the same trace first,
 * else the first reference in the same trace. null for a root.
 */
export function parentSpanId(span: JaegerSpan): string | null {
  const refs = span.references;
  if (!refs || refs.length === 0) return null;
  let first: JaegerReference | undefined;
  for (const r of refs) {
    if (!r?.spanID || (r.traceID && span.traceID && r.traceID !== span.traceID)) continue;
    if (r.refType === 'CHILD_OF') return r.spanID;
    first ??= r;
  }
  return first?.spanID ?? null;
}
