/**
 * Retrying an export, as the OTLP spec asks: exponential backoff with jitter for retryable
 * failures, the server's own delay (HTTP Retry-After, gRPC RetryInfo) when it gives one, all
 * within one time budget so an export never outlives its timeout.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { context } from '@opentelemetry/api';
import { suppressTracing } from '../suppress.ts';
import type { ExportResult } from '../types.ts';
import { ExportResultCode } from '../types.ts';
import { OtlpExportError } from './export-error.ts';

/** How one attempt ended. A failure says whether trying again could help. */
export type AttemptOutcome =
  | { ok: true }
  | { ok: false; retryable: boolean; error: Error; retryAfterMillis?: number };

export interface RetryOptions {
  /** Attempts in all, the first included (≥ 1). */
  maxAttempts: number;
  /** Budget for every attempt and every wait together. */
  timeoutMillis: number;
  /** Injected by tests that check the waits without spending them. */
  sleep?: (millis: number) => Promise<void>;
  random?: () => number;
}

export const DEFAULT_MAX_ATTEMPTS = 5;
export const BASE_DELAY_MILLIS = 100;
export const MAX_DELAY_MILLIS = 5000;
/** Each wait is the nominal delay ± this fraction, uniformly: spreads clients that failed together. */
export const JITTER = 0.2;

/**
 * The wait before retry number `retry` (0 for the first retry): 100, 200, 400 … ms, doubling,
 * capped at 5 s, then scaled by a uniform factor in [0.8, 1.2).
 */
export function backoffMillis(retry: number, random: () => number = Math.random): number {
  const nominal = Math.min(BASE_DELAY_MILLIS * 2 ** Math.min(retry, 30), MAX_DELAY_MILLIS);
  return Math.round(nominal * (1 - JITTER + 2 * JITTER * random()));
}

/**
 * Runs `attempt` until it succeeds, fails for good, runs out of attempts or out of time.
 * `attempt` gets the time left in the budget; it should not throw, but a throw counts as a
 * non-retryable failure. A wait that would use up the rest of the budget is not started:
 * the export fails at once instead of retrying with no time left.
 */
export async function runWithRetry(
  attempt: (remainingMillis: number) => Promise<AttemptOutcome>,
  opts: RetryOptions,
): Promise<ExportResult> {
  const sleep = opts.sleep ?? ((ms: number) => delay(ms));
  const random = opts.random ?? Math.random;
  const maxAttempts = Math.max(1, opts.maxAttempts);
  const deadline = Date.now() + opts.timeoutMillis;
  for (let retries = 0; ; retries++) {
    let outcome: AttemptOutcome;
    try {
      outcome = await attempt(Math.max(0, deadline - Date.now()));
    } catch (err) {
      outcome = { ok: false, retryable: false, error: asError(err) };
    }
    if (outcome.ok) return { code: ExportResultCode.SUCCESS, retries };
    const { error } = outcome;
    if (!outcome.retryable) return { code: ExportResultCode.FAILED, error, retries };
    if (retries + 1 >= maxAttempts) {
      return {
        code: ExportResultCode.FAILED,
        error: giveUp(error, `after ${retries + 1} attempts`),
        retries,
      };
    }
    const wait = outcome.retryAfterMillis ?? backoffMillis(retries, random);
    if (wait >= deadline - Date.now()) {
      const why = `the ${wait} ms wait before retrying would exceed the ${opts.timeoutMillis} ms export timeout`;
      return { code: ExportResultCode.FAILED, error: giveUp(error, why), retries };
    }
    await sleep(wait);
  }
}

/** The last error, saying why no more attempts were made; an OtlpExportError keeps its status. */
function giveUp(error: Error, why: string): Error {
  const message = `${error.message} (gave up: ${why})`;
  if (error instanceof OtlpExportError) {
    return new OtlpExportError(message, {
      httpStatus: error.httpStatus,
      grpcCode: error.grpcCode,
      cause: error,
    });
  }
  return new Error(message, { cause: error });
}

/**
 * runWithRetry under a tracing-suppressed context, so an exporter's own requests never become
 * spans, even when the exporter is called directly rather than by a processor.
 */
export function runUntracedWithRetry(
  attempt: (remainingMillis: number) => Promise<AttemptOutcome>,
  opts: RetryOptions,
): Promise<ExportResult> {
  return context.with(suppressTracing(context.active()), () => runWithRetry(attempt, opts));
}

/** A failed export that made no retries. */
export function failed(error: Error): ExportResult {
  return { code: ExportResultCode.FAILED, error, retries: 0 };
}

export function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}

const RETRYABLE_HTTP = new Set([429, 502, 503, 504]);

/** The OTLP/HTTP retryable statuses; every other 4xx and 5xx is final. */
export function isRetryableHttpStatus(status: number): boolean {
  return RETRYABLE_HTTP.has(status);
}

// Transient transport trouble: the server may be restarting, a proxy may have cut an idle
// keep-alive connection, or the network is briefly away.
const RETRYABLE_NETWORK = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'ENETDOWN',
  'UND_ERR_SOCKET',
]);

export function isRetryableNetworkError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && RETRYABLE_NETWORK.has(code);
}

/** gRPC status codes by number, the ones the retry rule names. */
export const GrpcStatus = {
  OK: 0,
  CANCELLED: 1,
  UNKNOWN: 2,
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  RESOURCE_EXHAUSTED: 8,
  ABORTED: 10,
  OUT_OF_RANGE: 11,
  UNAVAILABLE: 14,
  DATA_LOSS: 15,
} as const;

const RETRYABLE_GRPC = new Set<number>([
  GrpcStatus.CANCELLED,
  GrpcStatus.DEADLINE_EXCEEDED,
  GrpcStatus.ABORTED,
  GrpcStatus.OUT_OF_RANGE,
  GrpcStatus.UNAVAILABLE,
  GrpcStatus.DATA_LOSS,
]);

/**
 * The OTLP spec's table. RESOURCE_EXHAUSTED is retryable only when the server says recovery
 * is possible by sending a RetryInfo; without one, retrying would only add load.
 */
export function isRetryableGrpcStatus(code: number, hasRetryInfo: boolean): boolean {
  if (code === GrpcStatus.RESOURCE_EXHAUSTED) return hasRetryInfo;
  return RETRYABLE_GRPC.has(code);
}

/** `Retry-After` as delay-seconds or an HTTP date → milliseconds to wait; undefined if absent or bad. */
export function parseRetryAfter(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const v = (Array.isArray(value) ? value[0] : value)?.trim();
  if (!v) return undefined;
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  // Every HTTP-date form starts with a day name; Date.parse alone would take '-1' as a year.
  if (!/^[A-Za-z]{3}/.test(v)) return undefined;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
