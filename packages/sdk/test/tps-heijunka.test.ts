import assert from 'node:assert/strict';
import { after, beforeEach, describe, test } from 'node:test';
import { trace } from '@opentelemetry/api';
import { heijunka } from '../src/tps/index.ts';
import { captureWarnings, setupTracing } from './support/otel-setup.ts';

const tracing = setupTracing();
const warnings = captureWarnings();
after(() => tracing.shutdown());
beforeEach(() => tracing.reset());

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('heijunka.poolAcquire', () => {
  test('an acquired resource: waiting span with pool size, use and utilisation', () => {
    trace.getTracer('test').startActiveSpan('query', (query) => {
      heijunka
        .poolAcquire({ pool: 'pg', resource: 'conn', size: 10, inUse: 7 })
        .end({ acquired: true, acquireTimeMs: 3.5, inUse: 8 });
      query.end();
    });
    const [span, query] = tracing.finished();
    assert.equal(span.name, 'heijunka.acquire pg');
    assert.equal(span.parentSpanId, query.spanId);
    assert.deepEqual(span.attributes, {
      'heijunka.pool.name': 'pg',
      'heijunka.resource': 'conn',
      'heijunka.pool.size': 10,
      'heijunka.pool.in_use': 8,
      'heijunka.pool.utilisation': 0.8,
      'heijunka.acquired': true,
      'heijunka.acquire_time_ms': 3.5,
      'genba.component': 'heijunka',
      'genba.waste': 'waiting',
    });
    assert.equal(span.status.code, 0);
  });

  test('not acquired is a defect with status ERROR', () => {
    heijunka.poolAcquire({ pool: 'pg', size: 2, inUse: 2 }).end({ acquired: false });
    const [span] = tracing.finished();
    assert.equal(span.attributes['heijunka.acquired'], false);
    assert.equal(span.attributes['heijunka.pool.utilisation'], 1);
    assert.equal(span.status.code, 2);
    assert.equal(span.status.message, 'no resource acquired from pool pg');
    assert.equal(span.attributes['genba.waste'], 'defect');
  });

  test('utilisation is clamped to 0–1 and absent without a positive size', () => {
    heijunka.poolAcquire({ pool: 'a', size: 4, inUse: 9 }).end({ acquired: true });
    heijunka.poolAcquire({ pool: 'b', size: 0, inUse: 0 }).end({ acquired: true });
    heijunka.poolAcquire({ pool: 'c' }).end({ acquired: true, size: 8, inUse: 2 });
    const [over, empty, late] = tracing.finished();
    assert.equal(over.attributes['heijunka.pool.utilisation'], 1);
    assert.ok(!('heijunka.pool.utilisation' in empty.attributes));
    assert.equal(late.attributes['heijunka.pool.utilisation'], 0.25);
  });

  test('without acquireTimeMs the measured time since start is recorded', async () => {
    const acquire = heijunka.poolAcquire({ pool: 'slow' });
    await sleep(25);
    acquire.end({ acquired: true });
    const ms = tracing.finished()[0].attributes['heijunka.acquire_time_ms'] as number;
    assert.ok(ms >= 24 && ms < 1000, `measured ${ms}`);
  });

  test('ending twice ends once and reports', () => {
    const acquire = heijunka.poolAcquire({ pool: 'p' });
    acquire.end({ acquired: true, acquireTimeMs: 1 });
    assert.doesNotThrow(() => acquire.end({ acquired: false }));
    const spans = tracing.finished();
    assert.equal(spans.length, 1);
    assert.equal(spans[0].status.code, 0);
    assert.ok(warnings.some((w) => w.includes('heijunka.poolAcquire: end() called again')));
  });

  test('withPoolAcquire: acquired on resolve, not acquired (and rethrown) on throw', async () => {
    const conn = await heijunka.withPoolAcquire({ pool: 'pg', size: 5 }, async () => {
      await sleep(5);
      return { id: 1 };
    });
    assert.deepEqual(conn, { id: 1 });
    await assert.rejects(
      heijunka.withPoolAcquire({ pool: 'pg' }, () => Promise.reject(new Error('pool timeout'))),
      /pool timeout/,
    );
    const [ok, failed] = tracing.finished();
    assert.equal(ok.attributes['heijunka.acquired'], true);
    assert.ok((ok.attributes['heijunka.acquire_time_ms'] as number) >= 4);
    assert.equal(failed.attributes['heijunka.acquired'], false);
    assert.equal(failed.status.code, 2);
    assert.ok(failed.events.some((e) => e.name === 'exception'));
  });
});
