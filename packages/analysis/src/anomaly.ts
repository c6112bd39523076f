/** A trace is anomalous when it is slower than 1.5 × the P95 of its root service and operation. */
import type { TraceAnalysis } from './analyze-trace.ts';
import { formatDuration } from './format-duration.ts';

export interface Baseline {
  /** P95 duration in ns of the same root service and operation. */
  p95: number;
  /** Traces the P95 was computed from. */
  count: number;
}

export interface Anomaly {
  detected: boolean;
  reason: string;
  /** ns; undefined without a baseline. */
  threshold: number | undefined;
}

export const ANOMALY_FACTOR = 1.5;

export function detectAnomaly(
  a: TraceAnalysis,
  baseline: Baseline | undefined,
  factor = ANOMALY_FACTOR,
): Anomaly {
  const op = `${a.rootService} ${a.rootName}`;
  if (baseline === undefined || baseline.count === 0 || baseline.p95 <= 0)
    return { detected: false, reason: `no baseline for ${op} yet`, threshold: undefined };
  const threshold = baseline.p95 * factor;
  const took = formatDuration(a.total);
  const p95 = formatDuration(baseline.p95);
  if (a.total <= threshold)
    return {
      detected: false,
      reason: `${took} is within ${factor} × P95 (${p95}) of ${op}`,
      threshold,
    };
  const times = (a.total / baseline.p95).toFixed(1);
  const where =
    a.bottleneck === ''
      ? ''
      : `; most critical-path time in ${a.bottleneck} (${formatDuration(a.components[a.bottleneck] ?? 0)})`;
  return {
    detected: true,
    reason: `${took} is ${times} × the P95 of ${p95} for ${op} (threshold ${formatDuration(threshold)})${where}`,
    threshold,
  };
}
