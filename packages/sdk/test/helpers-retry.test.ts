import assert from 'node:assert/strict';
import { after, beforeEach, describe, mock, test } from 'node:test';
import { trace } from '@opentelemetry/api';
import { withRetry } from '../src/helpers/index.ts';
import { captureWarnings, type RecordedSpan, setupTracing } from './support/otel-setup.ts';

const tracing = setupTracing();
const warnings = captureWarnings();
after(() => tracing.shutdown());
beforeEach(() => tracing.reset());

const retryEvents = (s: RecordedSpan) =>
  s.events.filter((e) => e.name === 'retry_attempt').map((e) => e.attributes);

/** fn failing its first `failures` attempts, recording when each attempt started. */
function failing(failures: number) {
  const attempts: number[] = [];
  const startedAt: number[] = [];
  const fn = async (attempt: number) => {
    attempts.push(attempt);
    startedAt.push(performance.now());
    if (attempt <= failures) throw new Error(`boom ${attempt}`);
    return `ok on ${attempt}`;
  };
  const gaps = () => startedAt.slice(1).map((t, i) => t - startedAt[i]);
  return { fn, attempts, gaps };
}

describe('withRetry', () => {
  test('retries until success: one parent span, one child span per attempt', async () => {
    const { fn, attempts, gaps } = failing(2);
    assert.equal(await withRetry('fetch-order', fn, { baseDelayMs: 20 }), 'ok on 3');
    assert.deepEqual(attempts, [1, 2, 3]);
    const [g1, g2] = gaps();
    assert.ok(g1 >= 19 && g1 < 200, `first wait ${g1}ms, expected ~20`);
    assert.ok(g2 >= 39 && g2 < 250, `second wait ${g2}ms, expected ~40`);

    const spans = tracing.finished();
    const parent = spans.find((s) => s.name === 'retry fetch-order')!;
    const children = spans.filter((s) => s.name === 'fetch-order');
    assert.equal(children.length, 3);
    assert.equal(parent.parentSpanId, '');
    for (const c of children) {
      assert.equal(c.parentSpanId, parent.spanId);
      assert.equal(c.traceId, parent.traceId);
    }
    assert.deepEqual(
      children.map((c) => c.attributes['retry.attempt']),
      [1, 2, 3],
    );
    assert.deepEqual(
      children.map((c) => c.status.code),
      [2, 2, 0],
    );
    assert.equal(children[0].status.message, 'boom 1');
    assert.equal(children[0].attributes['genba.waste'], 'defect');
    assert.equal(children[0].events[0].name, 'exception');
    assert.equal(children[0].events[0].attributes['exception.message'], 'boom 1');
    assert.equal(children[2].attributes['genba.waste'], undefined);

    assert.equal(parent.attributes['retry.attempts'], 3);
    assert.equal(parent.attributes['retry.success'], true);
    assert.equal(parent.attributes['retry.max_attempts'], 3);
    assert.equal(parent.status.code, 0);
    assert.deepEqual(retryEvents(parent), [
      { attempt: 2, delay_ms: 20, error: 'boom 1' },
      { attempt: 3, delay_ms: 40, error: 'boom 2' },
    ]);
  });

  test('when every attempt fails it rethrows the last error and the parent is ERROR', async () => {
    const { fn, attempts } = failing(Number.POSITIVE_INFINITY);
    const errors: unknown[] = [];
    await assert.rejects(
      withRetry(
        'always',
        async (n) => {
          try {
            return await fn(n);
          } catch (err) {
            errors.push(err);
            throw err;
          }
        },
        { maxAttempts: 4, baseDelayMs: 1 },
      ),
      (err) => err === errors[3],
    );
    assert.deepEqual(attempts, [1, 2, 3, 4]);
    const parent = tracing.finished().find((s) => s.name === 'retry always')!;
    assert.equal(parent.attributes['retry.attempts'], 4);
    assert.equal(parent.attributes['retry.success'], false);
    assert.equal(parent.status.code, 2);
    assert.equal(parent.status.message, 'boom 4');
    assert.equal(parent.attributes['genba.waste'], 'defect');
    assert.equal(retryEvents(parent).length, 3);
  });

  test('defaults: 3 attempts, 100 ms then 200 ms', async () => {
    const { fn, attempts, gaps } = failing(Number.POSITIVE_INFINITY);
    await assert.rejects(withRetry('defaults', fn), /boom 3/);
    assert.deepEqual(attempts, [1, 2, 3]);
    const [g1, g2] = gaps();
    assert.ok(g1 >= 99 && g2 >= 199, `waits ${g1} and ${g2}`);
    const parent = tracing.finished().find((s) => s.name === 'retry defaults')!;
    assert.deepEqual(
      retryEvents(parent).map((e) => e.delay_ms),
      [100, 200],
    );
  });

  test('retryOn false stops at once; it sees the error and the attempt number', async () => {
    const seen: [string, number][] = [];
    const { fn, attempts } = failing(Number.POSITIVE_INFINITY);
    await assert.rejects(
      withRetry('picky', fn, {
        baseDelayMs: 1,
        retryOn: (err, attempt) => {
          seen.push([(err as Error).message, attempt]);
          return attempt < 2;
        },
      }),
      /boom 2/,
    );
    assert.deepEqual(attempts, [1, 2]);
    assert.deepEqual(seen, [
      ['boom 1', 1],
      ['boom 2', 2],
    ]);
    const parent = tracing.finished().find((s) => s.name === 'retry picky')!;
    assert.equal(parent.attributes['retry.attempts'], 2);
    assert.equal(parent.status.code, 2);
  });

  test('delays grow by factor and stop at maxDelayMs', async () => {
    const { fn } = failing(Number.POSITIVE_INFINITY);
    await assert.rejects(
      withRetry('capped', fn, { maxAttempts: 5, baseDelayMs: 2, factor: 3, maxDelayMs: 10 }),
    );
    const parent = tracing.finished().find((s) => s.name === 'retry capped')!;
    assert.deepEqual(
      retryEvents(parent).map((e) => e.delay_ms),
      [2, 6, 10, 10],
    );
  });

  test('jitter scales each wait down by up to its fraction; true is full jitter', async () => {
    const random = mock.method(Math, 'random', () => 0.5);
    try {
      await assert.rejects(withRetry('half', failing(9).fn, { baseDelayMs: 20, jitter: 0.5 }));
      await assert.rejects(withRetry('full', failing(9).fn, { baseDelayMs: 20, jitter: true }));
    } finally {
      random.mock.restore();
    }
    const delays = (name: string) =>
      retryEvents(tracing.finished().find((s) => s.name === name)!).map((e) => e.delay_ms);
    assert.deepEqual(delays('retry half'), [15, 30]);
    assert.deepEqual(delays('retry full'), [10, 20]);
  });

  test('the first attempt that succeeds ends it: no wait, no event', async () => {
    let calls = 0;
    const value = await withRetry('once', () => {
      calls++;
      return 42;
    });
    assert.equal(value, 42);
    assert.equal(calls, 1);
    const spans = tracing.finished();
    assert.equal(spans.length, 2);
    const parent = spans.find((s) => s.name === 'retry once')!;
    assert.deepEqual(parent.events, []);
    assert.equal(parent.attributes['retry.attempts'], 1);
  });

  test('spans started inside fn are children of that attempt', async () => {
    await withRetry(
      'nested',
      (attempt) => {
        trace.getTracer('user').startSpan(`work ${attempt}`).end();
        if (attempt === 1) throw new Error('first');
      },
      { baseDelayMs: 0 },
    );
    const spans = tracing.finished();
    const attemptSpans = spans.filter((s) => s.name === 'nested');
    assert.equal(spans.find((s) => s.name === 'work 1')!.parentSpanId, attemptSpans[0].spanId);
    assert.equal(spans.find((s) => s.name === 'work 2')!.parentSpanId, attemptSpans[1].spanId);
  });

  test('a retryOn that throws is reported and treated as "retry"', async () => {
    const { fn, attempts } = failing(1);
    const value = await withRetry('broken-policy', fn, {
      baseDelayMs: 0,
      retryOn: () => {
        throw new Error('policy bug');
      },
    });
    assert.equal(value, 'ok on 2');
    assert.deepEqual(attempts, [1, 2]);
    assert.ok(warnings.some((w) => w.includes('retryOn threw')));
  });

  test('invalid options are reported and replaced by defaults', async () => {
    const { fn, attempts } = failing(Number.POSITIVE_INFINITY);
    await assert.rejects(withRetry('bad-options', fn, { maxAttempts: 0, baseDelayMs: -5, jitter: 2 }));
    assert.deepEqual(attempts, [1, 2, 3]);
    for (const key of ['maxAttempts', 'baseDelayMs', 'jitter']) {
      assert.ok(
        warnings.some((w) => w.includes(key)),
        `a warning names ${key}`,
      );
    }
  });
});
