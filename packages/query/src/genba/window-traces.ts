/**
 * The traces behind a window's aggregates. A window can hold millions of traces, so at most
 * `limit` are read, spread evenly over `slices` sub-windows (newest first within each), so a
 * long window is not represented by its last minutes alone.
 */
import type { Span } from '@genba/model';
import type { Storage } from '@genba/storage';
import type { Window } from './params.ts';

export interface WindowTraceQuery extends Window {
  service: string;
  operation?: string;
  tags?: Record<string, string>;
  limit: number;
  slices?: number;
}

export async function windowTraces(store: Storage, q: WindowTraceQuery): Promise<Span[][]> {
  const slices = Math.max(1, Math.min(q.slices ?? 12, q.limit));
  const width = (q.end - q.start) / BigInt(slices);
  const per = Math.ceil(q.limit / slices);
  const ids: string[] = [];
  for (let i = 0; i < slices; i++) {
    const startMin = q.start + width * BigInt(i);
    const startMax = i === slices - 1 ? q.end : startMin + width - 1n;
    const found = await store.findTraces({
      service: q.service,
      operation: q.operation,
      tags: q.tags,
      startMin,
      startMax,
      limit: per,
    });
    for (const s of found) ids.push(s.traceId);
  }
  const unique = [...new Set(ids)].slice(0, q.limit);
  const traces = await store.getTraces(unique);
  return unique.map((id) => traces.get(id)).filter((t): t is Span[] => t !== undefined);
}
