/**
 * Value-stream analysis over a store: reads traces (adjusted as every reader sees them), runs
 * @genba/analysis, and shapes the answers of /api/genba/... (µs, Jaeger's envelope is added by
 * the routes). The CLI uses the same JSON through the HTTP API.
 */
import type { Baseline, Rule, TraceAnalysis } from '@genba/analysis';
import {
  adjustTrace,
  aggregate,
  analyzeFrom,
  analyzeTrace,
  buildTraceTree,
  compareReports,
  criticalPath,
  DEFAULT_RULES,
  detectAnomaly,
  diffTraces,
  entrySpan,
  errorSignatures,
} from '@genba/analysis';
import type { Span } from '@genba/model';
import { GenbaError, serviceName } from '@genba/model';
import type { Storage } from '@genba/storage';
import type { Window } from '../query-params.ts';
import {
  anomalyJson,
  comparisonJson,
  criticalPathJson,
  diffJson,
  errorsJson,
  traceAnalysisJson,
  valueStreamJson,
} from './report-json.ts';
import { windowTraces } from './window-traces.ts';

const DAY = 86_400_000_000_000n;
const HOUR = 3_600_000_000_000n;

export interface WindowRequest extends Window {
  service: string;
  operation?: string;
  /** Time buckets for the ratio over time. */
  buckets: number;
  /** Traces analysed at most. */
  limit: number;
}

export class AnalysisService {
  readonly #store: Storage;
  readonly #rules: readonly Rule[];

  constructor(store: Storage, rules: readonly Rule[] = DEFAULT_RULES) {
    this.#store = store;
    this.#rules = rules;
  }

  async #trace(traceId: string): Promise<Span[]> {
    const spans = await this.#store.getTrace(traceId);
    if (spans.length === 0) throw new GenbaError('not_found', `trace ${traceId} not found`);
    return adjustTrace(spans).spans;
  }

  /** P95 of the root service and operation over the day before the trace and the hour after it. */
  async baseline(service: string, operation: string, at: bigint): Promise<Baseline | undefined> {
    const stats = await this.#store.getLatencies({
      startMin: at - DAY,
      startMax: at + HOUR,
      service,
      rootOnly: true,
    });
    const op = stats.find((s) => s.name === operation);
    return op === undefined ? undefined : { p95: op.p95Nano, count: op.count };
  }

  async criticalPath(traceId: string) {
    return criticalPathJson(criticalPath(await this.#trace(traceId)));
  }

  async analyze(traceId: string) {
    const a = analyzeTrace(await this.#trace(traceId), { rules: this.#rules }) as TraceAnalysis;
    const anomaly = detectAnomaly(a, await this.baseline(a.rootService, a.rootName, a.start));
    return traceAnalysisJson(a, anomaly);
  }

  /** Each trace's value stream from where `service` (and `operation`) enters it. */
  async #windowAnalyses(r: WindowRequest): Promise<TraceAnalysis[]> {
    const traces = await windowTraces(this.#store, { ...r, slices: Math.max(1, r.buckets) });
    const out: TraceAnalysis[] = [];
    for (const spans of traces) {
      const tree = buildTraceTree(adjustTrace(spans).spans);
      const entry = entrySpan(tree, r.service, r.operation);
      if (entry !== undefined) out.push(analyzeFrom(tree, entry, this.#rules));
    }
    return out;
  }

  async valueStream(r: WindowRequest) {
    const analyses = await this.#windowAnalyses(r);
    return valueStreamJson(aggregate(analyses, { start: r.start, end: r.end, buckets: r.buckets }), r);
  }

  async compare(before: WindowRequest, after: WindowRequest) {
    const [b, a] = [await this.#windowAnalyses(before), await this.#windowAnalyses(after)];
    const rb = aggregate(b, { start: before.start, end: before.end });
    const ra = aggregate(a, { start: after.start, end: after.end });
    return comparisonJson(compareReports(rb, ra), valueStreamJson(rb, before), valueStreamJson(ra, after));
  }

  async components(r: WindowRequest) {
    return (await this.valueStream(r)).components;
  }

  /** Whole traces touching the service, each against its own root's baseline. */
  async anomalies(r: WindowRequest) {
    const traces = await windowTraces(this.#store, { ...r, slices: 12 });
    const baselines = new Map<string, Baseline | undefined>();
    const found = [];
    for (const spans of traces) {
      const a = analyzeTrace(adjustTrace(spans).spans, { rules: this.#rules });
      if (a === undefined) continue;
      const key = `${a.rootService}\u0000${a.rootName}`;
      if (!baselines.has(key)) baselines.set(key, await this.baseline(a.rootService, a.rootName, r.end));
      const anomaly = detectAnomaly(a, baselines.get(key));
      if (anomaly.detected) found.push(anomalyJson(a, anomaly));
    }
    return found.sort((x, y) => y.totalLatency / (y.threshold || 1) - x.totalLatency / (x.threshold || 1));
  }

  async errors(r: WindowRequest) {
    const traces = await windowTraces(this.#store, { ...r, tags: { error: 'true' }, slices: 12 });
    const own = traces.map((t) => t.filter((s) => serviceName(s) === r.service));
    return errorsJson(errorSignatures(own));
  }

  async diff(a: string, b: string) {
    return diffJson(diffTraces(await this.#trace(a), await this.#trace(b)));
  }
}
