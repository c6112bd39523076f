/**
 * Builds the propagator named by `OTEL_PROPAGATORS`, as the OpenTelemetry SDK configuration
 * spec defines it: a comma list, default `tracecontext,baggage`, `none` for no propagation.
 */
import type { TextMapPropagator } from '@opentelemetry/api';
import { reportOnce } from '../diag.ts';
import { B3Propagator } from './b3.ts';
import { CompositePropagator } from './composite.ts';
import { NoopPropagator } from './noop.ts';
import { W3CBaggagePropagator } from './w3c-baggage.ts';
import { W3CTraceContextPropagator } from './w3c-trace-context.ts';

export const DEFAULT_PROPAGATORS = 'tracecontext,baggage';

const FACTORIES = new Map<string, () => TextMapPropagator>([
  ['tracecontext', () => new W3CTraceContextPropagator()],
  ['baggage', () => new W3CBaggagePropagator()],
  ['b3', () => new B3Propagator({ injectEncoding: 'single' })],
  ['b3multi', () => new B3Propagator({ injectEncoding: 'multi' })],
]);

/** The names in `OTEL_PROPAGATORS`, normalised and deduplicated (first occurrence kept). */
export function propagatorNames(value: string | undefined): string[] {
  // The spec treats an empty variable as unset; enum values are case-insensitive.
  const text = value === undefined || value.trim() === '' ? DEFAULT_PROPAGATORS : value;
  const names = text.split(',').map((name) => name.trim().toLowerCase());
  return [...new Set(names.filter((name) => name !== ''))];
}

export function propagatorFromEnv(
  env: Readonly<Record<string, string | undefined>> = process.env,
): TextMapPropagator {
  const names = propagatorNames(env.OTEL_PROPAGATORS);
  if (names.includes('none')) {
    // An explicit "none" is the stronger intent; anything listed beside it is ignored.
    if (names.length > 1) {
      reportOnce('OTEL_PROPAGATORS none', `OTEL_PROPAGATORS has "none" with other names; none used`);
    }
    return new NoopPropagator();
  }
  const propagators: TextMapPropagator[] = [];
  for (const name of names) {
    const factory = FACTORIES.get(name);
    if (factory === undefined) {
      reportOnce(`OTEL_PROPAGATORS ${name}`, `OTEL_PROPAGATORS: unknown propagator "${name}" skipped`);
      continue;
    }
    propagators.push(factory());
  }
  return new CompositePropagator({ propagators });
}
