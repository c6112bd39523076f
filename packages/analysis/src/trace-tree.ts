/**
 * A trace as a tree of nodes with times in nanoseconds relative to the trace's earliest start,
 * as plain numbers: analysis does arithmetic on every node, and numbers are exact to 2^53 ns
 * (104 days), far longer than any trace.
 */
import type { Span } from '@genba/model';

export interface TraceNode {
  readonly span: Span;
  /** ns since `TraceTree.base`; `end >= start`. */
  readonly start: number;
  readonly end: number;
  /** undefined for a root: no parent id, a parent absent from the trace, or a broken cycle. */
  parent: TraceNode | undefined;
  readonly children: TraceNode[];
}

export interface TraceTree {
  /** Epoch ns of the earliest span start; every node's times are relative to it. */
  readonly base: bigint;
  readonly nodes: readonly TraceNode[];
  /** Nodes without a parent in the trace, by start. */
  readonly roots: readonly TraceNode[];
  readonly byId: ReadonlyMap<string, TraceNode>;
}

export function buildTraceTree(spans: readonly Span[]): TraceTree {
  let base = spans.length > 0 ? spans[0].startTimeUnixNano : 0n;
  for (const s of spans) if (s.startTimeUnixNano < base) base = s.startTimeUnixNano;
  const nodes: TraceNode[] = [];
  const byId = new Map<string, TraceNode>();
  for (const span of spans) {
    const start = Number(span.startTimeUnixNano - base);
    const end = Math.max(start, Number(span.endTimeUnixNano - base));
    const node: TraceNode = { span, start, end, parent: undefined, children: [] };
    nodes.push(node);
    // A repeated id keeps its first span (the adjusters dedupe before this).
    if (!byId.has(span.spanId)) byId.set(span.spanId, node);
  }
  for (const node of nodes) {
    const pid = node.span.parentSpanId;
    if (pid === '' || pid === node.span.spanId || byId.get(node.span.spanId) !== node) continue;
    const parent = byId.get(pid);
    if (parent) {
      node.parent = parent;
      parent.children.push(node);
    }
  }
  breakCycles(nodes);
  for (const n of nodes) if (n.children.length > 1) n.children.sort(byStart);
  const roots = nodes.filter((n) => n.parent === undefined && byId.get(n.span.spanId) === n).sort(byStart);
  return { base, nodes, roots, byId };
}

function byStart(a: TraceNode, b: TraceNode): number {
  return a.start - b.start || a.end - b.end;
}

/** Hostile or broken input can make parent links loop; each loop is cut at one node, which becomes a root. */
function breakCycles(nodes: TraceNode[]): void {
  const reached = new Set<TraceNode>();
  const mark = (root: TraceNode) => {
    const stack = [root];
    while (stack.length > 0) {
      const n = stack.pop() as TraceNode;
      reached.add(n);
      for (const c of n.children) stack.push(c);
    }
  };
  for (const n of nodes) if (n.parent === undefined) mark(n);
  if (reached.size === nodes.length) return;
  for (const n of nodes) {
    if (reached.has(n) || n.parent === undefined) continue;
    const siblings = n.parent.children;
    siblings.splice(siblings.indexOf(n), 1);
    n.parent = undefined;
    mark(n);
  }
}

/**
 * The root whose tree the analysis follows: a span without a parent id before an orphan, then
 * the earliest start, then the longest. Spans joined to the trace only by links are roots too,
 * but never the main one while a real root exists.
 */
export function mainRoot(tree: TraceTree): TraceNode | undefined {
  let best: TraceNode | undefined;
  for (const r of tree.roots) {
    if (best === undefined || rank(r, best) < 0) best = r;
  }
  return best;
}

function rank(a: TraceNode, b: TraceNode): number {
  const ta = tier(a);
  const tb = tier(b);
  if (ta !== tb) return ta - tb;
  return a.start - b.start || b.end - a.end;
}

function tier(n: TraceNode): number {
  if (n.span.parentSpanId === '') return n.span.links.length > 0 ? 1 : 0;
  return 2;
}

/** Pre-order walk without recursion: traces can be 100k spans deep. */
export function* preOrder(root: TraceNode): Generator<TraceNode> {
  const stack = [root];
  while (stack.length > 0) {
    const n = stack.pop() as TraceNode;
    yield n;
    for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i]);
  }
}
