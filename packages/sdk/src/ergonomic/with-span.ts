/**
 * `withSpan(name, attributes?, fn)`: runs fn inside a new active span and ends it when fn
 * returns or its promise settles. A throw or rejection is recorded on the span (exception
 * event, status ERROR) and then rethrown unchanged: tracing never swallows a user's error.
 */
import type { Attributes, Span } from '@opentelemetry/api';
import { SpanStatusCode, trace } from '@opentelemetry/api';
import { reportOnce } from '../diag.ts';
import { SDK_NAME, SDK_VERSION } from '../resource/detect-resource.ts';

export function withSpan<T>(name: string, fn: (span: Span) => T): T;
export function withSpan<T>(name: string, attributes: Attributes | undefined, fn: (span: Span) => T): T;
export function withSpan<T>(
  name: string,
  a: Attributes | undefined | ((span: Span) => T),
  b?: (span: Span) => T,
): T {
  const fn = typeof a === 'function' ? a : b;
  const attributes = typeof a === 'function' ? undefined : a;
  if (typeof fn !== 'function') {
    reportOnce('withSpan-fn', 'withSpan(name, [attributes], fn): fn must be a function; nothing run');
    return undefined as T;
  }
  const tracer = trace.getTracer(SDK_NAME, SDK_VERSION);
  return tracer.startActiveSpan(name, attributes === undefined ? {} : { attributes }, (span) => {
    let result: T;
    try {
      result = fn(span);
    } catch (err) {
      fail(span, err);
      span.end();
      throw err;
    }
    if (isThenable(result)) {
      return result.then(
        (value) => {
          span.end();
          return value;
        },
        (err: unknown) => {
          fail(span, err);
          span.end();
          throw err;
        },
      ) as T;
    }
    span.end();
    return result;
  });
}

/** Records an error on a span: exception event plus status ERROR with the message. */
export function fail(span: Span, err: unknown): void {
  span.recordException(err instanceof Error ? err : String(err));
  span.setStatus({ code: SpanStatusCode.ERROR, message: err instanceof Error ? err.message : String(err) });
}

function isThenable<T>(v: T): v is T & PromiseLike<Awaited<T>> {
  return v !== null && typeof v === 'object' && typeof (v as { then?: unknown }).then === 'function';
}
