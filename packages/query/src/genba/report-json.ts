/** The JSON shapes of /api/genba/...: times in µs (epoch µs for instants), ratios as fractions 0–1. */
import type {
  Anomaly,
  Comparison,
  CriticalPathSection,
  Delta,
  Distribution,
  ErrorSignature,
  TraceAnalysis,
  TraceDiff,
  ValueStreamReport,
} from '@genba/analysis';
import { CATEGORIES } from '@genba/analysis';
import { nanosToMicros } from '@genba/model';
import type { Window } from '../query-params.ts';
import { microFigures, nsToMicros } from './micros.ts';

export function criticalPathJson(sections: readonly CriticalPathSection[]) {
  const out: { spanID: string; startTime: number; endTime: number }[] = [];
  for (const s of sections) {
    const startTime = nanosToMicros(s.start);
    const endTime = nanosToMicros(s.end);
    if (endTime === startTime) continue;
    const last = out[out.length - 1];
    if (last !== undefined && last.spanID === s.spanId && last.endTime === startTime) last.endTime = endTime;
    else out.push({ spanID: s.spanId, startTime, endTime });
  }
  return out;
}

function anomalyPart(anomaly: Anomaly) {
  return {
    detected: anomaly.detected,
    reason: anomaly.reason,
    threshold: anomaly.threshold === undefined ? null : nsToMicros(anomaly.threshold),
  };
}

export function traceAnalysisJson(a: TraceAnalysis, anomaly: Anomaly) {
  const f = microFigures(a);
  return {
    traceID: a.traceId,
    rootService: a.rootService,
    rootOperation: a.rootName,
    startTime: nanosToMicros(a.start),
    totalLatency: f.totalLatency,
    categories: f.categories,
    valueAddedRatio: f.valueAddedRatio,
    components: f.components,
    bottleneck: a.bottleneck,
    anomaly: anomalyPart(anomaly),
  };
}

export function anomalyJson(a: TraceAnalysis, anomaly: Anomaly) {
  const { totalLatency, bottleneck } = traceAnalysisJson(a, anomaly);
  return {
    traceID: a.traceId,
    rootService: a.rootService,
    rootOperation: a.rootName,
    startTime: nanosToMicros(a.start),
    totalLatency,
    bottleneck,
    reason: anomaly.reason,
    threshold: anomaly.threshold === undefined ? 0 : nsToMicros(anomaly.threshold),
  };
}

function categoriesUs(c: Record<(typeof CATEGORIES)[number], number>) {
  return {
    processing: nsToMicros(c.processing),
    waiting: nsToMicros(c.waiting),
    transport: nsToMicros(c.transport),
    defect: nsToMicros(c.defect),
  };
}

function distributionUs(d: Distribution) {
  return {
    count: d.count,
    avg: nsToMicros(d.avg),
    p50: nsToMicros(d.p50),
    p95: nsToMicros(d.p95),
    p99: nsToMicros(d.p99),
  };
}

export function valueStreamJson(r: ValueStreamReport, w: Window & { service: string; operation?: string }) {
  // Each category is rounded to µs on its own; the total is their sum, so they still add up.
  const categories = categoriesUs(r.categories);
  return {
    service: w.service,
    operation: w.operation ?? null,
    start: nanosToMicros(w.start),
    end: nanosToMicros(w.end),
    traceCount: r.traces,
    totalLatency: categories.processing + categories.waiting + categories.transport + categories.defect,
    categories,
    valueAddedRatio: r.valueAddedRatio,
    latency: distributionUs(r.latency),
    bottleneck: r.bottleneck,
    components: r.components.map((c) => ({
      component: c.component,
      traceCount: c.traces,
      total: nsToMicros(c.total),
      share: c.share,
      bottleneckCount: c.bottleneckOf,
      categories: categoriesUs(c.categories),
      ...distributionUs(c.latency),
    })),
    buckets: r.buckets.map((b) => ({
      start: nanosToMicros(b.start),
      end: nanosToMicros(b.end),
      traceCount: b.traces,
      categories: categoriesUs(b.categories),
      valueAddedRatio: b.valueAddedRatio,
    })),
  };
}

type Stream = ReturnType<typeof valueStreamJson>;

function deltaUs(d: Delta) {
  return {
    before: nsToMicros(d.before),
    after: nsToMicros(d.after),
    delta: nsToMicros(d.delta),
    change: d.change,
  };
}

export function comparisonJson(c: Comparison, before: Stream, after: Stream) {
  return {
    before,
    after,
    categories: Object.fromEntries(CATEGORIES.map((k) => [k, deltaUs(c.categories[k])])),
    valueAddedRatio: c.valueAddedRatio,
    latencyP95: deltaUs(c.latencyP95),
    latencyAvg: deltaUs(c.latencyAvg),
    bottleneck: c.bottleneck,
    components: c.components.map((x) => ({
      component: x.component,
      perTrace: deltaUs(x.perTrace),
      p95: deltaUs(x.p95),
      share: x.share,
    })),
  };
}

export function errorsJson(list: readonly ErrorSignature[]) {
  return list.map((e) => ({
    service: e.service,
    operation: e.operation,
    exceptionType: e.exceptionType,
    messagePattern: e.messagePattern,
    count: e.count,
    traceCount: e.traces,
    firstSeen: nanosToMicros(e.firstSeen),
    lastSeen: nanosToMicros(e.lastSeen),
    exampleTraceIDs: e.exampleTraceIds,
  }));
}

export function diffJson(d: TraceDiff) {
  const side = (s: TraceDiff['a']) => ({
    traceID: s.traceId,
    duration: nsToMicros(s.duration),
    spanCount: s.spans,
  });
  const one = (s: TraceDiff['onlyInA'][number]) => ({
    path: s.path,
    spanID: s.spanId,
    duration: nsToMicros(s.duration),
  });
  return {
    a: side(d.a),
    b: side(d.b),
    onlyInA: d.onlyInA.map(one),
    onlyInB: d.onlyInB.map(one),
    common: d.common.map((p) => ({
      path: p.path,
      a: { spanID: p.a.spanId, duration: nsToMicros(p.a.duration) },
      b: { spanID: p.b.spanId, duration: nsToMicros(p.b.duration) },
      delta: nsToMicros(p.delta),
    })),
  };
}
