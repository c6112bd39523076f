/**
 * Zipkin B3: the single `b3` header ({traceId}-{spanId}-{sampling}-{parentSpanId}) and the
 * older `x-b3-*` headers. Extraction reads both, the single header first; injection writes the
 * encoding chosen at construction. Header names are lowercase: HTTP does not care, Node hands
 * them to getters lowercased, and the spec asks for lowercase on case-sensitive transports.
 */
import type { Context, TextMapGetter, TextMapPropagator, TextMapSetter } from '@opentelemetry/api';
import { createContextKey, TraceFlags, trace } from '@opentelemetry/api';
import { isTracingSuppressed } from '../suppress.ts';
import { firstHeaderValue, trimOws } from './headers.ts';
import { isValidSpanIdHex, isValidTraceIdHex } from './ids.ts';

export const B3_HEADER = 'b3';
export const B3_TRACE_ID_HEADER = 'x-b3-traceid';
export const B3_SPAN_ID_HEADER = 'x-b3-spanid';
export const B3_PARENT_SPAN_ID_HEADER = 'x-b3-parentspanid';
export const B3_SAMPLED_HEADER = 'x-b3-sampled';
export const B3_FLAGS_HEADER = 'x-b3-flags';

/**
 * Set (true) on an extracted context when the caller asked for a debug trace. OTel trace flags
 * have no debug bit, so it rides in the context until inject writes it out again.
 */
export const B3_DEBUG_FLAG_KEY = createContextKey('@genba/sdk B3 debug flag');

export type B3InjectEncoding = 'single' | 'multi';

export interface B3PropagatorConfig {
  /** Which encoding `inject` writes; default 'single'. Both are always extracted. */
  injectEncoding?: B3InjectEncoding;
}

interface B3Context {
  /** Absent for a sampling-state-only header such as `b3: 0`. */
  ids?: { traceId: string; spanId: string };
  /** undefined is B3's "defer": the caller left the decision to us. */
  sampled?: boolean;
  debug: boolean;
}

/** A 16-hex (64-bit) trace id is left-padded to the 32 characters OTel requires. */
function traceIdFrom(text: string): string | undefined {
  const id = text.length === 16 ? text.padStart(32, '0') : text;
  return isValidTraceIdHex(id) ? id : undefined;
}

function ids(traceText: string, spanText: string): B3Context['ids'] {
  const traceId = traceIdFrom(traceText);
  return traceId !== undefined && isValidSpanIdHex(spanText) ? { traceId, spanId: spanText } : undefined;
}

const SINGLE_SAMPLING: Record<string, { sampled: boolean; debug: boolean }> = {
  '0': { sampled: false, debug: false },
  '1': { sampled: true, debug: false },
  d: { sampled: true, debug: true },
};

function samplingState(text: string): { sampled: boolean; debug: boolean } | undefined {
  return Object.hasOwn(SINGLE_SAMPLING, text) ? SINGLE_SAMPLING[text] : undefined;
}

export function parseB3Single(header: string): B3Context | undefined {
  const value = trimOws(header);
  const only = samplingState(value);
  if (only !== undefined) return only;
  const parts = value.split('-');
  if (parts.length < 2 || parts.length > 4) return undefined;
  const [traceText, spanText, samplingText, parentText] = parts;
  const found = ids(traceText, spanText);
  if (found === undefined) return undefined;
  if (parentText !== undefined && !isValidSpanIdHex(parentText)) return undefined;
  if (samplingText === undefined) return { ids: found, debug: false };
  const state = samplingState(samplingText);
  return state === undefined ? undefined : { ids: found, ...state };
}

// `true`/`false` predate the spec; it allows a lenient reader to accept them.
const MULTI_SAMPLED: Record<string, boolean> = { '1': true, '0': false, true: true, false: false };

export function parseB3Multi(getter: TextMapGetter, carrier: unknown): B3Context | undefined {
  // "When extracting state headers, the first value wins."
  const read = (key: string) => {
    const value = firstHeaderValue(getter, carrier, key);
    return value === undefined ? undefined : trimOws(value);
  };
  const traceText = read(B3_TRACE_ID_HEADER);
  const spanText = read(B3_SPAN_ID_HEADER);
  const sampledText = read(B3_SAMPLED_HEADER);
  const parentText = read(B3_PARENT_SPAN_ID_HEADER);
  // Debug is `1`; "absent or any other value can be ignored".
  const debug = read(B3_FLAGS_HEADER) === '1';

  let sampled: boolean | undefined;
  if (sampledText !== undefined) {
    // Present but empty or nonsense is malformed, not "defer".
    if (!Object.hasOwn(MULTI_SAMPLED, sampledText)) return undefined;
    sampled = MULTI_SAMPLED[sampledText];
  }
  if (debug) sampled = true;

  if (traceText === undefined && spanText === undefined) {
    return sampled === undefined ? undefined : { sampled, debug };
  }
  if (traceText === undefined || spanText === undefined) return undefined;
  const found = ids(traceText, spanText);
  if (found === undefined) return undefined;
  if (parentText !== undefined && !isValidSpanIdHex(parentText)) return undefined;
  return sampled === undefined ? { ids: found, debug } : { ids: found, sampled, debug };
}

export class B3Propagator implements TextMapPropagator {
  readonly #encoding: B3InjectEncoding;

  constructor(config: B3PropagatorConfig = {}) {
    this.#encoding = config.injectEncoding ?? 'single';
  }

  inject(context: Context, carrier: unknown, setter: TextMapSetter): void {
    const spanContext = trace.getSpanContext(context);
    if (spanContext === undefined || isTracingSuppressed(context)) return;
    const { traceId, spanId, traceFlags } = spanContext;
    if (!isValidTraceIdHex(traceId) || !isValidSpanIdHex(spanId)) return;
    const debug = context.getValue(B3_DEBUG_FLAG_KEY) === true;
    const sampled = (traceFlags & TraceFlags.SAMPLED) === TraceFlags.SAMPLED;
    if (this.#encoding === 'single') {
      setter.set(carrier, B3_HEADER, `${traceId}-${spanId}-${debug ? 'd' : sampled ? '1' : '0'}`);
      return;
    }
    setter.set(carrier, B3_TRACE_ID_HEADER, traceId);
    setter.set(carrier, B3_SPAN_ID_HEADER, spanId);
    // Debug implies accept, so the spec says not to send Sampled alongside it.
    if (debug) setter.set(carrier, B3_FLAGS_HEADER, '1');
    else setter.set(carrier, B3_SAMPLED_HEADER, sampled ? '1' : '0');
  }

  extract(context: Context, carrier: unknown, getter: TextMapGetter): Context {
    const single = firstHeaderValue(getter, carrier, B3_HEADER);
    // The single header takes precedence; a malformed one does not hide valid multi headers.
    const found = (single === undefined ? undefined : parseB3Single(single)) ?? parseB3Multi(getter, carrier);
    if (found === undefined) return context;
    let out = found.debug
      ? context.setValue(B3_DEBUG_FLAG_KEY, true)
      : context.deleteValue(B3_DEBUG_FLAG_KEY);
    if (found.ids !== undefined) {
      out = trace.setSpanContext(out, {
        ...found.ids,
        // Defer has no OTel equivalent: without an accept it reads as not sampled.
        traceFlags: found.sampled === true ? TraceFlags.SAMPLED : TraceFlags.NONE,
        isRemote: true,
      });
    }
    return out;
  }

  fields(): string[] {
    return this.#encoding === 'single'
      ? [B3_HEADER]
      : [B3_TRACE_ID_HEADER, B3_SPAN_ID_HEADER, B3_SAMPLED_HEADER, B3_FLAGS_HEADER];
  }
}
