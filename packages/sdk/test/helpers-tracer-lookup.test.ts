/**
 * The helpers and builders look the tracer up on every call, so they follow whichever provider
 * is registered at that moment, and a broken tracer never breaks the caller's code.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Tracer, TracerProvider } from '@opentelemetry/api';
import { trace } from '@opentelemetry/api';
import { tracedBatch, tracedCache, tracedCircuitBreaker, withRetry } from '../src/helpers/index.ts';
import { action, kanban } from '../src/tps/index.ts';
import { captureWarnings, setupTracing } from './support/otel-setup.ts';

// Created before any provider is registered.
const breaker = tracedCircuitBreaker('early', async () => 'ok');
const cache = tracedCache('early', new Map<string, number>(), () => 1);

test('helpers created before registration record to the provider registered at call time', async () => {
  const first = setupTracing();
  await breaker();
  assert.deepEqual(
    first.finished().map((s) => s.name),
    ['circuit_breaker early'],
  );
  await first.shutdown();

  const second = setupTracing();
  await breaker();
  await cache.get('a');
  assert.deepEqual(
    second.finished().map((s) => s.name),
    ['circuit_breaker early', 'cache.load early', 'cache early'],
  );
  await second.shutdown();
});

test('a tracer that throws is reported; the wrapped work still runs and returns', async () => {
  const warnings = captureWarnings();
  const broken: Tracer = {
    startSpan: () => {
      throw new Error('tracer exploded');
    },
    startActiveSpan: (() => {
      throw new Error('tracer exploded');
    }) as Tracer['startActiveSpan'],
  };
  const provider: TracerProvider = { getTracer: () => broken };
  trace.disable();
  trace.setGlobalTracerProvider(provider);
  try {
    assert.equal(await withRetry('r', (n) => n * 7), 7);
    assert.deepEqual(await tracedBatch('b', [1, 2], (n) => n + 1), [
      { ok: true, value: 2 },
      { ok: true, value: 3 },
    ]);
    const run = action.execute({ action: 'a' });
    assert.equal(run.span.isRecording(), false);
    run.end({ result: 'success' });
    assert.equal(await kanban.withQueueAck({ queue: 'q', workItem: 'w' }, () => 'acked'), 'acked');
    await assert.rejects(
      withRetry('user-error', () => Promise.reject(new Error('mine')), { maxAttempts: 1 }),
      /mine/,
    );
    assert.ok(warnings.some((w) => w.includes('the registered tracer threw from startSpan')));
  } finally {
    trace.disable();
  }
});
