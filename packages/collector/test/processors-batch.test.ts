import assert from 'node:assert/strict';
import { afterEach, describe, mock, test } from 'node:test';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Span } from '@genba/model';
import { emptyResource, emptyScope, emptySpan, GenbaError } from '@genba/model';
import type { ComponentContext } from '../src/component.ts';
import { Metrics } from '../src/metrics.ts';
import { batchProcessorConfig, createBatchProcessor } from '../src/processors/batch-processor.ts';
import type { SpanConsumer } from '../src/span-consumer.ts';

function context(): ComponentContext {
  return { metrics: new Metrics(), log: { warn() {}, info() {} } };
}

let counter = 0;
function spans(n: number): Span[] {
  const resource = emptyResource();
  const scope = emptyScope();
  return Array.from({ length: n }, () => {
    const s = emptySpan(resource, scope);
    s.name = `op-${counter++}`;
    return s;
  });
}

interface Call {
  spans: Span[];
  resolve(): void;
  reject(err: unknown): void;
}

/** A next stage whose every call stays open until the test settles it. */
function manualNext() {
  const calls: Call[] = [];
  const next: SpanConsumer = {
    consume(s) {
      return new Promise<void>((resolve, reject) => calls.push({ spans: s, resolve, reject }));
    },
  };
  return { next, calls, sizes: () => calls.map((c) => c.spans.length) };
}

/** Tracks whether a promise has settled, without awaiting it. */
function watch(p: Promise<void>) {
  const state = { settled: false, error: undefined as unknown };
  p.then(
    () => {
      state.settled = true;
    },
    (err) => {
      state.settled = true;
      state.error = err;
    },
  );
  return state;
}

const make = (raw: Record<string, unknown>, next: SpanConsumer, ctx = context()) =>
  createBatchProcessor(batchProcessorConfig.parse(raw), next, ctx);

describe('batch processor', () => {
  afterEach(() => {
    mock.timers.reset();
  });

  test('consume resolves only after next has consumed the batch holding its spans', async () => {
    const { next, calls } = manualNext();
    const batch = make({ send_batch_size: 3, timeout: '1h' }, next);
    const done = watch(batch.consume(spans(3)));
    await nextTurn();
    assert.equal(calls.length, 1, 'a full batch is sent at once');
    assert.equal(done.settled, false, 'not acknowledged while next is still writing');
    calls[0].resolve();
    await nextTurn();
    assert.equal(done.settled, true);
    assert.equal(done.error, undefined);
  });

  test('every consume whose spans are in a rejected batch rejects with next’s error', async () => {
    const { next, calls } = manualNext();
    const batch = make({ send_batch_size: 4, timeout: '1h' }, next);
    const a = batch.consume(spans(2));
    const b = batch.consume(spans(2));
    await nextTurn();
    assert.equal(calls.length, 1);
    assert.equal(calls[0].spans.length, 4, 'spans of two requests are grouped');
    const failure = new GenbaError('unavailable', 'store is down');
    calls[0].reject(failure);
    await assert.rejects(a, (err) => err === failure);
    await assert.rejects(b, (err) => err === failure);
  });

  test('a request split over two batches waits for both, and rejects if the second fails', async () => {
    const { next, calls } = manualNext();
    const ctx = context();
    const batch = make({ send_batch_size: 3, send_batch_max_size: 3, timeout: '1h' }, next, ctx);
    const first = watch(batch.consume(spans(2)));
    assert.equal(calls.length, 0, 'below send_batch_size nothing is sent');
    assert.match(ctx.metrics.render(), /genba_batch_pending_spans 2/);
    const second = watch(batch.consume(spans(2)));
    await nextTurn();
    assert.deepEqual(
      calls.map((c) => c.spans.length),
      [3],
    );
    assert.equal(batch.pending, 1, 'the remainder waits for the next batch');
    calls[0].resolve();
    await nextTurn();
    assert.equal(first.settled, true, 'all of the first request was in the sent batch');
    assert.equal(second.settled, false, 'one span of the second request is not sent yet');
    const flushed = batch.shutdown();
    await nextTurn();
    assert.equal(calls.length, 2);
    calls[1].reject(new Error('disk full'));
    await flushed;
    await nextTurn();
    assert.equal(second.settled, true);
    assert.match(String(second.error), /disk full/);
  });

  test('the timeout sends a partial batch', async () => {
    mock.timers.enable({ apis: ['setTimeout'] });
    const { next, calls } = manualNext();
    const batch = make({ send_batch_size: 100, timeout: '200ms' }, next);
    const done = watch(batch.consume(spans(5)));
    mock.timers.tick(199);
    assert.equal(calls.length, 0);
    mock.timers.tick(1);
    assert.deepEqual(
      calls.map((c) => c.spans.length),
      [5],
    );
    calls[0].resolve();
    await nextTurn();
    assert.equal(done.settled, true);
    await batch.shutdown();
  });

  test('send_batch_max_size splits large inputs', async () => {
    const { next, calls, sizes } = manualNext();
    const batch = make({ send_batch_size: 2, send_batch_max_size: 4, timeout: '1h' }, next);
    const input = spans(10);
    const done = watch(batch.consume(input));
    await nextTurn();
    assert.deepEqual(sizes(), [4, 4, 2]);
    assert.deepEqual(
      calls.flatMap((c) => c.spans),
      input,
      'order is kept',
    );
    calls[0].resolve();
    calls[1].resolve();
    await nextTurn();
    assert.equal(done.settled, false, 'the last part is still being written');
    calls[2].resolve();
    await nextTurn();
    assert.equal(done.settled, true);
  });

  test('without send_batch_max_size a large input goes out whole', async () => {
    const { next, sizes, calls } = manualNext();
    const batch = make({ send_batch_size: 3, timeout: '1h' }, next);
    const done = batch.consume(spans(10));
    assert.deepEqual(sizes(), [10]);
    calls[0].resolve();
    await done;
  });

  test('timeout 0 sends every input at once, split at send_batch_max_size', async () => {
    const { next, sizes, calls } = manualNext();
    const batch = make({ send_batch_size: 100, send_batch_max_size: 200, timeout: '0s' }, next);
    const a = batch.consume(spans(1));
    const b = batch.consume(spans(450));
    assert.deepEqual(sizes(), [1, 200, 200, 50]);
    for (const c of calls) c.resolve();
    await Promise.all([a, b]);
    assert.equal(batch.pending, 0);
  });

  test('an empty input resolves without calling next', async () => {
    const { next, calls } = manualNext();
    const batch = make({}, next);
    await batch.consume([]);
    assert.equal(calls.length, 0);
  });

  test('a next stage that throws synchronously rejects the consume', async () => {
    const next: SpanConsumer = {
      consume() {
        throw new Error('sync failure');
      },
    };
    const batch = make({ send_batch_size: 1 }, next);
    await assert.rejects(batch.consume(spans(1)), /sync failure/);
  });

  test('shutdown flushes what is pending, waits for it, then refuses input', async () => {
    const { next, calls } = manualNext();
    const ctx = context();
    const batch = make({ send_batch_size: 100, timeout: '1h' }, next, ctx);
    const done = watch(batch.consume(spans(7)));
    const stopped = watch(batch.shutdown());
    await nextTurn();
    assert.equal(calls.length, 1);
    assert.equal(stopped.settled, false, 'shutdown waits for the flushed batch');
    calls[0].resolve();
    await nextTurn();
    await nextTurn();
    assert.equal(done.settled, true);
    assert.equal(stopped.settled, true);
    await assert.rejects(
      batch.consume(spans(1)),
      (err) => err instanceof GenbaError && err.code === 'unavailable',
    );
    assert.match(ctx.metrics.render(), /genba_batch_pending_spans 0/);
  });

  describe('config', () => {
    test('defaults are the Collector’s', () => {
      assert.deepEqual(batchProcessorConfig.parse({}), {
        send_batch_size: 8192,
        timeout: '200ms',
        send_batch_max_size: 0,
      });
    });
    test('errors name the key', () => {
      const paths = (raw: unknown) => {
        const r = batchProcessorConfig.safeParse(raw);
        assert.equal(r.success, false);
        return r.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
      };
      assert.match(
        paths({ send_batch_size: 100, send_batch_max_size: 10 })[0],
        /^send_batch_max_size: .*at least/,
      );
      assert.match(paths({ timeout: 'later' })[0], /^timeout: expected a duration/);
      assert.match(paths({ send_batch_size: -1 })[0], /^send_batch_size: /);
      assert.match(paths({ metadata_keys: [] })[0], /metadata_keys/);
    });
  });
});
