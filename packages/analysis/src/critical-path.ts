/**
 * The critical path as jaeger-ui computes it: start at the root's end, descend into the child that
 * finishes last, and on the way back up take, at each level, the child that ends strictly before
 * the one just visited started. Children are first clipped to their parent (or dropped when wholly
 * outside it), and a CONSUMER under a PRODUCER is asynchronous, so neither it nor its subtree blocks.
 */
import type { Span } from '@genba/model';
import { SpanKind } from '@genba/model';
import type { TraceNode, TraceTree } from './trace-tree.ts';
import { buildTraceTree } from './trace-tree.ts';

/** One stretch of the critical path, in epoch nanoseconds. */
export interface CriticalPathSection {
  spanId: string;
  start: bigint;
  end: bigint;
}

/** A section with times relative to the tree's base, as the value stream consumes it. */
export interface PathSection {
  node: TraceNode;
  start: number;
  end: number;
}

/**
 * The critical path as jaeger-ui shows it: each true root's path (a span with no parent id and no
 * links; orphans and link-only spans are not roots here), roots in order of start, each ascending
 * with adjacent sections of one span merged. The value stream follows `mainRoot` alone instead.
 */
export function criticalPath(spans: readonly Span[]): CriticalPathSection[] {
  const tree = buildTraceTree(spans);
  const out: CriticalPathSection[] = [];
  for (const root of tree.roots) {
    if (root.span.parentSpanId !== '' || root.span.links.length > 0) continue;
    for (const s of pathSections(root))
      out.push({
        spanId: s.node.span.spanId,
        start: tree.base + BigInt(s.start),
        end: tree.base + BigInt(s.end),
      });
  }
  return out;
}

/** Clipped times and the blocking children, ordered by end descending, of one node. */
interface PathNode {
  node: TraceNode;
  start: number;
  end: number;
  parent: PathNode | undefined;
  byEnd: PathNode[];
  /** Index into `byEnd` of the next candidate when walking back: ends only decrease. */
  next: number;
}

/** The critical path under `root` (the whole trace when it is the main root), ascending and merged. */
export function pathSections(root: TraceNode): PathSection[] {
  const top = clippedTree(root);
  const reversed: PathSection[] = [];
  let current: PathNode = top;
  let returning: number | undefined;
  for (;;) {
    const child = lastFinishingChild(current, returning);
    const sectionEnd = returning ?? current.end;
    if (child !== undefined) {
      if (child.end !== sectionEnd) reversed.push({ node: current.node, start: child.end, end: sectionEnd });
      current = child;
      returning = undefined;
      continue;
    }
    if (current.start !== sectionEnd)
      reversed.push({ node: current.node, start: current.start, end: sectionEnd });
    if (current.parent === undefined) break;
    returning = current.start;
    current = current.parent;
  }
  return mergeAscending(reversed);
}

function lastFinishingChild(p: PathNode, returning: number | undefined): PathNode | undefined {
  if (returning === undefined) return p.byEnd[0];
  while (p.next < p.byEnd.length && p.byEnd[p.next].end >= returning) p.next++;
  return p.byEnd[p.next];
}

function blocks(child: TraceNode, parent: TraceNode): boolean {
  return !(parent.span.kind === SpanKind.PRODUCER && child.span.kind === SpanKind.CONSUMER);
}

/** Pre-order copy of the blocking tree with every child clipped to its (already clipped) parent. */
function clippedTree(root: TraceNode): PathNode {
  const top: PathNode = {
    node: root,
    start: root.start,
    end: root.end,
    parent: undefined,
    byEnd: [],
    next: 0,
  };
  const stack: PathNode[] = [top];
  while (stack.length > 0) {
    const p = stack.pop() as PathNode;
    for (const c of p.node.children) {
      if (!blocks(c, p.node)) continue;
      // Wholly outside the parent: dropped with its subtree, as jaeger-ui does.
      const inside = c.start >= p.start ? c.start < p.end : c.end > p.start;
      if (!inside) continue;
      const start = Math.max(c.start, p.start);
      const end = Math.min(c.end, p.end);
      const pc: PathNode = { node: c, start, end, parent: p, byEnd: [], next: 0 };
      p.byEnd.push(pc);
      stack.push(pc);
    }
    // Stable: among equal ends the earlier-starting child (children are sorted by start) wins.
    p.byEnd.sort((a, b) => b.end - a.end);
  }
  return top;
}

function mergeAscending(reversed: PathSection[]): PathSection[] {
  const out: PathSection[] = [];
  for (let i = reversed.length - 1; i >= 0; i--) {
    const s = reversed[i];
    const last = out[out.length - 1];
    if (last !== undefined && last.node === s.node && last.end === s.start) last.end = s.end;
    else out.push({ ...s });
  }
  return out;
}

export type { TraceTree };
