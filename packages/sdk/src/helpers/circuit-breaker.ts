/**
 * A circuit breaker (jidoka: stop the line when a dependency keeps failing) whose every call is
 * a span. Closed → open after `failureThreshold` consecutive failures; open rejects at once for
 * `resetTimeoutMs`; then half-open admits a single trial call: success closes, failure reopens.
 */
import type { Span } from '@opentelemetry/api';
import { SpanKind } from '@opentelemetry/api';
import { ATTR_GENBA_COMPONENT, ATTR_GENBA_WASTE } from '../tps/conventions.ts';
import { isNonNegative, isPositiveInteger, numberOption } from './options.ts';
import {
  addEvent,
  endSpan,
  markDefect,
  markFailed,
  runInSpan,
  setAttributes,
  startSpan,
} from './span-tools.ts';

export type CircuitState = 'closed' | 'open' | 'half_open';
export type CircuitResult = 'success' | 'failure' | 'rejected';

export interface CircuitBreakerOptions {
  /** Consecutive failures that open the circuit. Default 5. */
  failureThreshold?: number;
  /** How long an open circuit rejects before it lets one trial call through. Default 30000. */
  resetTimeoutMs?: number;
}

/** What a call gets, instead of running, while the circuit is open or its trial is in flight. */
export class CircuitOpenError extends Error {
  override readonly name = 'CircuitOpenError';
  readonly circuit: string;
  readonly state: CircuitState;
  /** Milliseconds until the circuit admits a trial call; undefined while a trial is in flight. */
  readonly retryAfterMs: number | undefined;

  constructor(circuit: string, state: CircuitState, retryAfterMs: number | undefined) {
    super(`circuit ${circuit} is ${state}; call rejected`);
    this.circuit = circuit;
    this.state = state;
    this.retryAfterMs = retryAfterMs;
  }
}

export type CircuitBreaker<A extends unknown[], R> = ((...args: A) => Promise<R>) & {
  readonly state: CircuitState;
};

type Transition = (from: CircuitState, to: CircuitState) => void;

type Admission =
  | { admitted: true; state: CircuitState; generation: number }
  | { admitted: false; state: CircuitState; retryAfterMs: number | undefined };

/** The state machine alone, no tracing. Time is monotonic so clock changes cannot stick it open. */
class CircuitMachine {
  readonly #threshold: number;
  readonly #resetTimeoutMs: number;
  #state: CircuitState = 'closed';
  #failures = 0;
  #openedAt = 0;
  #trialInFlight = false;
  // Bumped on every transition: a result from a call admitted under an older state is stale
  // (e.g. a slow call started while closed must not close a circuit that has since opened).
  #generation = 0;

  constructor(threshold: number, resetTimeoutMs: number) {
    this.#threshold = threshold;
    this.#resetTimeoutMs = resetTimeoutMs;
  }

  /** The state the next call would see: an open circuit past its timeout reads as half-open. */
  get state(): CircuitState {
    if (this.#state === 'open' && this.#remaining() <= 0) return 'half_open';
    return this.#state;
  }

  admit(onTransition: Transition): Admission {
    if (this.#state === 'open') {
      const remaining = this.#remaining();
      if (remaining > 0) return { admitted: false, state: 'open', retryAfterMs: Math.ceil(remaining) };
      this.#move('half_open', onTransition);
    }
    if (this.#state === 'half_open') {
      if (this.#trialInFlight) return { admitted: false, state: 'half_open', retryAfterMs: undefined };
      this.#trialInFlight = true;
    }
    return { admitted: true, state: this.#state, generation: this.#generation };
  }

  settle(generation: number, ok: boolean, onTransition: Transition): void {
    if (generation !== this.#generation) return;
    if (this.#state === 'half_open') {
      this.#trialInFlight = false;
      this.#move(ok ? 'closed' : 'open', onTransition);
      return;
    }
    if (ok) {
      this.#failures = 0;
      return;
    }
    this.#failures++;
    if (this.#failures >= this.#threshold) this.#move('open', onTransition);
  }

  #remaining(): number {
    return this.#openedAt + this.#resetTimeoutMs - performance.now();
  }

  #move(to: CircuitState, onTransition: Transition): void {
    const from = this.#state;
    this.#state = to;
    this.#generation++;
    if (to === 'open') this.#openedAt = performance.now();
    if (to === 'closed') this.#failures = 0;
    onTransition(from, to);
  }
}

/**
 * Wraps `fn` in a circuit breaker. Each call is a span `circuit_breaker <name>`; `fn` runs inside
 * it. The user's errors are recorded and rethrown; rejections throw `CircuitOpenError`.
 */
export function tracedCircuitBreaker<A extends unknown[], R>(
  name: string,
  fn: (...args: A) => R | PromiseLike<R>,
  options: CircuitBreakerOptions = {},
): CircuitBreaker<A, R> {
  const machine = new CircuitMachine(
    numberOption(options.failureThreshold, 5, 'failureThreshold', isPositiveInteger, 'an integer >= 1'),
    numberOption(options.resetTimeoutMs, 30_000, 'resetTimeoutMs', isNonNegative, 'a number >= 0'),
  );

  async function call(this: unknown, ...args: A): Promise<R> {
    const span = startSpan(`circuit_breaker ${name}`, {
      kind: SpanKind.INTERNAL,
      attributes: { 'circuit.name': name, [ATTR_GENBA_COMPONENT]: 'jidoka', [ATTR_GENBA_WASTE]: 'transport' },
    });
    const onTransition: Transition = (from, to) => addEvent(span, 'circuit.state_change', { from, to });
    const admission = machine.admit(onTransition);
    setAttributes(span, { 'circuit.state': admission.state });
    if (!admission.admitted) {
      const err = new CircuitOpenError(name, admission.state, admission.retryAfterMs);
      finish(span, 'rejected');
      markDefect(span, err.message);
      endSpan(span);
      throw err;
    }
    try {
      const value = await runInSpan(span, () => fn.apply(this, args));
      machine.settle(admission.generation, true, onTransition);
      finish(span, 'success');
      return value;
    } catch (err) {
      machine.settle(admission.generation, false, onTransition);
      finish(span, 'failure');
      markFailed(span, err);
      throw err;
    } finally {
      endSpan(span);
    }
  }

  Object.defineProperty(call, 'state', { get: () => machine.state, enumerable: true });
  return call as CircuitBreaker<A, R>;
}

function finish(span: Span, result: CircuitResult): void {
  setAttributes(span, { 'circuit.result': result });
}
