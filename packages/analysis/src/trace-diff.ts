/**
 * Two traces aligned by path: each span is named by the service:operation chain from the root,
 * with an ordinal among siblings of the same name (by start), so repeated calls pair in order.
 */
import type { Span } from '@genba/model';
import { serviceName } from '@genba/model';
import type { TraceNode } from './trace-tree.ts';
import { buildTraceTree, mainRoot, preOrder } from './trace-tree.ts';

export interface DiffSpan {
  path: string;
  spanId: string;
  /** ns. */
  duration: number;
}

export interface DiffPair {
  path: string;
  a: { spanId: string; duration: number };
  b: { spanId: string; duration: number };
  /** b − a, ns. */
  delta: number;
}

export interface TraceDiff {
  a: { traceId: string; duration: number; spans: number };
  b: { traceId: string; duration: number; spans: number };
  onlyInA: DiffSpan[];
  onlyInB: DiffSpan[];
  /** Pairs in both, the largest absolute change first. */
  common: DiffPair[];
}

function pathMap(spans: readonly Span[]): {
  paths: Map<string, TraceNode>;
  duration: number;
  traceId: string;
} {
  const tree = buildTraceTree(spans);
  const root = mainRoot(tree);
  const paths = new Map<string, TraceNode>();
  if (root === undefined) return { paths, duration: 0, traceId: '' };
  const names = new Map<TraceNode, string>();
  for (const n of preOrder(root)) {
    const own = `${serviceName(n.span)}:${n.span.name}`;
    const prefix = n.parent === undefined ? '' : `${names.get(n.parent)} > `;
    let ordinal = 1;
    if (n.parent !== undefined)
      for (const s of n.parent.children) {
        if (s === n) break;
        if (`${serviceName(s.span)}:${s.span.name}` === own) ordinal++;
      }
    const path = `${prefix}${own}${ordinal > 1 ? `#${ordinal}` : ''}`;
    names.set(n, path);
    paths.set(path, n);
  }
  return { paths, duration: root.end - root.start, traceId: root.span.traceId };
}

export function diffTraces(a: readonly Span[], b: readonly Span[]): TraceDiff {
  const pa = pathMap(a);
  const pb = pathMap(b);
  const onlyInA: DiffSpan[] = [];
  const onlyInB: DiffSpan[] = [];
  const common: DiffPair[] = [];
  for (const [path, na] of pa.paths) {
    const nb = pb.paths.get(path);
    const da = na.end - na.start;
    if (nb === undefined) onlyInA.push({ path, spanId: na.span.spanId, duration: da });
    else {
      const db = nb.end - nb.start;
      common.push({
        path,
        a: { spanId: na.span.spanId, duration: da },
        b: { spanId: nb.span.spanId, duration: db },
        delta: db - da,
      });
    }
  }
  for (const [path, nb] of pb.paths)
    if (!pa.paths.has(path)) onlyInB.push({ path, spanId: nb.span.spanId, duration: nb.end - nb.start });
  common.sort((x, y) => Math.abs(y.delta) - Math.abs(x.delta) || (x.path < y.path ? -1 : 1));
  return {
    a: { traceId: pa.traceId, duration: pa.duration, spans: a.length },
    b: { traceId: pb.traceId, duration: pb.duration, spans: b.length },
    onlyInA,
    onlyInB,
    common,
  };
}
