// One trace's headline figures: for the result list and the trace page header.
import type { JaegerSpan, JaegerTrace } from '../api/jaeger-types.ts';
import { isErrorSpan, parentSpanId, serviceOf } from './span-info.ts';

export type ServiceCount = { name: string; spans: number; errors: number };

export type TraceSummary = {
  traceID: string;
  rootService: string;
  rootName: string;
  /** false when no span is a true root (the root span is missing); rootName is then the earliest orphan's */
  hasRoot: boolean;
  /** microseconds since the epoch */
  startTime: number;
  /** microseconds */
  duration: number;
  spanCount: number;
  errorCount: number;
  /** by span count, most first */
  services: ServiceCount[];
};

/** The root: the earliest span with no parent reference, else the earliest whose parent is missing. */
export function findRootSpan(trace: JaegerTrace): { span: JaegerSpan | undefined; hasRoot: boolean } {
  const ids = new Set<string>();
  for (const s of trace.spans) ids.add(s.spanID);
  let root: JaegerSpan | undefined;
  let orphan: JaegerSpan | undefined;
  for (const s of trace.spans) {
    const pid = parentSpanId(s);
    if (pid === null) {
      if (!root || s.startTime < root.startTime) root = s;
    } else if (!ids.has(pid) && (!orphan || s.startTime < orphan.startTime)) {
      orphan = s;
    }
  }
  if (root) return { span: root, hasRoot: true };
  if (orphan) return { span: orphan, hasRoot: false };
  let earliest: JaegerSpan | undefined;
  for (const s of trace.spans) if (!earliest || s.startTime < earliest.startTime) earliest = s;
  return { span: earliest, hasRoot: false };
}

export function summarizeTrace(trace: JaegerTrace): TraceSummary {
  let start = Number.POSITIVE_INFINITY;
  let end = Number.NEGATIVE_INFINITY;
  let errorCount = 0;
  const services = new Map<string, ServiceCount>();
  for (const s of trace.spans) {
    if (s.startTime < start) start = s.startTime;
    if (s.startTime + s.duration > end) end = s.startTime + s.duration;
    const name = serviceOf(trace, s);
    let c = services.get(name);
    if (!c) {
      c = { name, spans: 0, errors: 0 };
      services.set(name, c);
    }
    c.spans++;
    if (isErrorSpan(s)) {
      c.errors++;
      errorCount++;
    }
  }
  const { span: root, hasRoot } = findRootSpan(trace);
  const spanCount = trace.spans.length;
  return {
    traceID: trace.traceID,
    rootService: root ? serviceOf(trace, root) : 'unknown-service',
    rootName: root?.operationName ?? '(no spans)',
    hasRoot,
    startTime: spanCount ? start : 0,
    duration: spanCount ? end - start : 0,
    spanCount,
    errorCount,
    services: [...services.values()].sort((a, b) => b.spans - a.spans || a.name.localeCompare(b.name)),
  };
}

export type ResultOrder = 'recent' | 'longest' | 'shortest' | 'most-spans' | 'most-errors';

export const RESULT_ORDERS: readonly { value: ResultOrder; label: string }[] = [
  { value: 'recent', label: 'Most recent' },
  { value: 'longest', label: 'Longest first' },
  { value: 'shortest', label: 'Shortest first' },
  { value: 'most-spans', label: 'Most spans' },
  { value: 'most-errors', label: 'Most errors' },
];

export function sortSummaries(list: readonly TraceSummary[], order: ResultOrder): TraceSummary[] {
  const out = [...list];
  const cmp: Record<ResultOrder, (a: TraceSummary, b: TraceSummary) => number> = {
    recent: (a, b) => b.startTime - a.startTime,
    longest: (a, b) => b.duration - a.duration,
    shortest: (a, b) => a.duration - b.duration,
    'most-spans': (a, b) => b.spanCount - a.spanCount,
    'most-errors': (a, b) => b.errorCount - a.errorCount || b.startTime - a.startTime,
  };
  return out.sort((a, b) => cmp[order](a, b) || a.traceID.localeCompare(b.traceID));
}
