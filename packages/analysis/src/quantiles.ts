/** Exact order statistics over a sample: nearest rank, as most latency tables report. */

export interface Distribution {
  count: number;
  avg: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** The value at rank ceil(q·n) of the sorted values; 0 for none. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return sorted[rank - 1];
}

export function distribution(values: readonly number[]): Distribution {
  const sorted = Float64Array.from(values).sort();
  let sum = 0;
  for (const v of sorted) sum += v;
  const arr = sorted as unknown as number[];
  return {
    count: sorted.length,
    avg: sorted.length > 0 ? sum / sorted.length : 0,
    p50: quantile(arr, 0.5),
    p95: quantile(arr, 0.95),
    p99: quantile(arr, 0.99),
    max: sorted.length > 0 ? sorted[sorted.length - 1] : 0,
  };
}
