import assert from 'node:assert/strict';
import { after, beforeEach, describe, test } from 'node:test';
import { trace } from '@opentelemetry/api';
import { jidoka } from '../src/tps/index.ts';
import { captureWarnings, setupTracing } from './support/otel-setup.ts';

const tracing = setupTracing();
const warnings = captureWarnings();
after(() => tracing.shutdown());
beforeEach(() => tracing.reset());

describe('jidoka.circuitCheck', () => {
  test('a pass is a transport span under the active span, with no error', () => {
    trace.getTracer('test').startActiveSpan('request', (request) => {
      const check = jidoka.circuitCheck({ circuit: 'inventory', state: 'closed' });
      assert.equal(check.span.isRecording(), true);
      check.end({ result: 'pass' });
      request.end();
    });
    const [span, request] = tracing.finished();
    assert.equal(span.name, 'jidoka.circuit_check inventory');
    assert.equal(span.parentSpanId, request.spanId);
    assert.equal(span.kind, 1);
    assert.deepEqual(span.attributes, {
      'jidoka.circuit.name': 'inventory',
      'jidoka.circuit.state': 'closed',
      'jidoka.result': 'pass',
      'genba.component': 'jidoka',
      'genba.waste': 'transport',
    });
    assert.equal(span.status.code, 0);
    assert.deepEqual(span.events, []);
  });

  test('trip and reject are defects with status ERROR', () => {
    jidoka.circuitCheck({ circuit: 'db', state: 'closed' }).end({ result: 'trip', state: 'open' });
    jidoka.circuitCheck({ circuit: 'db', state: 'open' }).end({ result: 'reject' });
    const [trip, reject] = tracing.finished();
    assert.equal(trip.attributes['jidoka.result'], 'trip');
    assert.equal(trip.status.code, 2);
    assert.equal(trip.status.message, 'circuit db tripped');
    assert.equal(trip.attributes['genba.waste'], 'defect');
    assert.equal(reject.attributes['jidoka.result'], 'reject');
    assert.equal(reject.status.code, 2);
    assert.equal(reject.attributes['genba.waste'], 'defect');
  });

  test('a state given at end that differs adds a state-change event; the start state stays', () => {
    jidoka.circuitCheck({ circuit: 'c', state: 'closed' }).end({ result: 'trip', state: 'open' });
    jidoka.circuitCheck({ circuit: 'c', state: 'open' }).end({ result: 'reject', state: 'open' });
    const [changed, same] = tracing.finished();
    assert.deepEqual(changed.events, [
      { name: 'circuit.state_change', attributes: { from: 'closed', to: 'open' } },
    ]);
    assert.equal(changed.attributes['jidoka.circuit.state'], 'closed');
    assert.deepEqual(same.events, []);
  });

  test('ending twice ends the span once and reports, without throwing', () => {
    const check = jidoka.circuitCheck({ circuit: 'twice', state: 'closed' });
    assert.equal(check.ended, false);
    check.end({ result: 'pass' });
    assert.equal(check.ended, true);
    assert.doesNotThrow(() => check.end({ result: 'trip' }));
    const spans = tracing.finished();
    assert.equal(spans.length, 1);
    assert.equal(spans[0].attributes['jidoka.result'], 'pass');
    assert.equal(spans[0].status.code, 0);
    assert.ok(warnings.some((w) => w.includes('jidoka.circuitCheck: end() called again')));
  });

  test('missing options are reported, not thrown', () => {
    const misuse = jidoka.circuitCheck as (o?: unknown) => ReturnType<typeof jidoka.circuitCheck>;
    const check = misuse(undefined);
    assert.doesNotThrow(() => (check.end as (o?: unknown) => void)());
    const [span] = tracing.finished();
    assert.equal(span.name, 'jidoka.circuit_check unknown');
    assert.ok(warnings.some((w) => w.includes('jidoka.circuitCheck: expected a non-empty name')));
  });
});
