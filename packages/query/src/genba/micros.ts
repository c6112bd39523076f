/**
 * ns → µs for the JSON answers. Each segment is measured between floored boundaries, so the
 * µs figures still sum exactly to the trace's µs duration, as the ns ones do.
 */
import type { Segment, TraceAnalysis } from '@genba/analysis';
import { zeroCategories } from '@genba/analysis';
import { nanosToMicros } from '@genba/model';

function segmentMicros(a: TraceAnalysis, s: Segment): { start: number; end: number } {
  const base = a.tree.base;
  return { start: nanosToMicros(base + BigInt(s.start)), end: nanosToMicros(base + BigInt(s.end)) };
}

export interface MicroFigures {
  totalLatency: number;
  categories: { processing: number; waiting: number; transport: number; defect: number };
  components: Record<string, number>;
  valueAddedRatio: number;
}

export function microFigures(a: TraceAnalysis): MicroFigures {
  const categories = zeroCategories();
  const components: Record<string, number> = Object.create(null); // span data may name a component __proto__
  let total = 0;
  for (const s of a.segments) {
    const { start, end } = segmentMicros(a, s);
    const d = end - start;
    categories[s.category] += d;
    components[s.component] = (components[s.component] ?? 0) + d;
    total += d;
  }
  // With no segments (a zero-length root) the total is the root's own floored length: 0.
  return {
    totalLatency: total,
    categories,
    components,
    valueAddedRatio: total > 0 ? categories.processing / total : 0,
  };
}

/** ns durations (relative figures) as µs, rounded. */
export function nsToMicros(ns: number): number {
  return Math.round(ns / 1000);
}
