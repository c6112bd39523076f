/**
 * Tracing suppression, on the same context key as @opentelemetry/core, so OTel's own
 * instrumentations (http, undici…) skip the exporter's requests too. `createContextKey`
 * uses `Symbol.for`, hence the same description gives the same key.
 */
import type { Context } from '@opentelemetry/api';
import { createContextKey } from '@opentelemetry/api';

const SUPPRESS_TRACING_KEY = createContextKey('OpenTelemetry SDK Context Key SUPPRESS_TRACING');

export function suppressTracing(ctx: Context): Context {
  return ctx.setValue(SUPPRESS_TRACING_KEY, true);
}

export function isTracingSuppressed(ctx: Context): boolean {
  return ctx.getValue(SUPPRESS_TRACING_KEY) === true;
}
