/**
 * Jidoka ("automation with a human touch"): stop the line on a defect. A circuit check is the
 * gate a call passes through; a trip or a rejection is a defect the analysis should count.
 */
import type { Span } from '@opentelemetry/api';
import { SpanKind } from '@opentelemetry/api';
import type { CircuitState } from '../helpers/circuit-breaker.ts';
import { addEvent, markDefect, setAttributes } from '../helpers/span-tools.ts';
import { nameOf, type SpanHandle, spanHandle, startTpsSpan } from './span-handle.ts';

export type JidokaResult = 'pass' | 'trip' | 'reject';

export interface CircuitCheckOptions {
  circuit: string;
  /** The circuit's state when the call reached it. */
  state: CircuitState;
}

export interface CircuitCheckOutcome {
  /** `pass`: let through; `trip`: this call's failure opened the circuit; `reject`: refused while open. */
  result: JidokaResult;
  /** The state after the check; a change adds a `circuit.state_change` event. */
  state?: CircuitState;
}

export type CircuitCheckHandle = SpanHandle<CircuitCheckOutcome>;

/** Starts a span `jidoka.circuit_check <circuit>`; end it with the check's result. */
export function circuitCheck(options: CircuitCheckOptions): CircuitCheckHandle {
  const circuit = nameOf(options?.circuit, 'jidoka.circuitCheck');
  const before = options?.state;
  const span = startTpsSpan('jidoka', `jidoka.circuit_check ${circuit}`, SpanKind.INTERNAL, 'transport', {
    'jidoka.circuit.name': circuit,
    'jidoka.circuit.state': before,
  });
  return spanHandle('jidoka.circuitCheck', span, (outcome) => record(span, circuit, before, outcome));
}

function record(span: Span, circuit: string, before: CircuitState | undefined, outcome: CircuitCheckOutcome) {
  const result = outcome?.result;
  setAttributes(span, { 'jidoka.result': result });
  if (outcome?.state !== undefined && outcome.state !== before) {
    addEvent(span, 'circuit.state_change', { from: before, to: outcome.state });
  }
  if (result === 'trip') markDefect(span, `circuit ${circuit} tripped`);
  else if (result === 'reject') markDefect(span, `circuit ${circuit} rejected the call`);
}
