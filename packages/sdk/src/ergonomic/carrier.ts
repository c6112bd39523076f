/**
 * Moving context across process and thread boundaries with the global propagator: a plain
 * JSON-safe object for worker threads, queues and child processes, and HTTP-style headers.
 */
import type { Context } from '@opentelemetry/api';
import { context, propagation } from '@opentelemetry/api';

export type Carrier = Record<string, string>;

/** The active context (trace and baggage) as a plain object that survives JSON and postMessage. */
export function propagateContext(): Carrier {
  const carrier: Carrier = {};
  propagation.inject(context.active(), carrier);
  return carrier;
}

/** Runs fn with the context carried by `carrier` as its parent (made by `propagateContext`). */
export function withPropagatedContext<T>(carrier: Carrier | undefined | null, fn: () => T): T {
  const ctx = carrier === undefined || carrier === null ? context.active() : extractHeaders(carrier);
  return context.with(ctx, fn);
}

/** Writes the active context into `headers` (a plain object) and returns it. */
export function injectHeaders<H extends Record<string, unknown>>(headers: H = {} as H): H {
  propagation.inject(context.active(), headers);
  return headers;
}

/**
 * The context in `headers`, on top of the active one. Header names are matched without regard
 * to case, as HTTP requires, so Node's lowercased `req.headers` and hand-made objects both work.
 */
export function extractHeaders(headers: Record<string, string | string[] | undefined>): Context {
  return propagation.extract(context.active(), headers, {
    keys: (c) => Object.keys(c),
    get: (c, key) => {
      const direct = c[key];
      if (direct !== undefined) return direct;
      const lower = key.toLowerCase();
      for (const k of Object.keys(c)) if (k.toLowerCase() === lower) return c[k];
      return undefined;
    },
  });
}
