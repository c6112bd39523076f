/** Running totals of a demo run, updated in place while it runs. */
export interface DemoStats {
  /** Orders posted to the gateway. */
  sent: number;
  /** Orders confirmed (201). */
  ok: number;
  /** Orders that failed, by the reason the gateway gave (e.g. `payment-declined`). */
  failed: number;
  failures: Record<string, number>;
  /** Orders sent and not yet answered. */
  inFlight: number;
  /** Mean and longest round trip of answered orders, in ms. */
  meanMs: number;
  maxMs: number;
  /** Spans the five services exported and dropped; known once the demo has stopped. */
  spansExported: number;
  spansDropped: number;
}

export function emptyStats(): DemoStats {
  return {
    sent: 0,
    ok: 0,
    failed: 0,
    failures: {},
    inFlight: 0,
    meanMs: 0,
    maxMs: 0,
    spansExported: 0,
    spansDropped: 0,
  };
}
