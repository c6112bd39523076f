/**
 * The local analyzer's per-component figures, read off a value-stream report. All times are
 * critical-path nanoseconds, like every figure of @genba/analysis.
 */
import type { ValueStreamReport } from '@genba/analysis';

export interface ComponentLatency {
  /** Analysed traces whose critical path passed through the component. */
  count: number;
  /** Critical-path ns summed over those traces. */
  totalNs: number;
  /** The component's fraction of all critical-path time in the analyzer. */
  share: number;
  /** Per trace critical-path ns: mean and nearest-rank quantiles. */
  avgNs: number;
  p50Ns: number;
  p95Ns: number;
  p99Ns: number;
  maxNs: number;
}

export interface Bottleneck {
  /** `genba.component`, else `service.name`. */
  component: string;
  /** Fraction (0–1) of all critical-path time spent in it. */
  share: number;
  totalNs: number;
  /** Traces whose critical path passed through it. */
  traces: number;
  /** Traces in which it was the bottleneck. */
  bottleneckOf: number;
}

/** Component → latency, most critical-path time first (the report's ranking). */
export function componentLatencies(report: ValueStreamReport): Record<string, ComponentLatency> {
  // fromEntries defines own properties, so a component named `__proto__` stays an ordinary key.
  return Object.fromEntries(
    report.components.map((c) => [
      c.component,
      {
        count: c.traces,
        totalNs: c.total,
        share: c.share,
        avgNs: c.latency.avg,
        p50Ns: c.latency.p50,
        p95Ns: c.latency.p95,
        p99Ns: c.latency.p99,
        maxNs: c.latency.max,
      },
    ]),
  );
}

export function bottleneckOf(report: ValueStreamReport): Bottleneck | undefined {
  const top = report.components[0];
  if (top === undefined) return undefined;
  return {
    component: top.component,
    share: top.share,
    totalNs: top.total,
    traces: top.traces,
    bottleneckOf: top.bottleneckOf,
  };
}
