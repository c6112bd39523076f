/**
 * The few span operations every helper and builder shares. The tracer is looked up on each
 * call, never cached at import, so whichever provider is registered at that moment is used.
 */
import type { Attributes, AttributeValue, Context, Exception, Span, SpanOptions } from '@opentelemetry/api';
import { context, INVALID_SPAN_CONTEXT, SpanStatusCode, trace } from '@opentelemetry/api';
import { reportOnce } from '../diag.ts';
import { ATTR_GENBA_WASTE } from '../tps/conventions.ts';

export const TRACER_NAME = '@genba/sdk';

/** Starts a span under `parent` (default: the active context). A broken tracer yields a no-op span. */
export function startSpan(name: string, options: SpanOptions, parent: Context = context.active()): Span {
  try {
    return trace.getTracer(TRACER_NAME).startSpan(name, options, parent);
  } catch (err) {
    reportOnce(
      'tracer.startSpan',
      'the registered tracer threw from startSpan; continuing without a span',
      err,
    );
    return trace.wrapSpanContext(INVALID_SPAN_CONTEXT);
  }
}

/** Runs `fn` with `span` active, so spans the user starts inside become its children. */
export function runInSpan<T>(span: Span, fn: () => T): T {
  return context.with(trace.setSpan(context.active(), span), fn);
}

/** The context whose active span is `span`, for starting children outside `runInSpan`. */
export function contextWith(span: Span): Context {
  return trace.setSpan(context.active(), span);
}

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message || err.name;
  if (typeof err === 'string') return err;
  try {
    return String(err);
  } catch {
    return 'unknown error';
  }
}

function toException(err: unknown): Exception {
  if (err instanceof Error || typeof err === 'string') return err;
  return { message: errorMessage(err) };
}

/** Status ERROR with `message` and `genba.waste=defect`: every ERROR span here is a defect. */
export function markDefect(span: Span, message: string): void {
  try {
    span.setStatus({ code: SpanStatusCode.ERROR, message });
    span.setAttribute(ATTR_GENBA_WASTE, 'defect');
  } catch (err) {
    reportOnce('span.markDefect', 'setting a span status threw', err);
  }
}

/** Records a user error on `span`: the `exception` event, then status ERROR and defect. */
export function markFailed(span: Span, err: unknown): void {
  try {
    span.recordException(toException(err));
  } catch (e) {
    reportOnce('span.recordException', 'recording an exception threw', e);
  }
  markDefect(span, errorMessage(err));
}

export type MaybeAttributes = Record<string, AttributeValue | null | undefined>;

/** Drops absent values, so optional fields the caller left out never appear as attributes. */
export function defined(attrs: MaybeAttributes): Attributes {
  const out: Attributes = {};
  for (const key of Object.keys(attrs)) {
    const v = attrs[key];
    if (v !== undefined && v !== null) out[key] = v;
  }
  return out;
}

export function setAttributes(span: Span, attrs: MaybeAttributes): void {
  try {
    span.setAttributes(defined(attrs));
  } catch (err) {
    reportOnce('span.setAttributes', 'setting span attributes threw', err);
  }
}

export function addEvent(span: Span, name: string, attrs: MaybeAttributes): void {
  try {
    span.addEvent(name, defined(attrs));
  } catch (err) {
    reportOnce('span.addEvent', 'adding a span event threw', err);
  }
}

export function endSpan(span: Span): void {
  try {
    span.end();
  } catch (err) {
    reportOnce('span.end', 'ending a span threw', err);
  }
}
