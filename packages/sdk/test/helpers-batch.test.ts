import assert from 'node:assert/strict';
import { after, beforeEach, describe, test } from 'node:test';
import { trace } from '@opentelemetry/api';
import { BatchSkippedError, tracedBatch } from '../src/helpers/index.ts';
import { setupTracing } from './support/otel-setup.ts';

const tracing = setupTracing();
after(() => tracing.shutdown());
beforeEach(() => tracing.reset());

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('tracedBatch', () => {
  test('handles items in order, one span per item, failures as results', async () => {
    const order: number[] = [];
    const results = await tracedBatch('resize', [1, 2, 3, 4], async (n, index) => {
      order.push(index);
      if (n === 3) throw new Error('corrupt image');
      return n * 10;
    });
    assert.deepEqual(order, [0, 1, 2, 3]);
    assert.deepEqual(results.slice(0, 2), [
      { ok: true, value: 10 },
      { ok: true, value: 20 },
    ]);
    assert.equal(results[2].ok, false);
    assert.match(String(!results[2].ok && results[2].error), /corrupt image/);
    assert.deepEqual(results[3], { ok: true, value: 40 });

    const spans = tracing.finished();
    const batch = spans.find((s) => s.name === 'batch resize')!;
    const items = spans.filter((s) => s.name === 'batch.item resize');
    assert.equal(items.length, 4);
    assert.deepEqual(
      items.map((s) => s.attributes['batch.index']),
      [0, 1, 2, 3],
    );
    assert.ok(items.every((s) => s.parentSpanId === batch.spanId));
    assert.deepEqual(
      items.map((s) => s.status.code),
      [0, 0, 2, 0],
    );
    assert.equal(items[2].attributes['genba.waste'], 'defect');
    assert.equal(items[2].events[0].name, 'exception');
    assert.equal(batch.attributes['batch.size'], 4);
    assert.equal(batch.attributes['batch.succeeded'], 3);
    assert.equal(batch.attributes['batch.failed'], 1);
    assert.equal(batch.attributes['batch.skipped'], 0);
    assert.equal(batch.status.code, 2);
    assert.equal(batch.status.message, '1 of 4 items failed');
  });

  test('never runs more than `concurrency` items at once, and results keep input order', async () => {
    let running = 0;
    let peak = 0;
    const delays = [30, 5, 20, 1, 15, 2, 8];
    const results = await tracedBatch(
      'fetch',
      delays,
      async (ms, i) => {
        running++;
        peak = Math.max(peak, running);
        await sleep(ms);
        running--;
        return i;
      },
      { concurrency: 3 },
    );
    assert.equal(peak, 3);
    assert.deepEqual(
      results.map((r) => r.ok && r.value),
      [0, 1, 2, 3, 4, 5, 6],
    );
    const batch = tracing.finished().find((s) => s.name === 'batch fetch')!;
    assert.equal(batch.attributes['batch.concurrency'], 3);
    assert.equal(batch.status.code, 0);
  });

  test('failFast starts no item after the first failure; the rest are BatchSkippedError', async () => {
    const started: number[] = [];
    const cause = new Error('stop');
    const results = await tracedBatch(
      'strict',
      ['a', 'b', 'c', 'd'],
      (_item, i) => {
        started.push(i);
        if (i === 1) throw cause;
        return i;
      },
      { failFast: true },
    );
    assert.deepEqual(started, [0, 1]);
    assert.deepEqual(results[0], { ok: true, value: 0 });
    assert.deepEqual(results[1], { ok: false, error: cause });
    for (const i of [2, 3]) {
      const r = results[i];
      assert.ok(!r.ok && r.error instanceof BatchSkippedError);
      assert.equal(r.error.index, i);
      assert.equal(r.error.cause, cause);
    }
    const spans = tracing.finished();
    assert.equal(spans.filter((s) => s.name === 'batch.item strict').length, 2);
    const batch = spans.find((s) => s.name === 'batch strict')!;
    assert.equal(batch.attributes['batch.succeeded'], 1);
    assert.equal(batch.attributes['batch.failed'], 1);
    assert.equal(batch.attributes['batch.skipped'], 2);
  });

  test('without failFast every item runs despite failures', async () => {
    const results = await tracedBatch('lenient', [0, 1, 2], () => {
      throw new Error('always');
    });
    assert.equal(results.filter((r) => !r.ok && !(r.error instanceof BatchSkippedError)).length, 3);
  });

  test('accepts any iterable; an empty batch is a clean span with no children', async () => {
    function* letters() {
      yield 'x';
      yield 'y';
    }
    const results = await tracedBatch('gen', letters(), (s) => s.toUpperCase());
    assert.deepEqual(results, [
      { ok: true, value: 'X' },
      { ok: true, value: 'Y' },
    ]);
    tracing.reset();
    assert.deepEqual(await tracedBatch('empty', [], () => 1), []);
    const spans = tracing.finished();
    assert.equal(spans.length, 1);
    assert.equal(spans[0].attributes['batch.size'], 0);
    assert.equal(spans[0].status.code, 0);
  });

  test("spans started in the handler are children of that item's span", async () => {
    await tracedBatch(
      'nest',
      [0, 1],
      async (i) => {
        await sleep(1);
        trace.getTracer('user').startSpan(`inner ${i}`).end();
      },
      { concurrency: 2 },
    );
    const spans = tracing.finished();
    const items = spans.filter((s) => s.name === 'batch.item nest');
    for (const i of [0, 1]) {
      const item = items.find((s) => s.attributes['batch.index'] === i)!;
      assert.equal(spans.find((s) => s.name === `inner ${i}`)!.parentSpanId, item.spanId);
    }
  });
});
