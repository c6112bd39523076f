import assert from 'node:assert/strict';
import { after, beforeEach, describe, mock, test } from 'node:test';
import { trace } from '@opentelemetry/api';
import { kanban } from '../src/tps/index.ts';
import { captureWarnings, setupTracing } from './support/otel-setup.ts';

const tracing = setupTracing();
const warnings = captureWarnings();
after(() => tracing.shutdown());
beforeEach(() => tracing.reset());

describe('kanban.queuePull', () => {
  test('a CONSUMER span with queue depth, wait time in ms and µs, under the active span', () => {
    trace.getTracer('test').startActiveSpan('worker', (worker) => {
      const pull = kanban.queuePull({ queue: 'orders', depth: 12, workItem: 'order-7', priority: 2 });
      pull.end({ waitTimeMs: 1.25, depthAfter: 11 });
      worker.end();
    });
    const [span, worker] = tracing.finished();
    assert.equal(span.name, 'kanban.pull orders');
    assert.equal(span.kind, 5);
    assert.equal(span.parentSpanId, worker.spanId);
    assert.deepEqual(span.attributes, {
      'messaging.operation': 'receive',
      'messaging.destination.name': 'orders',
      'kanban.queue.name': 'orders',
      'kanban.queue.depth': 12,
      'kanban.work_item': 'order-7',
      'kanban.priority': 2,
      'kanban.wait_time_ms': 1.25,
      queue_wait_time_us: 1250,
      'kanban.queue.depth_after': 11,
      'genba.component': 'kanban',
      'genba.waste': 'waiting',
    });
    assert.equal(span.status.code, 0);
  });

  test('optional fields left out are absent; the work item may be named at end', () => {
    kanban.queuePull({ queue: 'q', depth: 0 }).end({ workItem: 'late' });
    kanban.queuePull({ queue: 'q', depth: 0 }).end();
    const [named, bare] = tracing.finished();
    assert.equal(named.attributes['kanban.work_item'], 'late');
    for (const key of ['kanban.work_item', 'kanban.priority', 'kanban.wait_time_ms', 'queue_wait_time_us']) {
      assert.ok(!(key in bare.attributes), `${key} absent`);
    }
  });

  test('a negative wait time is reported and not recorded', () => {
    kanban.queuePull({ queue: 'q', depth: 1 }).end({ waitTimeMs: -3 });
    const [span] = tracing.finished();
    assert.ok(!('kanban.wait_time_ms' in span.attributes));
    assert.ok(warnings.some((w) => w.includes('waitTimeMs must be a number >= 0')));
  });

  test('ending twice ends once and reports', () => {
    const pull = kanban.queuePull({ queue: 'q', depth: 1 });
    pull.end({ waitTimeMs: 5 });
    assert.doesNotThrow(() => pull.end({ waitTimeMs: 99 }));
    const spans = tracing.finished();
    assert.equal(spans.length, 1);
    assert.equal(spans[0].attributes['kanban.wait_time_ms'], 5);
    assert.ok(warnings.some((w) => w.includes('kanban.queuePull: end() called again')));
  });

  test('withQueuePull runs fn inside the span and ends it; fn may end it with details', async () => {
    let endCalls: { mock: { callCount(): number } } | undefined;
    const item = await kanban.withQueuePull({ queue: 'jobs', depth: 3 }, async (pull) => {
      trace.getTracer('user').startSpan('dequeue').end();
      pull.end({ waitTimeMs: 40, workItem: 'job-1' });
      endCalls = mock.method(pull, 'end');
      return 'job-1';
    });
    assert.equal(item, 'job-1');
    const [inner, span] = tracing.finished();
    assert.equal(inner.parentSpanId, span.spanId);
    assert.equal(span.attributes['kanban.wait_time_ms'], 40);
    assert.equal(endCalls?.mock.callCount(), 0, 'not ended again after fn ended it');
  });

  test('withQueuePull ends the span itself when fn does not', async () => {
    await kanban.withQueuePull({ queue: 'jobs', depth: 0 }, () => 'x');
    const [span] = tracing.finished();
    assert.equal(span.name, 'kanban.pull jobs');
    assert.equal(span.status.code, 0);
  });

  test('withQueuePull records a failed pull as a defect and rethrows', async () => {
    const err = new Error('broker gone');
    await assert.rejects(
      kanban.withQueuePull({ queue: 'jobs', depth: 3 }, () => {
        throw err;
      }),
      (e) => e === err,
    );
    const [span] = tracing.finished();
    assert.equal(span.status.code, 2);
    assert.equal(span.attributes['genba.waste'], 'defect');
    assert.equal(span.events[0].name, 'exception');
  });
});

describe('kanban.queueAck', () => {
  test('ack is processing; the result given at end wins over the one given at start', () => {
    kanban.queueAck({ queue: 'orders', workItem: 'o-1' }).end({ result: 'ack' });
    kanban.queueAck({ queue: 'orders', workItem: 'o-2', result: 'requeue' }).end();
    kanban.queueAck({ queue: 'orders', workItem: 'o-3', result: 'ack' }).end({ result: 'requeue' });
    const [ack, defaulted, overridden] = tracing.finished();
    assert.equal(ack.name, 'kanban.ack orders');
    assert.deepEqual(ack.attributes, {
      'kanban.queue.name': 'orders',
      'kanban.work_item': 'o-1',
      'kanban.ack.result': 'ack',
      'genba.component': 'kanban',
      'genba.waste': 'processing',
    });
    assert.equal(ack.status.code, 0);
    assert.equal(defaulted.attributes['kanban.ack.result'], 'requeue');
    assert.equal(overridden.attributes['kanban.ack.result'], 'requeue');
    assert.equal(overridden.attributes['genba.waste'], 'processing');
  });

  test('nack is a defect with status ERROR', () => {
    kanban.queueAck({ queue: 'orders', workItem: 'o-9' }).end({ result: 'nack' });
    const [span] = tracing.finished();
    assert.equal(span.attributes['kanban.ack.result'], 'nack');
    assert.equal(span.attributes['genba.waste'], 'defect');
    assert.equal(span.status.code, 2);
  });

  test('withQueueAck acks on success and nacks on a throw, rethrowing it', async () => {
    assert.equal(await kanban.withQueueAck({ queue: 'q', workItem: 'a' }, async () => 'done'), 'done');
    await assert.rejects(
      kanban.withQueueAck({ queue: 'q', workItem: 'b' }, async () => {
        throw new Error('poison message');
      }),
      /poison message/,
    );
    const [ok, bad] = tracing.finished();
    assert.equal(ok.attributes['kanban.ack.result'], 'ack');
    assert.equal(bad.attributes['kanban.ack.result'], 'nack');
    assert.equal(bad.status.message, 'work item nacked on q');
    assert.ok(
      bad.events.some(
        (e) => e.name === 'exception' && e.attributes['exception.message'] === 'poison message',
      ),
    );
  });
});
