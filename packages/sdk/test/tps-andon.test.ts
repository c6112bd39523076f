import assert from 'node:assert/strict';
import { after, beforeEach, describe, test } from 'node:test';
import { trace } from '@opentelemetry/api';
import { andon } from '../src/tps/index.ts';
import { captureWarnings, setupTracing } from './support/otel-setup.ts';

const tracing = setupTracing();
const warnings = captureWarnings();
after(() => tracing.shutdown());
beforeEach(() => tracing.reset());

describe('andon.logEvent', () => {
  test('adds andon.signal to the active span and starts a child span for the handling', () => {
    trace.getTracer('test').startActiveSpan('checkout', (checkout) => {
      const signal = andon.logEvent({
        severity: 'warning',
        message: 'stock low',
        handler: 'ops',
        attributes: { 'stock.sku': 'A-1', 'stock.left': 2 },
      });
      signal.end({ handled: true });
      checkout.end();
    });
    const [span, checkout] = tracing.finished();
    assert.deepEqual(checkout.events, [
      {
        name: 'andon.signal',
        attributes: {
          'stock.sku': 'A-1',
          'stock.left': 2,
          'andon.severity': 'warning',
          'andon.message': 'stock low',
          'andon.handler': 'ops',
        },
      },
    ]);
    assert.equal(span.name, 'andon warning');
    assert.equal(span.parentSpanId, checkout.spanId);
    assert.deepEqual(span.attributes, {
      'stock.sku': 'A-1',
      'stock.left': 2,
      'andon.severity': 'warning',
      'andon.message': 'stock low',
      'andon.handler': 'ops',
      'andon.handled': true,
      'genba.component': 'andon',
      'genba.waste': 'processing',
    });
    assert.equal(span.status.code, 0);
  });

  test('error and critical are defects with status ERROR carrying the message', () => {
    for (const severity of ['info', 'warning', 'error', 'critical'] as const) {
      andon.logEvent({ severity, message: `${severity} happened` }).end();
    }
    const spans = tracing.finished();
    assert.deepEqual(
      spans.map((s) => [s.name, s.status.code, s.attributes['genba.waste']]),
      [
        ['andon info', 0, 'processing'],
        ['andon warning', 0, 'processing'],
        ['andon error', 2, 'defect'],
        ['andon critical', 2, 'defect'],
      ],
    );
    assert.equal(spans[3].status.message, 'critical happened');
    assert.equal(spans[0].attributes['andon.handled'], false, 'not handled unless end says so');
  });

  test('the handler may be named at end; with no active span there is only the andon span', () => {
    andon.logEvent({ severity: 'info', message: 'm' }).end({ handled: true, handler: 'on-call' });
    const spans = tracing.finished();
    assert.equal(spans.length, 1);
    assert.equal(spans[0].parentSpanId, '');
    assert.equal(spans[0].attributes['andon.handler'], 'on-call');
  });

  test('an unknown severity is reported and recorded as warning', () => {
    const misuse = andon.logEvent as (s: unknown) => ReturnType<typeof andon.logEvent>;
    misuse({ severity: 'meltdown', message: 'x' }).end();
    assert.equal(tracing.finished()[0].attributes['andon.severity'], 'warning');
    assert.ok(warnings.some((w) => w.includes('unknown severity meltdown')));
  });

  test('ending twice ends once and reports', () => {
    const signal = andon.logEvent({ severity: 'info', message: 'once' });
    signal.end({ handled: false });
    assert.doesNotThrow(() => signal.end({ handled: true }));
    const spans = tracing.finished();
    assert.equal(spans.length, 1);
    assert.equal(spans[0].attributes['andon.handled'], false);
    assert.ok(warnings.some((w) => w.includes('andon.logEvent: end() called again')));
  });

  test('withSignal: handled when the response resolves, not handled when it throws', async () => {
    assert.equal(
      await andon.withSignal({ severity: 'error', message: 'disk full' }, async () => 'cleaned'),
      'cleaned',
    );
    await assert.rejects(
      andon.withSignal({ severity: 'critical', message: 'db down' }, () => {
        throw new Error('failover failed');
      }),
      /failover failed/,
    );
    const [handled, unhandled] = tracing.finished();
    assert.equal(handled.attributes['andon.handled'], true);
    assert.equal(unhandled.attributes['andon.handled'], false);
    assert.ok(unhandled.events.some((e) => e.name === 'exception'));
    // The span's status stays the signal's message; the exception event carries the failure.
    assert.equal(unhandled.status.code, 2);
  });
});
