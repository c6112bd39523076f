/** Before/after: two windows side by side, per trace, for the kaizen loop of measure → change → measure. */
import type { ValueStreamReport } from './aggregate.ts';
import type { Category } from './categories.ts';
import { CATEGORIES } from './categories.ts';

export interface Delta {
  before: number;
  after: number;
  /** after − before. */
  delta: number;
  /** delta ÷ before, or null when before is 0. */
  change: number | null;
}

export interface ComponentDelta {
  component: string;
  /** Mean critical-path ns per trace of the window (0 when absent from it). */
  perTrace: Delta;
  p95: Delta;
  share: Delta;
}

export interface Comparison {
  traces: { before: number; after: number };
  /** Mean ns per trace, per category. */
  categories: Record<Category, Delta>;
  valueAddedRatio: Delta;
  latencyP95: Delta;
  latencyAvg: Delta;
  components: ComponentDelta[];
  bottleneck: { before: string; after: string };
}

export function delta(before: number, after: number): Delta {
  return { before, after, delta: after - before, change: before !== 0 ? (after - before) / before : null };
}

function perTrace(total: number, traces: number): number {
  return traces > 0 ? total / traces : 0;
}

export function compareReports(before: ValueStreamReport, after: ValueStreamReport): Comparison {
  const categories = {} as Record<Category, Delta>;
  for (const c of CATEGORIES)
    categories[c] = delta(
      perTrace(before.categories[c], before.traces),
      perTrace(after.categories[c], after.traces),
    );
  const names = new Set([...before.components, ...after.components].map((c) => c.component));
  const components: ComponentDelta[] = [];
  for (const name of names) {
    const b = before.components.find((c) => c.component === name);
    const a = after.components.find((c) => c.component === name);
    components.push({
      component: name,
      perTrace: delta(perTrace(b?.total ?? 0, before.traces), perTrace(a?.total ?? 0, after.traces)),
      p95: delta(b?.latency.p95 ?? 0, a?.latency.p95 ?? 0),
      share: delta(b?.share ?? 0, a?.share ?? 0),
    });
  }
  // The biggest improvements (most negative change per trace) first.
  components.sort((x, y) => x.perTrace.delta - y.perTrace.delta || (x.component < y.component ? -1 : 1));
  return {
    traces: { before: before.traces, after: after.traces },
    categories,
    valueAddedRatio: delta(before.valueAddedRatio, after.valueAddedRatio),
    latencyP95: delta(before.latency.p95, after.latency.p95),
    latencyAvg: delta(before.latency.avg, after.latency.avg),
    components,
    bottleneck: { before: before.bottleneck, after: after.bottleneck },
  };
}
