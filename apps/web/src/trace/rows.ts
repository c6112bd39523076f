// The waterfall's model, after jaeger-ui: the trace's span tree flattened into a pre-order array
// of rows with depths. Collapsing a row hides the contiguous run of rows after it (its subtree),
// so the visible rows are one linear pass, whatever the trace's size. No recursion: a 100k-deep
// chain must not overflow the stack.
import type { JaegerSpan } from '../api/jaeger-types.ts';
import { parentSpanId } from './span-info.ts';

export type SpanRow = {
  span: JaegerSpan;
  /** position in the pre-order array */
  index: number;
  /** 0 for roots */
  depth: number;
  /** row index of the parent, -1 for roots */
  parentIndex: number;
  childCount: number;
  /** index just after the last row of this row's subtree */
  subtreeEnd: number;
  /** the span names a parent that is not in the trace, so it is shown as a root */
  orphan: boolean;
};

function byStart(spans: JaegerSpan[]) {
  return (a: number, b: number) => spans[a].startTime - spans[b].startTime || a - b;
}

/** Builds the pre-order rows: roots and siblings by start time, orphans as roots. */
export function buildRows(spans: JaegerSpan[]): SpanRow[] {
  const n = spans.length;
  const byId = new Map<string, number>();
  for (let i = 0; i < n; i++) if (!byId.has(spans[i].spanID)) byId.set(spans[i].spanID, i);

  const children: number[][] = Array.from({ length: n }, () => []);
  const roots: number[] = [];
  const orphan = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const pid = parentSpanId(spans[i]);
    const p = pid === null ? undefined : byId.get(pid);
    if (p === undefined || p === i) {
      roots.push(i);
      if (pid !== null && p === undefined) orphan[i] = 1;
    } else {
      children[p].push(i);
    }
  }
  const cmp = byStart(spans);
  roots.sort(cmp);
  for (const c of children) if (c.length > 1) c.sort(cmp);

  const rows: SpanRow[] = [];
  const visited = new Uint8Array(n);
  const walk = (root: number) => {
    // stack of [span index, depth, parent row index]
    const stack: [number, number, number][] = [[root, 0, -1]];
    while (stack.length > 0) {
      const [s, depth, parentIndex] = stack.pop()!;
      if (visited[s]) continue;
      visited[s] = 1;
      const index = rows.length;
      rows.push({
        span: spans[s],
        index,
        depth,
        parentIndex,
        childCount: 0,
        subtreeEnd: index + 1,
        orphan: orphan[s] === 1,
      });
      const kids = children[s];
      for (let k = kids.length - 1; k >= 0; k--) stack.push([kids[k], depth + 1, index]);
    }
  };
  for (const r of roots) walk(r);
  // Spans caught in a reference cycle are reachable from no root: show each cycle from its
  // earliest span, as a root.
  if (rows.length < n) {
    const rest: number[] = [];
    for (let i = 0; i < n; i++) if (!visited[i]) rest.push(i);
    rest.sort(cmp);
    for (const r of rest) if (!visited[r]) walk(r);
  }

  // Children follow their parent in pre-order, so one backward pass sizes every subtree.
  const size = new Uint32Array(rows.length).fill(1);
  for (let i = rows.length - 1; i >= 0; i--) {
    const p = rows[i].parentIndex;
    if (p >= 0) {
      size[p] += size[i];
      rows[p].childCount++;
    }
  }
  for (let i = 0; i < rows.length; i++) rows[i].subtreeEnd = i + size[i];
  return rows;
}

/** The rows left visible when the rows in `collapsed` (row indexes) hide their subtrees. */
export function visibleRows(rows: readonly SpanRow[], collapsed: ReadonlySet<number>): SpanRow[] {
  if (collapsed.size === 0) return rows as SpanRow[];
  const out: SpanRow[] = [];
  let i = 0;
  while (i < rows.length) {
    const row = rows[i];
    out.push(row);
    i = collapsed.has(i) ? row.subtreeEnd : i + 1;
  }
  return out;
}

/** A new set with `index` collapsed if it was expanded, and expanded if it was collapsed. */
export function toggleCollapsed(collapsed: ReadonlySet<number>, index: number): Set<number> {
  const next = new Set(collapsed);
  if (next.has(index)) next.delete(index);
  else next.add(index);
  return next;
}

/**
 * Collapses every row at `depth` or deeper that has children: depths 0..depth stay in view, and
 * expanding a row then shows one more level.
 */
export function collapseToDepth(rows: readonly SpanRow[], depth: number): Set<number> {
  const out = new Set<number>();
  for (const r of rows) if (r.depth >= depth && r.childCount > 0) out.add(r.index);
  return out;
}

/** Every row with children, collapsed: only the roots stay in view. */
export function collapseAll(rows: readonly SpanRow[]): Set<number> {
  return collapseToDepth(rows, 0);
}

/** A new set where no ancestor of `index` is collapsed, so that row is visible. */
export function revealRow(
  rows: readonly SpanRow[],
  collapsed: ReadonlySet<number>,
  index: number,
): Set<number> {
  const next = new Set(collapsed);
  for (let p = rows[index]?.parentIndex ?? -1; p >= 0; p = rows[p].parentIndex) next.delete(p);
  return next;
}

/** Number of levels: 1 for a lone root. */
export function treeDepth(rows: readonly SpanRow[]): number {
  let max = -1;
  for (const r of rows) if (r.depth > max) max = r.depth;
  return max + 1;
}
