/**
 * The traces behind a window's aggregates. A window can hold millions of traces, so at most
 * `limit` are read, spread evenly over `slices` sub-windows (newest first within each), so a
 * long window is not represented by its last minutes alone.
 */
import type { Span } from '@genba/model';
import type { Storage } from '@genba/storage';
import type { Window } from '../query-params.ts';

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
  const query = (i: number, limit: number) => {
    const startMin = q.start + width * BigInt(i);
    const startMax = i === slices - 1 ? q.end : startMin + width - 1n;
    return store.findTraces({
      service: q.service,
      operation: q.operation,
      tags: q.tags,
      startMin,
      startMax,
      limit,
    });
  };
  const found: string[][] = [];
  for (let i = 0; i < slices; i++) found.push((await query(i, per)).map((s) => s.traceId));
  // Traffic is rarely even: what quiet slices leave unused goes to the slices that were full.
  let spare = q.limit - found.reduce((n, f) => n + f.length, 0);
  for (let i = 0; i < slices && spare > 0; i++) {
    if (found[i].length < per) continue;
    const more = (await query(i, per + spare)).map((s) => s.traceId);
    spare -= more.length - found[i].length;
    found[i] = more;
  }
  const ids = found.flat();
  const unique = [...new Set(ids)].slice(0, q.limit);
  const traces = await store.getTraces(unique);
  return unique.map((id) => traces.get(id)).filter((t): t is Span[] => t !== undefined);
}
