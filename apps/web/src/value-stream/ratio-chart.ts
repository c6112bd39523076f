// The value-added ratio over time as SVG geometry: one point per bucket that holds traces, the
// line broken where a bucket is empty (no traces is no ratio, not a ratio of 0).
import type { TimeBucket } from '../api/genba-types.ts';

export type ChartBox = {
  width: number;
  height: number;
  left: number;
  right: number;
  top: number;
  bottom: number;
};

export type ChartPoint = { x: number; y: number; bucket: TimeBucket };

export type RatioChart = {
  points: ChartPoint[];
  /** SVG path data, one "M…L…" run per stretch of non-empty buckets */
  path: string;
  /** y of ratio 0 and ratio 1 */
  y0: number;
  y1: number;
};

export function ratioChart(buckets: readonly TimeBucket[], box: ChartBox): RatioChart {
  const innerW = box.width - box.left - box.right;
  const y0 = box.height - box.bottom;
  const y1 = box.top;
  const points: ChartPoint[] = [];
  const runs: string[] = [];
  let run: string[] = [];
  const n = buckets.length;
  buckets.forEach((bucket, i) => {
    if (bucket.traceCount === 0) {
      if (run.length > 0) runs.push(run.join(''));
      run = [];
      return;
    }
    // Each point sits in the middle of its bucket's slot.
    const x = box.left + ((i + 0.5) / n) * innerW;
    const ratio = Math.min(1, Math.max(0, bucket.valueAddedRatio));
    const y = y0 - ratio * (y0 - y1);
    points.push({ x, y, bucket });
    run.push(`${run.length === 0 ? 'M' : 'L'}${x.toFixed(1)},${y.toFixed(1)}`);
  });
  if (run.length > 0) runs.push(run.join(''));
  return { points, path: runs.join(''), y0, y1 };
}
