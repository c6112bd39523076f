/**
 * The value stream of one trace (DESIGN §5): its critical path cut into classified segments, the
 * time per category and per component, the value-added ratio and the bottleneck. Every segment
 * belongs to one span and the segments tile the root exactly, so the categories sum to the
 * root's duration with no gap and no double counting.
 */
import type { Span } from '@genba/model';
import { serviceName } from '@genba/model';
import type { CategoryTimes } from './categories.ts';
import { valueAddedRatio, zeroCategories } from './categories.ts';
import type { Segment } from './classify.ts';
import { classifySection } from './classify.ts';
import { pathSections } from './critical-path.ts';
import type { Rule } from './rules.ts';
import { DEFAULT_RULES } from './rules.ts';
import type { TraceNode, TraceTree } from './trace-tree.ts';
import { buildTraceTree, mainRoot, preOrder } from './trace-tree.ts';

export interface TraceAnalysis {
  traceId: string;
  rootSpanId: string;
  rootService: string;
  rootName: string;
  /** Epoch ns of the analysed root's start. */
  start: bigint;
  /** The root's duration in ns; the categories and the components each sum to it. */
  total: number;
  categories: CategoryTimes;
  valueAddedRatio: number;
  /** Critical-path ns per component (`genba.component`, else `service.name`). */
  components: Record<string, number>;
  /** The component with the most critical-path time ('' for an empty trace). */
  bottleneck: string;
  segments: Segment[];
  tree: TraceTree;
}

export interface AnalyzeOptions {
  rules?: readonly Rule[];
  /** Analyse the subtree under this span instead of the whole trace (a service's own value stream). */
  rootSpanId?: string;
}

export function analyzeTrace(
  spans: readonly Span[],
  options: AnalyzeOptions = {},
): TraceAnalysis | undefined {
  const tree = buildTraceTree(spans);
  const root = options.rootSpanId !== undefined ? tree.byId.get(options.rootSpanId) : mainRoot(tree);
  if (root === undefined) return undefined;
  return analyzeFrom(tree, root, options.rules ?? DEFAULT_RULES);
}

export function analyzeFrom(tree: TraceTree, root: TraceNode, rules: readonly Rule[]): TraceAnalysis {
  const segments: Segment[] = [];
  for (const section of pathSections(root)) classifySection(section, rules, segments);
  const categories = zeroCategories();
  const components: Record<string, number> = Object.create(null); // span data may name a component __proto__
  for (const s of segments) {
    const d = s.end - s.start;
    categories[s.category] += d;
    components[s.component] = (components[s.component] ?? 0) + d;
  }
  return {
    traceId: root.span.traceId,
    rootSpanId: root.span.spanId,
    rootService: serviceName(root.span),
    rootName: root.span.name,
    start: tree.base + BigInt(root.start),
    total: root.end - root.start,
    categories,
    valueAddedRatio: valueAddedRatio(categories),
    components,
    bottleneck: bottleneckOf(components),
    segments,
    tree,
  };
}

/** Most time wins; a tie goes to the name that sorts first, so reports are stable. */
export function bottleneckOf(components: Record<string, number>): string {
  let best = '';
  let most = -1;
  for (const [name, t] of Object.entries(components)) {
    if (t > most || (t === most && name < best)) {
      best = name;
      most = t;
    }
  }
  return best;
}

/**
 * The span where `service` (and `operation`, when given) first appears in the trace: the root of
 * that service's own value stream. Pre-order, so the outermost such span wins.
 */
export function entrySpan(tree: TraceTree, service: string, operation?: string): TraceNode | undefined {
  const root = mainRoot(tree);
  if (root === undefined) return undefined;
  for (const n of preOrder(root)) {
    if (serviceName(n.span) === service && (operation === undefined || n.span.name === operation)) return n;
  }
  return undefined;
}
