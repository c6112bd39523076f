/**
 * Error analysis: error spans grouped by signature (service, operation, exception type and the
 * status message with its variable parts masked), most frequent first.
 */
import type { Span } from '@genba/model';
import { serviceName } from '@genba/model';
import { attributeText, isError } from './span-facts.ts';

export interface ErrorSignature {
  service: string;
  operation: string;
  exceptionType: string;
  /** The message with ids, numbers and quoted text replaced by placeholders. */
  messagePattern: string;
  count: number;
  traces: number;
  /** Epoch ns of the first and last error span's start. */
  firstSeen: bigint;
  lastSeen: bigint;
  /** Up to five trace ids, the most recent first. */
  exampleTraceIds: string[];
}

const MAX_EXAMPLES = 5;

/** Masks what varies between occurrences of one error so that they group. */
export function messagePattern(message: string): string {
  return message
    .slice(0, 500)
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '<uuid>')
    .replace(/"[^"]*"|'[^']*'/g, '<str>')
    .replace(/\b(?:0x)?(?=[0-9a-f]*\d)[0-9a-f]{8,}\b/gi, '<id>')
    .replace(/\d+(?:\.\d+)?/g, '<n>')
    .replace(/\s+/g, ' ')
    .trim();
}

function exceptionOf(span: Span): { type: string; message: string } {
  let type = attributeText(span.attributes['exception.type']) ?? '';
  let message = attributeText(span.attributes['exception.message']) ?? '';
  for (const e of span.events) {
    if (e.name !== 'exception') continue;
    type ||= attributeText(e.attributes['exception.type']) ?? '';
    message ||= attributeText(e.attributes['exception.message']) ?? '';
  }
  return { type, message };
}

export function errorSignatures(traces: Iterable<readonly Span[]>): ErrorSignature[] {
  const groups = new Map<string, ErrorSignature & { traceSet: Set<string>; latest: Map<string, bigint> }>();
  for (const spans of traces) {
    for (const span of spans) {
      if (!isError(span)) continue;
      const ex = exceptionOf(span);
      const pattern = messagePattern(span.status.message || ex.message);
      const service = serviceName(span);
      const key = JSON.stringify([service, span.name, ex.type, pattern]);
      let g = groups.get(key);
      if (g === undefined) {
        g = {
          service,
          operation: span.name,
          exceptionType: ex.type,
          messagePattern: pattern,
          count: 0,
          traces: 0,
          firstSeen: span.startTimeUnixNano,
          lastSeen: span.startTimeUnixNano,
          exampleTraceIds: [],
          traceSet: new Set(),
          latest: new Map(),
        };
        groups.set(key, g);
      }
      g.count++;
      g.traceSet.add(span.traceId);
      if (span.startTimeUnixNano < g.firstSeen) g.firstSeen = span.startTimeUnixNano;
      if (span.startTimeUnixNano > g.lastSeen) g.lastSeen = span.startTimeUnixNano;
      const t = g.latest.get(span.traceId);
      if (t === undefined || span.startTimeUnixNano > t) g.latest.set(span.traceId, span.startTimeUnixNano);
    }
  }
  const out: ErrorSignature[] = [];
  for (const { traceSet, latest, ...g } of groups.values()) {
    g.traces = traceSet.size;
    g.exampleTraceIds = [...latest.entries()]
      .sort((a, b) => (a[1] > b[1] ? -1 : a[1] < b[1] ? 1 : 0))
      .slice(0, MAX_EXAMPLES)
      .map(([id]) => id);
    out.push(g);
  }
  return out.sort(
    (a, b) => b.count - a.count || (a.service + a.operation < b.service + b.operation ? -1 : 1),
  );
}
