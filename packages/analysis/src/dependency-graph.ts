/**
 * Service-to-service calls found in a set of traces: a span whose parent belongs to another
 * service is one call on the edge parent service → child service. The server reads the same
 * figures from its ingest-time table; this is for the CLI and the SDK, which hold spans.
 */
import type { Span } from '@genba/model';
import { serviceName } from '@genba/model';
import { quantile } from './quantiles.ts';
import { isError } from './span-facts.ts';

export interface DependencyEdge {
  parent: string;
  child: string;
  calls: number;
  errors: number;
  /** ns, of the child spans' durations. */
  p50: number;
  p95: number;
}

export function dependencyGraph(traces: Iterable<readonly Span[]>): DependencyEdge[] {
  const edges = new Map<string, { parent: string; child: string; errors: number; durations: number[] }>();
  for (const spans of traces) {
    const byId = new Map<string, Span>();
    for (const s of spans) byId.set(s.spanId, s);
    for (const s of spans) {
      const p = s.parentSpanId === '' ? undefined : byId.get(s.parentSpanId);
      if (p === undefined) continue;
      const parent = serviceName(p);
      const child = serviceName(s);
      if (parent === child) continue;
      const key = `${parent}\u0000${child}`;
      let e = edges.get(key);
      if (e === undefined) {
        e = { parent, child, errors: 0, durations: [] };
        edges.set(key, e);
      }
      if (isError(s)) e.errors++;
      const d = s.endTimeUnixNano - s.startTimeUnixNano;
      e.durations.push(d > 0n ? Number(d) : 0);
    }
  }
  const out: DependencyEdge[] = [];
  for (const e of edges.values()) {
    const sorted = e.durations.sort((x, y) => x - y);
    out.push({
      parent: e.parent,
      child: e.child,
      calls: sorted.length,
      errors: e.errors,
      p50: quantile(sorted, 0.5),
      p95: quantile(sorted, 0.95),
    });
  }
  return out.sort((a, b) =>
    a.parent === b.parent ? (a.child < b.child ? -1 : 1) : a.parent < b.parent ? -1 : 1,
  );
}
