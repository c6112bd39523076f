/**
 * Retries with exponential backoff, traced: a parent span `retry <name>` and one child span
 * per attempt. The parent's own time, outside its children, is the backoff spent waiting.
 */
import { SpanKind } from '@opentelemetry/api';
import { reportOnce } from '../diag.ts';
import { isNonNegative, isPositiveInteger, numberOption } from './options.ts';
import {
  addEvent,
  contextWith,
  endSpan,
  errorMessage,
  markDefect,
  markFailed,
  runInSpan,
  setAttributes,
  startSpan,
} from './span-tools.ts';

export interface RetryOptions {
  /** Attempts in all, the first included. Default 3. */
  maxAttempts?: number;
  /** Wait after the first failed attempt. Default 100. */
  baseDelayMs?: number;
  /** Cap on any single wait. Default 30000. */
  maxDelayMs?: number;
  /** Each wait is the previous one times this. Default 2. */
  factor?: number;
  /**
   * Randomises each wait down by up to this fraction (0–1): 0.2 waits 80–100% of the nominal
   * delay. `true` means 1 ("full jitter", 0–100%). Default 0: exact, predictable waits.
   */
  jitter?: boolean | number;
  /** Whether an error is worth another attempt. Default: every error is. */
  retryOn?: (err: unknown, attempt: number) => boolean;
}

interface Backoff {
  base: number;
  max: number;
  factor: number;
  jitter: number;
}

/** The wait after failed attempt `attempt` (1-based), in whole milliseconds. */
function delayAfter(attempt: number, b: Backoff): number {
  const nominal = Math.min(b.max, b.base * b.factor ** (attempt - 1));
  return Math.round(nominal * (1 - b.jitter * Math.random()));
}

function backoffFrom(options: RetryOptions): Backoff {
  const jitter = options.jitter === true ? 1 : options.jitter === false ? 0 : options.jitter;
  return {
    base: numberOption(options.baseDelayMs, 100, 'baseDelayMs', isNonNegative, 'a number >= 0'),
    max: numberOption(options.maxDelayMs, 30_000, 'maxDelayMs', isNonNegative, 'a number >= 0'),
    factor: numberOption(options.factor, 2, 'factor', (n) => n >= 1, 'a number >= 1'),
    jitter: numberOption(jitter, 0, 'jitter', (n) => n >= 0 && n <= 1, 'a boolean or a number in [0, 1]'),
  };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Calls `fn(attempt)` until it succeeds or attempts run out, waiting between attempts.
 * Resolves with its value, or rejects with the last error once retrying stops.
 */
export async function withRetry<R>(
  name: string,
  fn: (attempt: number) => R | PromiseLike<R>,
  options: RetryOptions = {},
): Promise<R> {
  const maxAttempts = numberOption(
    options.maxAttempts,
    3,
    'maxAttempts',
    isPositiveInteger,
    'an integer >= 1',
  );
  const backoff = backoffFrom(options);
  const parent = startSpan(`retry ${name}`, {
    kind: SpanKind.INTERNAL,
    attributes: { 'retry.name': name, 'retry.max_attempts': maxAttempts },
  });
  const parentContext = contextWith(parent);

  let attempt = 1;
  for (;;) {
    const current = attempt;
    const span = startSpan(
      name,
      { kind: SpanKind.INTERNAL, attributes: { 'retry.attempt': current } },
      parentContext,
    );
    try {
      const value = await runInSpan(span, () => fn(current));
      endSpan(span);
      setAttributes(parent, { 'retry.attempts': current, 'retry.success': true });
      endSpan(parent);
      return value;
    } catch (err) {
      markFailed(span, err);
      endSpan(span);
      if (current >= maxAttempts || !shouldRetry(options, err, current)) {
        setAttributes(parent, { 'retry.attempts': current, 'retry.success': false });
        markDefect(parent, errorMessage(err));
        endSpan(parent);
        throw err;
      }
      const delay = delayAfter(current, backoff);
      addEvent(parent, 'retry_attempt', { attempt: current + 1, delay_ms: delay, error: errorMessage(err) });
      await sleep(delay);
      attempt = current + 1;
    }
  }
}

// A predicate that throws is a bug in the caller's policy, not their work: report it and
// fall back to the default policy (retry) rather than turning it into the call's error.
function shouldRetry(options: RetryOptions, err: unknown, attempt: number): boolean {
  if (!options.retryOn) return true;
  try {
    return Boolean(options.retryOn(err, attempt));
  } catch (predicateError) {
    reportOnce('retry.retryOn', 'retryOn threw; retrying as if it had returned true', predicateError);
    return true;
  }
}
