/**
 * Value-stream analysis inside the user's process, with no server: the spans the ring keeps are
 * analysed by the same pure functions the server runs (@genba/analysis). Nothing is analysed
 * when a span ends; each query converts and analyses what it needs, and caches the result until
 * the ring changes. A trace counts once its local root (a span without a parent, or whose parent
 * is remote) is in the ring; traces whose root has not ended, or was dropped, are left out.
 */
import type { Anomaly, Rule, TraceAnalysis, ValueStreamReport } from '@genba/analysis';
import {
  ANOMALY_FACTOR,
  aggregate,
  analyzeTrace,
  DEFAULT_RULES,
  detectAnomaly,
  quantile,
} from '@genba/analysis';
import type { Context } from '@opentelemetry/api';
import { reportOnce } from '../diag.ts';
import type { ReadableSpan, SpanData, SpanProcessor } from '../types.ts';
import type { Bottleneck, ComponentLatency } from './component-latency.ts';
import { bottleneckOf, componentLatencies } from './component-latency.ts';
import { releaseAnalyzer } from './current-analyzer.ts';
import type { RecentSpansOptions, RecentSpansStats, TraceSpans } from './recent-spans.ts';
import { RecentSpans } from './recent-spans.ts';

export interface LocalAnalyzerOptions extends RecentSpansOptions {
  /** Classification rules, first match wins (see `parseAnalysisConfig`). Default DEFAULT_RULES. */
  rules?: readonly Rule[];
  /** Other traces of the same root service and operation needed to judge an anomaly. Default 20. */
  minBaseline?: number;
  /** A trace slower than this × the P95 of its root is an anomaly. Default 1.5. */
  anomalyFactor?: number;
}

/** The value stream over every analysed trace in the analyzer; all times in ns. */
export type WasteReport = ValueStreamReport;

export const DEFAULT_MIN_BASELINE = 20;

// OTLP span flags: the parent is in another process.
const PARENT_IS_REMOTE = 0x200;

function isLocalRoot(s: SpanData): boolean {
  return s.parentSpanId === '' || (s.flags & PARENT_IS_REMOTE) !== 0;
}

/** The span the trace is analysed from: a parentless one first, then the earliest, then the longest. */
function localRoot(spans: readonly SpanData[]): SpanData | undefined {
  let best: SpanData | undefined;
  for (const s of spans) {
    if (!isLocalRoot(s)) continue;
    if (best === undefined) best = s;
    else if ((s.parentSpanId === '') !== (best.parentSpanId === '')) {
      if (s.parentSpanId === '') best = s;
    } else if (
      s.startTimeUnixNano < best.startTimeUnixNano ||
      (s.startTimeUnixNano === best.startTimeUnixNano && s.endTimeUnixNano > best.endTimeUnixNano)
    )
      best = s;
  }
  return best;
}

const rootKey = (a: TraceAnalysis) => `${a.rootService}\u0000${a.rootName}`;

export class LocalAnalyzer implements SpanProcessor {
  /** The span processor behind the analyzer; add either it or the analyzer to a provider, not both. */
  readonly processor: RecentSpans;
  readonly #rules: readonly Rule[];
  readonly #minBaseline: number;
  readonly #factor: number;
  readonly #perTrace = new WeakMap<TraceSpans, { version: number; analysis: TraceAnalysis | undefined }>();
  // Caches over the whole ring, valid while the ring's version is unchanged.
  #version = -1;
  #analyses: TraceAnalysis[] = [];
  #report: ValueStreamReport | undefined;
  #byRoot: Map<string, number[]> | undefined;

  constructor(options: LocalAnalyzerOptions = {}) {
    this.processor = new RecentSpans(options);
    this.#rules = options.rules ?? DEFAULT_RULES;
    const min = options.minBaseline;
    this.#minBaseline =
      min === undefined || !Number.isSafeInteger(min) || min < 1 ? DEFAULT_MIN_BASELINE : min;
    const f = options.anomalyFactor;
    this.#factor = f === undefined || !(f > 0) || !Number.isFinite(f) ? ANOMALY_FACTOR : f;
    if (min !== undefined && this.#minBaseline !== min)
      reportOnce('analyzer:minBaseline', `ignoring minBaseline=${String(min)}: expected a whole number >= 1`);
    if (f !== undefined && this.#factor !== f)
      reportOnce('analyzer:factor', `ignoring anomalyFactor=${String(f)}: expected a positive number`);
  }

  onStart(span: ReadableSpan, parentContext: Context): void {
    this.processor.onStart(span, parentContext);
  }

  onEnd(span: ReadableSpan): void {
    this.processor.onEnd(span);
  }

  forceFlush(): Promise<void> {
    return this.processor.forceFlush();
  }

  /** Stops taking spans; what is held stays readable. */
  shutdown(): Promise<void> {
    releaseAnalyzer(this);
    return this.processor.shutdown();
  }

  /** Spans and traces held, the bound, and how many spans the bound pushed out. */
  getStats(): RecentSpansStats {
    return this.processor.stats();
  }

  /**
   * The trace's value stream; undefined when the trace is unknown or its root span is not held.
   * The analysis is cached until the trace's spans change: read it, do not change it.
   */
  analyzeTrace(traceId: string): TraceAnalysis | undefined {
    const trace = this.processor.trace(traceId);
    return trace === undefined ? undefined : this.#analyse(trace);
  }

  /** Per component, the distribution of its critical-path time per trace; most total time first. */
  getComponentLatencies(): Record<string, ComponentLatency> {
    return componentLatencies(this.#wholeRing());
  }

  /** The component with the most critical-path time over the analysed traces. */
  getBottleneck(): Bottleneck | undefined {
    return bottleneckOf(this.#wholeRing());
  }

  /**
   * Totals per category, value-added ratio and the bottleneck ranking over the analysed traces;
   * with `buckets`, the ratio over time too. A new report each call.
   */
  getWasteReport(options: { buckets?: number } = {}): WasteReport {
    const analyses = this.#all();
    return aggregate(analyses, { ...this.#window(), buckets: options.buckets ?? 0 });
  }

  /**
   * Whether the trace took longer than `anomalyFactor` × the P95 of the other held traces with
   * the same root service and operation. Without enough of those it is never an anomaly.
   */
  detectAnomaly(traceId: string): Anomaly {
    const a = this.analyzeTrace(traceId);
    if (a === undefined)
      return {
        detected: false,
        reason: `trace ${traceId} is not analysed: unknown, its root span has not ended, or it was dropped`,
        threshold: undefined,
      };
    const sorted = this.#baselines().get(rootKey(a)) ?? [];
    // The trace itself is not part of its own baseline.
    const others = sorted.slice();
    const own = others.indexOf(a.total);
    if (own >= 0) others.splice(own, 1);
    if (others.length < this.#minBaseline)
      return {
        detected: false,
        reason: `${others.length} other traces of ${a.rootService} ${a.rootName} held; ${this.#minBaseline} needed for a baseline`,
        threshold: undefined,
      };
    return detectAnomaly(a, { p95: quantile(others, 0.95), count: others.length }, this.#factor);
  }

  #analyse(trace: TraceSpans): TraceAnalysis | undefined {
    const cached = this.#perTrace.get(trace);
    if (cached !== undefined && cached.version === trace.version) return cached.analysis;
    let analysis: TraceAnalysis | undefined;
    try {
      const spans = trace.spanData();
      const root = localRoot(spans);
      if (root !== undefined) analysis = analyzeTrace(spans, { rules: this.#rules, rootSpanId: root.spanId });
    } catch (err) {
      reportOnce('analyzer:analyse', 'local analyzer: a trace could not be analysed; left out', err);
    }
    this.#perTrace.set(trace, { version: trace.version, analysis });
    return analysis;
  }

  #all(): TraceAnalysis[] {
    this.#refresh();
    return this.#analyses;
  }

  #wholeRing(): ValueStreamReport {
    this.#refresh();
    this.#report ??= aggregate(this.#analyses, { ...this.#window(), buckets: 0 });
    return this.#report;
  }

  #baselines(): Map<string, number[]> {
    this.#refresh();
    if (this.#byRoot === undefined) {
      const m = new Map<string, number[]>();
      for (const a of this.#analyses) {
        const key = rootKey(a);
        const list = m.get(key);
        if (list === undefined) m.set(key, [a.total]);
        else list.push(a.total);
      }
      for (const list of m.values()) list.sort((x, y) => x - y);
      this.#byRoot = m;
    }
    return this.#byRoot;
  }

  /** From the earliest analysed root start to just past the latest. */
  #window(): { start: bigint; end: bigint } {
    const list = this.#analyses;
    if (list.length === 0) return { start: 0n, end: 0n };
    let start = list[0].start;
    let end = list[0].start;
    for (const a of list) {
      if (a.start < start) start = a.start;
      if (a.start > end) end = a.start;
    }
    return { start, end: end + 1n };
  }

  #refresh(): void {
    if (this.#version === this.processor.version) return;
    const out: TraceAnalysis[] = [];
    for (const trace of this.processor.traces()) {
      const a = this.#analyse(trace);
      if (a !== undefined) out.push(a);
    }
    this.#analyses = out;
    this.#report = undefined;
    this.#byRoot = undefined;
    this.#version = this.processor.version;
  }
}
