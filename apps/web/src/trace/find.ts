// "Find in trace": which rows match a text, by service, operation, span id, or tag key/value.
import type { JaegerTrace } from '../api/jaeger-types.ts';
import type { SpanRow } from './rows.ts';
import { serviceOf, tagText } from './span-info.ts';

/**
 * Row indexes whose span matches every space-separated term (case-insensitive substring of the
 * service, operation, span id, a tag key or value, or "key=value").
 */
export function findRows(trace: JaegerTrace, rows: readonly SpanRow[], text: string): number[] {
  const terms = text.toLowerCase().split(/\s+/).filter(Boolean);
  if (terms.length === 0) return [];
  const out: number[] = [];
  for (const row of rows) {
    const s = row.span;
    const hay: string[] = [serviceOf(trace, s), s.operationName, s.spanID];
    for (const t of s.tags ?? []) {
      const v = tagText(t.value);
      hay.push(t.key, v, `${t.key}=${v}`);
    }
    const lower = hay.map((h) => h.toLowerCase());
    if (terms.every((term) => lower.some((h) => h.includes(term)))) out.push(row.index);
  }
  return out;
}
