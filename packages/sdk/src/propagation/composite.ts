/**
 * Runs several propagators as one: inject writes each format, extract applies them in order
 * (each on the previous result, so a later propagator's span context wins). One propagator
 * failing must not cost the request its other formats, so errors are reported, never thrown.
 */
import type { Context, TextMapGetter, TextMapPropagator, TextMapSetter } from '@opentelemetry/api';
import { reportOnce } from '../diag.ts';

export interface CompositePropagatorConfig {
  propagators?: readonly TextMapPropagator[];
}

function nameOf(propagator: TextMapPropagator): string {
  return propagator.constructor?.name || 'propagator';
}

function report(propagator: TextMapPropagator, method: string, err: unknown): void {
  const name = nameOf(propagator);
  reportOnce(`propagator ${name}.${method}`, `${name}.${method} threw; skipped`, err);
}

export class CompositePropagator implements TextMapPropagator {
  readonly #propagators: readonly TextMapPropagator[];
  readonly #fields: readonly string[];

  constructor(config: CompositePropagatorConfig = {}) {
    this.#propagators = [...(config.propagators ?? [])];
    const fields = new Set<string>();
    for (const propagator of this.#propagators) {
      try {
        for (const field of propagator.fields()) fields.add(field);
      } catch (err) {
        report(propagator, 'fields', err);
      }
    }
    this.#fields = [...fields];
  }

  inject(context: Context, carrier: unknown, setter: TextMapSetter): void {
    for (const propagator of this.#propagators) {
      try {
        propagator.inject(context, carrier, setter);
      } catch (err) {
        report(propagator, 'inject', err);
      }
    }
  }

  extract(context: Context, carrier: unknown, getter: TextMapGetter): Context {
    let out = context;
    for (const propagator of this.#propagators) {
      try {
        out = propagator.extract(out, carrier, getter);
      } catch (err) {
        report(propagator, 'extract', err);
      }
    }
    return out;
  }

  fields(): string[] {
    return [...this.#fields];
  }
}
