import assert from 'node:assert/strict';
import { after, beforeEach, describe, test } from 'node:test';
import { trace } from '@opentelemetry/api';
import { action } from '../src/tps/index.ts';
import { captureWarnings, setupTracing } from './support/otel-setup.ts';

const tracing = setupTracing();
const warnings = captureWarnings();
after(() => tracing.shutdown());
beforeEach(() => tracing.reset());

describe('action.execute', () => {
  test('a successful action: processing span under the active span, metadata flattened', () => {
    trace.getTracer('test').startActiveSpan('http', (http) => {
      action
        .execute({ action: 'place-order', metadata: { orderId: 'o-1', items: 3, express: false } })
        .end({ result: 'success', metadata: { items: 4, total: 9.5 } });
      http.end();
    });
    const [span, http] = tracing.finished();
    assert.equal(span.name, 'action place-order');
    assert.equal(span.parentSpanId, http.spanId);
    assert.deepEqual(span.attributes, {
      'action.name': 'place-order',
      'action.metadata.orderId': 'o-1',
      'action.metadata.items': 4,
      'action.metadata.express': false,
      'action.metadata.total': 9.5,
      'action.result': 'success',
      'genba.component': 'action',
      'genba.waste': 'processing',
    });
    assert.equal(span.status.code, 0);
  });

  test('objects and arrays become JSON; null, undefined and functions are dropped', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    action
      .execute({
        action: 'm',
        metadata: {
          address: { city: 'Toyota' },
          tags: ['a', 'b'],
          big: 10n,
          none: null,
          missing: undefined,
          fn: () => 1,
          cyclic,
        },
      })
      .end({ result: 'success' });
    const attrs = tracing.finished()[0].attributes;
    assert.equal(attrs['action.metadata.address'], '{"city":"Toyota"}');
    assert.equal(attrs['action.metadata.tags'], '["a","b"]');
    assert.equal(attrs['action.metadata.big'], '10');
    assert.equal(attrs['action.metadata.cyclic'], '[unserializable]');
    for (const key of ['none', 'missing', 'fn']) assert.ok(!(`action.metadata.${key}` in attrs));
  });

  test('failure is a defect with status ERROR; other results are not', () => {
    action.execute({ action: 'pay' }).end({ result: 'failure' });
    action.execute({ action: 'pay' }).end({ result: 'skipped' });
    const [failure, skipped] = tracing.finished();
    assert.equal(failure.attributes['action.result'], 'failure');
    assert.equal(failure.status.code, 2);
    assert.equal(failure.status.message, 'action pay failed');
    assert.equal(failure.attributes['genba.waste'], 'defect');
    assert.equal(skipped.attributes['action.result'], 'skipped');
    assert.equal(skipped.status.code, 0);
    assert.equal(skipped.attributes['genba.waste'], 'processing');
  });

  test('ending twice ends once and reports', () => {
    const run = action.execute({ action: 'once' });
    run.end({ result: 'success' });
    assert.doesNotThrow(() => run.end({ result: 'failure' }));
    const spans = tracing.finished();
    assert.equal(spans.length, 1);
    assert.equal(spans[0].attributes['action.result'], 'success');
    assert.ok(warnings.some((w) => w.includes('action.execute: end() called again')));
  });

  test('withAction: success on resolve, failure with the exception on throw (rethrown)', async () => {
    const seen: string[] = [];
    assert.equal(
      await action.withAction({ action: 'ship' }, (run) => {
        seen.push(run.span.spanContext().spanId);
        trace.getTracer('user').startSpan('label').end();
        return 'shipped';
      }),
      'shipped',
    );
    const err = new Error('carrier refused');
    await assert.rejects(
      action.withAction({ action: 'ship' }, async () => {
        throw err;
      }),
      (e) => e === err,
    );
    const spans = tracing.finished();
    const [label, ok, failed] = spans;
    assert.equal(ok.spanId, seen[0]);
    assert.equal(label.parentSpanId, ok.spanId);
    assert.equal(ok.attributes['action.result'], 'success');
    assert.equal(failed.attributes['action.result'], 'failure');
    assert.equal(failed.status.code, 2);
    assert.equal(failed.events[0].attributes['exception.message'], 'carrier refused');
  });
});
