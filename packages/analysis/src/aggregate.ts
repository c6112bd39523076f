/**
 * A value stream over a window: the per-trace figures summed, each component's critical-path
 * time distribution, the bottleneck ranking and the value-added ratio over time.
 */
import type { TraceAnalysis } from './analyze-trace.ts';
import type { CategoryTimes } from './categories.ts';
import { CATEGORIES, valueAddedRatio, zeroCategories } from './categories.ts';
import type { Distribution } from './quantiles.ts';
import { distribution } from './quantiles.ts';

export interface ComponentStats {
  component: string;
  /** Traces whose critical path passed through the component. */
  traces: number;
  /** Summed critical-path ns. */
  total: number;
  /** Fraction of all critical-path time in the window. */
  share: number;
  /** Per trace critical-path ns, over the traces that passed through it. */
  latency: Distribution;
  /** Traces in which it was the bottleneck. */
  bottleneckOf: number;
  categories: CategoryTimes;
}

export interface TimeBucket {
  /** Epoch ns, inclusive start and exclusive end. */
  start: bigint;
  end: bigint;
  traces: number;
  categories: CategoryTimes;
  valueAddedRatio: number;
}

export interface ValueStreamReport {
  traces: number;
  /** Summed root durations in ns; the categories sum to it. */
  total: number;
  categories: CategoryTimes;
  valueAddedRatio: number;
  /** Trace durations. */
  latency: Distribution;
  /** The bottleneck ranking: most critical-path time first. */
  components: ComponentStats[];
  bottleneck: string;
  buckets: TimeBucket[];
}

export interface WindowOptions {
  start: bigint;
  end: bigint;
  /** Time buckets for the ratio over time; 0 for none. */
  buckets?: number;
}

export function aggregate(analyses: readonly TraceAnalysis[], window: WindowOptions): ValueStreamReport {
  const categories = zeroCategories();
  let total = 0;
  const perComponent = new Map<
    string,
    { values: number[]; bottleneckOf: number; categories: CategoryTimes }
  >();
  const entry = (name: string) => {
    let e = perComponent.get(name);
    if (e === undefined) {
      e = { values: [], bottleneckOf: 0, categories: zeroCategories() };
      perComponent.set(name, e);
    }
    return e;
  };
  for (const a of analyses) {
    total += a.total;
    for (const c of CATEGORIES) categories[c] += a.categories[c];
    for (const [name, t] of Object.entries(a.components)) entry(name).values.push(t);
    for (const s of a.segments) entry(s.component).categories[s.category] += s.end - s.start;
    if (a.bottleneck !== '') entry(a.bottleneck).bottleneckOf++;
  }
  const components: ComponentStats[] = [];
  for (const [component, e] of perComponent) {
    const sum = e.values.reduce((x, y) => x + y, 0);
    components.push({
      component,
      traces: e.values.length,
      total: sum,
      share: total > 0 ? sum / total : 0,
      latency: distribution(e.values),
      bottleneckOf: e.bottleneckOf,
      categories: e.categories,
    });
  }
  components.sort((a, b) => b.total - a.total || (a.component < b.component ? -1 : 1));
  return {
    traces: analyses.length,
    total,
    categories,
    valueAddedRatio: valueAddedRatio(categories),
    latency: distribution(analyses.map((a) => a.total)),
    components,
    bottleneck: components[0]?.component ?? '',
    buckets: bucketize(analyses, window),
  };
}

function bucketize(analyses: readonly TraceAnalysis[], w: WindowOptions): TimeBucket[] {
  const n = Math.max(0, Math.min(1000, Math.floor(w.buckets ?? 0)));
  if (n === 0 || w.end <= w.start) return [];
  const width = (w.end - w.start + BigInt(n) - 1n) / BigInt(n);
  const buckets: TimeBucket[] = [];
  for (let i = 0; i < n; i++) {
    const start = w.start + width * BigInt(i);
    const end = i === n - 1 ? w.end : start + width;
    buckets.push({ start, end, traces: 0, categories: zeroCategories(), valueAddedRatio: 0 });
  }
  for (const a of analyses) {
    if (a.start < w.start || a.start >= w.end) continue;
    const b = buckets[Math.min(n - 1, Number((a.start - w.start) / width))];
    b.traces++;
    for (const c of CATEGORIES) b.categories[c] += a.categories[c];
  }
  for (const b of buckets) b.valueAddedRatio = valueAddedRatio(b.categories);
  return buckets;
}
