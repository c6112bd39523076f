/**
 * The analyses behind `genba analyze <file>`: each trace adjusted as the server's readers adjust
 * it, then its value stream, and over all of them the aggregate, the service dependencies and the
 * error signatures. The JSON form reuses the server's shapers, so a file and
 * `/api/genba/traces/{id}/analysis` answer alike.
 */
import type {
  DependencyEdge,
  ErrorSignature,
  Rule,
  SkewAdjustment,
  TraceAnalysis,
  ValueStreamReport,
} from '@genba/analysis';
import {
  adjustTrace,
  aggregate,
  analyzeTrace,
  criticalPath,
  dependencyGraph,
  detectAnomaly,
  errorSignatures,
} from '@genba/analysis';
import type { Span } from '@genba/model';
import { criticalPathJson, errorsJson, nsToMicros, traceAnalysisJson, valueStreamJson } from '@genba/query';

export interface TraceResult {
  /** The adjusted spans. */
  spans: Span[];
  analysis: TraceAnalysis;
  skew: SkewAdjustment[];
}

export interface FileAnalysis {
  traces: TraceResult[];
  /** Epoch ns: the earliest span start and the latest span end over every trace. */
  start: bigint;
  end: bigint;
  aggregate: ValueStreamReport;
  dependencies: DependencyEdge[];
  errors: ErrorSignature[];
}

export function analyzeTraces(traces: readonly Span[][], rules: readonly Rule[]): FileAnalysis {
  const results: TraceResult[] = [];
  let start: bigint | undefined;
  let end: bigint | undefined;
  for (const raw of traces) {
    const { spans, skew } = adjustTrace(raw);
    const analysis = analyzeTrace(spans, { rules });
    if (analysis === undefined) continue;
    results.push({ spans, analysis, skew });
    for (const s of spans) {
      if (start === undefined || s.startTimeUnixNano < start) start = s.startTimeUnixNano;
      if (end === undefined || s.endTimeUnixNano > end) end = s.endTimeUnixNano;
    }
  }
  const window = { start: start ?? 0n, end: end ?? 0n };
  const spanLists = results.map((r) => r.spans);
  return {
    traces: results,
    ...window,
    aggregate: aggregate(
      results.map((r) => r.analysis),
      window,
    ),
    dependencies: dependencyGraph(spanLists),
    errors: errorSignatures(spanLists),
  };
}

/**
 * Per trace the server's analysis answer plus its critical path; then the aggregate (the
 * value-stream answer without a service), the dependencies and the error signatures. A file has
 * no stored history, so no trace has an anomaly baseline.
 */
export function fileAnalysisJson(f: FileAnalysis) {
  const {
    service: _s,
    operation: _o,
    ...aggregateJson
  } = valueStreamJson(f.aggregate, {
    start: f.start,
    end: f.end,
    service: '',
  });
  return {
    traces: f.traces.map((t) => ({
      ...traceAnalysisJson(t.analysis, detectAnomaly(t.analysis, undefined)),
      criticalPath: criticalPathJson(criticalPath(t.spans)),
    })),
    aggregate: aggregateJson,
    dependencies: f.dependencies.map((d) => ({
      parent: d.parent,
      child: d.child,
      callCount: d.calls,
      errorCount: d.errors,
      p50: nsToMicros(d.p50),
      p95: nsToMicros(d.p95),
    })),
    errors: errorsJson(f.errors),
  };
}
