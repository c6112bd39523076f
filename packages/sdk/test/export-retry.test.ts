import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { AttemptOutcome } from '../src/export/retry.ts';
import {
  backoffMillis,
  GrpcStatus,
  isRetryableGrpcStatus,
  isRetryableHttpStatus,
  isRetryableNetworkError,
  parseRetryAfter,
  runWithRetry,
} from '../src/export/retry.ts';
import { ExportResultCode } from '../src/types.ts';

const retryable = (msg = 'busy', retryAfterMillis?: number): AttemptOutcome =>
  retryAfterMillis === undefined
    ? { ok: false, retryable: true, error: new Error(msg) }
    : { ok: false, retryable: true, error: new Error(msg), retryAfterMillis };

/** Plays `outcomes` in order and records what runWithRetry asked for. */
function script(outcomes: AttemptOutcome[]) {
  const waits: number[] = [];
  let calls = 0;
  return {
    waits,
    get calls() {
      return calls;
    },
    attempt: async () => outcomes[Math.min(calls++, outcomes.length - 1)],
    sleep: async (ms: number) => {
      waits.push(ms);
    },
  };
}

describe('backoff', () => {
  test('doubles from 100 ms, capped at 5 s, within ±20% jitter', () => {
    const nominal = [100, 200, 400, 800, 1600, 3200, 5000, 5000];
    nominal.forEach((n, retry) => {
      assert.equal(
        backoffMillis(retry, () => 0),
        Math.round(n * 0.8),
      );
      assert.equal(
        backoffMillis(retry, () => 0.5),
        n,
      );
      assert.ok(backoffMillis(retry, () => 0.999999) <= Math.round(n * 1.2));
    });
    const seen = new Set(Array.from({ length: 50 }, () => backoffMillis(2)));
    assert.ok(seen.size > 1, 'real jitter varies');
    for (const d of seen) assert.ok(d >= 320 && d <= 480, `${d} within 400 ± 20%`);
  });
});

describe('runWithRetry', () => {
  test('retries retryable failures with backoff and reports the retry count', async () => {
    const s = script([retryable(), retryable(), { ok: true }]);
    const r = await runWithRetry(s.attempt, {
      maxAttempts: 5,
      timeoutMillis: 10_000,
      sleep: s.sleep,
      random: () => 0.5,
    });
    assert.equal(r.code, ExportResultCode.SUCCESS);
    assert.equal(r.retries, 2);
    assert.equal(s.calls, 3);
    assert.deepEqual(s.waits, [100, 200]);
  });

  test('a non-retryable failure ends at once', async () => {
    const s = script([{ ok: false, retryable: false, error: new Error('HTTP 400') }, { ok: true }]);
    const r = await runWithRetry(s.attempt, { maxAttempts: 5, timeoutMillis: 10_000, sleep: s.sleep });
    assert.equal(r.code, ExportResultCode.FAILED);
    assert.equal(r.retries, 0);
    assert.equal(r.error?.message, 'HTTP 400');
    assert.equal(s.calls, 1);
  });

  test('stops after maxAttempts and keeps the last error as the cause', async () => {
    const s = script([retryable('HTTP 503')]);
    const r = await runWithRetry(s.attempt, { maxAttempts: 3, timeoutMillis: 10_000, sleep: s.sleep });
    assert.equal(r.code, ExportResultCode.FAILED);
    assert.equal(r.retries, 2);
    assert.equal(s.calls, 3);
    assert.match(r.error!.message, /HTTP 503 \(gave up: after 3 attempts\)/);
    assert.equal((r.error!.cause as Error).message, 'HTTP 503');
  });

  test('a server-given delay replaces the backoff', async () => {
    const s = script([retryable('429', 1500), { ok: true }]);
    const r = await runWithRetry(s.attempt, { maxAttempts: 5, timeoutMillis: 10_000, sleep: s.sleep });
    assert.equal(r.code, ExportResultCode.SUCCESS);
    assert.deepEqual(s.waits, [1500]);
  });

  test('a wait that would outlast the timeout is not started', async () => {
    const s = script([retryable('429', 5000), { ok: true }]);
    const r = await runWithRetry(s.attempt, { maxAttempts: 5, timeoutMillis: 1000, sleep: s.sleep });
    assert.equal(r.code, ExportResultCode.FAILED);
    assert.equal(s.calls, 1);
    assert.deepEqual(s.waits, []);
    assert.match(r.error!.message, /exceed the 1000 ms export timeout/);
  });

  test('attempts get the time left in the budget', async () => {
    const budgets: number[] = [];
    let n = 0;
    await runWithRetry(
      async (remaining) => {
        budgets.push(remaining);
        return n++ === 0 ? retryable() : { ok: true };
      },
      { maxAttempts: 3, timeoutMillis: 2000 },
    );
    assert.equal(budgets.length, 2);
    assert.ok(budgets[0] <= 2000 && budgets[0] > 1900);
    assert.ok(budgets[1] < budgets[0] - 70, 'the real backoff wait (≥ 80 ms) came out of the budget');
  });

  test('a throwing attempt fails without retry instead of throwing', async () => {
    const r = await runWithRetry(
      async () => {
        throw new Error('bug');
      },
      { maxAttempts: 3, timeoutMillis: 1000 },
    );
    assert.equal(r.code, ExportResultCode.FAILED);
    assert.equal(r.error?.message, 'bug');
  });
});

describe('what is retryable', () => {
  test('HTTP: 429, 502, 503, 504 only', () => {
    for (const s of [429, 502, 503, 504]) assert.ok(isRetryableHttpStatus(s), String(s));
    for (const s of [400, 401, 403, 404, 413, 500, 501]) assert.ok(!isRetryableHttpStatus(s), String(s));
  });

  test('network errors by code', () => {
    const err = (code: string) => Object.assign(new Error(code), { code });
    for (const c of ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE'])
      assert.ok(isRetryableNetworkError(err(c)));
    assert.ok(!isRetryableNetworkError(err('ERR_INVALID_URL')));
    assert.ok(!isRetryableNetworkError(new Error('no code')));
    assert.ok(!isRetryableNetworkError(null));
  });

  test('gRPC: the OTLP table, RESOURCE_EXHAUSTED only with RetryInfo', () => {
    const yes = [
      'CANCELLED',
      'DEADLINE_EXCEEDED',
      'ABORTED',
      'OUT_OF_RANGE',
      'UNAVAILABLE',
      'DATA_LOSS',
    ] as const;
    for (const name of yes) assert.ok(isRetryableGrpcStatus(GrpcStatus[name], false), name);
    for (const name of ['UNKNOWN', 'INVALID_ARGUMENT'] as const)
      assert.ok(!isRetryableGrpcStatus(GrpcStatus[name], true));
    assert.ok(!isRetryableGrpcStatus(GrpcStatus.RESOURCE_EXHAUSTED, false));
    assert.ok(isRetryableGrpcStatus(GrpcStatus.RESOURCE_EXHAUSTED, true));
  });
});

describe('Retry-After', () => {
  test('delay-seconds and HTTP dates', () => {
    const now = Date.parse('Wed, 21 Oct 2015 07:28:00 GMT');
    assert.equal(parseRetryAfter('1'), 1000);
    assert.equal(parseRetryAfter(' 30 '), 30_000);
    assert.equal(parseRetryAfter(['2']), 2000);
    assert.equal(parseRetryAfter('Wed, 21 Oct 2015 07:28:07 GMT', now), 7000);
    assert.equal(parseRetryAfter('Wed, 21 Oct 2015 07:27:00 GMT', now), 0, 'a past date means now');
    assert.equal(parseRetryAfter(undefined), undefined);
    assert.equal(parseRetryAfter(''), undefined);
    assert.equal(parseRetryAfter('-1'), undefined);
    assert.equal(parseRetryAfter('soon'), undefined);
  });
});
