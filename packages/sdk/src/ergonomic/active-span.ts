/**
 * Shorthands for the active span. With no active span they do nothing (and say so once):
 * instrumentation must never be the reason a request fails.
 */
import type { Attributes, Span } from '@opentelemetry/api';
import { trace } from '@opentelemetry/api';
import { reportOnce } from '../diag.ts';
import { fail } from './with-span.ts';

function active(what: string): Span | undefined {
  const span = trace.getActiveSpan();
  if (span === undefined) reportOnce(`no-active:${what}`, `${what}() called with no active span; ignored`);
  return span;
}

export function addAttributes(attributes: Attributes): void {
  active('addAttributes')?.setAttributes(attributes);
}

export function recordEvent(name: string, attributes?: Attributes): void {
  active('recordEvent')?.addEvent(name, attributes);
}

/** Records `err` on the active span and marks it ERROR. Does not throw it. */
export function recordError(err: unknown): void {
  const span = active('recordError');
  if (span !== undefined) fail(span, err);
}

/** The active trace id, or undefined outside any span. */
export function currentTraceId(): string | undefined {
  return trace.getActiveSpan()?.spanContext().traceId;
}

export function currentSpanId(): string | undefined {
  return trace.getActiveSpan()?.spanContext().spanId;
}
