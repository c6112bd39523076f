/**
 * W3C Trace Context: `traceparent` (version-traceid-parentid-flags) and `tracestate`.
 * A traceparent that cannot be parsed leaves the context untouched, so the next span starts a
 * new trace, and its tracestate is then not even looked at (the spec forbids parsing it).
 */
import type { Context, TextMapGetter, TextMapPropagator, TextMapSetter } from '@opentelemetry/api';
import { trace } from '@opentelemetry/api';
import { isTracingSuppressed } from '../suppress.ts';
import { combinedHeaderValue, headerValues, trimOws } from './headers.ts';
import { isValidSpanIdHex, isValidTraceIdHex } from './ids.ts';
import { TraceState } from './trace-state.ts';

export const TRACEPARENT_HEADER = 'traceparent';
export const TRACESTATE_HEADER = 'tracestate';

/**
 * The flags this implementation understands: sampled (0x01) and, from Level 2, random trace id
 * (0x02), which must be passed on unchanged. Unknown bits are reserved and must go out as zero.
 */
const KNOWN_FLAGS = 0x03;

// version "-" trace-id "-" parent-id "-" flags, then (future versions only) "-" anything.
const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-[\s\S]*)?$/;

export interface TraceParent {
  traceId: string;
  spanId: string;
  /** Only the understood bits (sampled, random); reserved bits are cleared. */
  traceFlags: number;
}

/** Parses one traceparent value; undefined means "invalid: start a new trace". */
export function parseTraceParent(header: string): TraceParent | undefined {
  const match = TRACEPARENT.exec(trimOws(header));
  if (match === null) return undefined;
  const [, version, traceId, spanId, flags, extra] = match;
  if (version === 'ff') return undefined;
  // Version 00 is exactly 55 characters; only a higher version may append '-'-separated fields.
  if (version === '00' && extra !== undefined) return undefined;
  if (!isValidTraceIdHex(traceId) || !isValidSpanIdHex(spanId)) return undefined;
  return { traceId, spanId, traceFlags: Number.parseInt(flags, 16) & KNOWN_FLAGS };
}

/** Formats a version-00 traceparent. */
export function formatTraceParent(traceId: string, spanId: string, traceFlags: number): string {
  const flags = (traceFlags & KNOWN_FLAGS).toString(16).padStart(2, '0');
  return `00-${traceId}-${spanId}-${flags}`;
}

export class W3CTraceContextPropagator implements TextMapPropagator {
  inject(context: Context, carrier: unknown, setter: TextMapSetter): void {
    const spanContext = trace.getSpanContext(context);
    if (spanContext === undefined || isTracingSuppressed(context)) return;
    const { traceId, spanId, traceFlags, traceState } = spanContext;
    if (!isValidTraceIdHex(traceId) || !isValidSpanIdHex(spanId)) return;
    setter.set(carrier, TRACEPARENT_HEADER, formatTraceParent(traceId, spanId, traceFlags));
    // An empty tracestate must be accepted but should not be sent.
    const state = traceState?.serialize();
    if (state) setter.set(carrier, TRACESTATE_HEADER, state);
  }

  extract(context: Context, carrier: unknown, getter: TextMapGetter): Context {
    // Two traceparent headers cannot be told apart, so the request starts a new trace.
    const values = headerValues(getter, carrier, TRACEPARENT_HEADER);
    if (values.length !== 1) return context;
    const parent = parseTraceParent(values[0]);
    if (parent === undefined) return context;
    const header = combinedHeaderValue(getter, carrier, TRACESTATE_HEADER);
    const traceState = header === undefined ? undefined : TraceState.parse(header);
    return trace.setSpanContext(context, {
      ...parent,
      isRemote: true,
      ...(traceState !== undefined && traceState.size > 0 ? { traceState } : {}),
    });
  }

  fields(): string[] {
    return [TRACEPARENT_HEADER, TRACESTATE_HEADER];
  }
}
