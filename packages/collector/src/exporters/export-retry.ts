/**
 * Sending one batch until it is acknowledged, refused for good, or out of time, as the
 * Collector's exporterhelper does: exponential backoff (initial × multiplier^n, capped at
 * max_interval) randomised by ± randomization_factor; a server's own delay (gRPC RetryInfo,
 * HTTP Retry-After) is honoured by waiting at least that long; no wait is started that would
 * end past max_elapsed_time.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { RetrySettings } from './export-settings.ts';

/** How one attempt ended. */
export type AttemptResult =
  | { ok: true; rejected: number; message: string }
  | { ok: false; retryable: boolean; error: string; retryAfterMs?: number };

export type SendOutcome =
  | { kind: 'sent'; rejected: number; message: string }
  /** A permanent refusal (bad request, auth): retrying cannot help. */
  | { kind: 'dropped'; error: string }
  /** Retryable failures until the time ran out (or retries are off, or shutdown). */
  | { kind: 'gave_up'; error: string; attempts: number; retryAfterMs: number };

const MAX_TIMER_MS = 2 ** 31 - 1;

export function backoffMs(retry: number, s: RetrySettings, random: () => number = Math.random): number {
  const nominal = Math.min(s.initialMs * s.multiplier ** Math.min(retry, 64), s.maxIntervalMs);
  return nominal * (1 - s.randomization + 2 * s.randomization * random());
}

/**
 * Runs `attempt` until an outcome. `stop` aborts the waits between attempts (shutdown): the
 * batch then gives up at once instead of holding the caller.
 */
export async function sendWithRetry(
  attempt: () => Promise<AttemptResult>,
  s: RetrySettings,
  stop: AbortSignal,
): Promise<SendOutcome> {
  const started = Date.now();
  for (let retry = 0; ; retry++) {
    const r = await attempt();
    if (r.ok) return { kind: 'sent', rejected: r.rejected, message: r.message };
    if (!r.retryable) return { kind: 'dropped', error: r.error };
    // Capped where Node timers overflow (about 24.8 days), which would fire at once instead.
    const wait = Math.min(Math.max(backoffMs(retry, s), r.retryAfterMs ?? 0), MAX_TIMER_MS);
    const attempts = retry + 1;
    const giveUp = (why: string): SendOutcome => ({
      kind: 'gave_up',
      error: `${r.error} (gave up after ${attempts} attempt${attempts === 1 ? '' : 's'}: ${why})`,
      attempts,
      retryAfterMs: wait,
    });
    if (!s.enabled) return giveUp('retry_on_failure is disabled');
    if (stop.aborted) return giveUp('the exporter is shutting down');
    if (s.maxElapsedMs > 0 && Date.now() + wait - started > s.maxElapsedMs)
      return giveUp(`the next retry would pass max_elapsed_time of ${s.maxElapsedMs} ms`);
    try {
      await sleep(wait, undefined, { signal: stop });
    } catch {
      return giveUp('the exporter is shutting down');
    }
  }
}
