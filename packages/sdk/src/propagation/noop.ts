/** The propagator for `OTEL_PROPAGATORS=none`: carries nothing in either direction. */
import type { Context, TextMapGetter, TextMapPropagator, TextMapSetter } from '@opentelemetry/api';

export class NoopPropagator implements TextMapPropagator {
  inject(_context: Context, _carrier: unknown, _setter: TextMapSetter): void {
    // Deliberately writes nothing.
  }

  extract(context: Context, _carrier: unknown, _getter: TextMapGetter): Context {
    return context;
  }

  fields(): string[] {
    return [];
  }
}
