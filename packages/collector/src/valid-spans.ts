/**
 * Spans whose ids are not valid cannot be stored or found again. They are rejected one by one,
 * as OTLP's partial success allows, and the rest of the request is kept.
 */
import type { Span } from '@genba/model';
import { isValidSpanId, isValidTraceId } from '@genba/model';

export function partitionValid(spans: Span[]): { valid: Span[]; rejected: number; reason: string } {
  let reason = '';
  const valid = spans.filter((s) => {
    if (!isValidTraceId(s.traceId)) {
      reason ||= `span "${s.name}" has an invalid trace id "${s.traceId}"`;
      return false;
    }
    if (!isValidSpanId(s.spanId)) {
      reason ||= `span "${s.name}" has an invalid span id "${s.spanId}"`;
      return false;
    }
    return true;
  });
  return { valid, rejected: spans.length - valid.length, reason };
}
