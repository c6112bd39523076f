import assert from 'node:assert/strict';
import { after, beforeEach, describe, test } from 'node:test';
import { trace } from '@opentelemetry/api';
import { CircuitOpenError, tracedCircuitBreaker } from '../src/helpers/index.ts';
import { captureWarnings, type RecordedSpan, setupTracing } from './support/otel-setup.ts';

const tracing = setupTracing();
const warnings = captureWarnings();
after(() => tracing.shutdown());
beforeEach(() => tracing.reset());

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const boom = (n: number) => new Error(`boom ${n}`);
const results = (spans: RecordedSpan[]) => spans.map((s) => s.attributes['circuit.result']);
const states = (spans: RecordedSpan[]) => spans.map((s) => s.attributes['circuit.state']);
const changes = (s: RecordedSpan) =>
  s.events
    .filter((e) => e.name === 'circuit.state_change')
    .map((e) => `${e.attributes.from}>${e.attributes.to}`);

/** A breaker around a function that fails while `failing` is true. */
function flaky(options: { failureThreshold?: number; resetTimeoutMs?: number }) {
  const control = { failing: true, calls: 0 };
  const breaker = tracedCircuitBreaker(
    'payments',
    async (amount: number) => {
      control.calls++;
      if (control.failing) throw boom(control.calls);
      return amount * 2;
    },
    options,
  );
  return { breaker, control };
}

describe('tracedCircuitBreaker', () => {
  test('a closed circuit passes arguments and this through and traces each call', async () => {
    const target = {
      factor: 3,
      breaker: tracedCircuitBreaker('mul', async function (this: { factor: number }, a: number, b: number) {
        return a * b * this.factor;
      }),
    };
    assert.equal(await target.breaker(2, 5), 30);
    assert.equal(target.breaker.state, 'closed');
    const [span] = tracing.finished();
    assert.equal(span.name, 'circuit_breaker mul');
    assert.equal(span.kind, 1);
    assert.deepEqual(span.attributes, {
      'circuit.name': 'mul',
      'circuit.state': 'closed',
      'circuit.result': 'success',
      'genba.component': 'jidoka',
      'genba.waste': 'transport',
    });
    assert.equal(span.status.code, 0);
    assert.deepEqual(span.events, []);
  });

  test('opens after failureThreshold consecutive failures, then rejects without calling fn', async () => {
    const { breaker, control } = flaky({ failureThreshold: 3, resetTimeoutMs: 10_000 });
    for (let i = 1; i <= 3; i++) {
      await assert.rejects(breaker(1), (err: Error) => err.message === `boom ${i}`);
    }
    assert.equal(breaker.state, 'open');
    await assert.rejects(breaker(1), (err: unknown) => {
      assert.ok(err instanceof CircuitOpenError);
      assert.equal(err.circuit, 'payments');
      assert.equal(err.state, 'open');
      assert.ok(err.retryAfterMs! > 9_000 && err.retryAfterMs! <= 10_000);
      return true;
    });
    assert.equal(control.calls, 3, 'the rejected call never reached fn');

    const spans = tracing.finished();
    assert.deepEqual(results(spans), ['failure', 'failure', 'failure', 'rejected']);
    assert.deepEqual(states(spans), ['closed', 'closed', 'closed', 'open']);
    assert.deepEqual(spans.map(changes), [[], [], ['closed>open'], []]);
    const failed = spans[0];
    assert.equal(failed.status.code, 2);
    assert.equal(failed.status.message, 'boom 1');
    assert.equal(failed.attributes['genba.waste'], 'defect');
    assert.equal(failed.events.filter((e) => e.name === 'exception').length, 1);
    const rejected = spans[3];
    assert.equal(rejected.status.code, 2);
    assert.equal(rejected.attributes['genba.waste'], 'defect');
    assert.ok(!rejected.events.some((e) => e.name === 'exception'));
  });

  test('a success resets the consecutive-failure count', async () => {
    const { breaker, control } = flaky({ failureThreshold: 3 });
    await assert.rejects(breaker(1));
    await assert.rejects(breaker(1));
    control.failing = false;
    assert.equal(await breaker(4), 8);
    control.failing = true;
    await assert.rejects(breaker(1));
    await assert.rejects(breaker(1));
    assert.equal(breaker.state, 'closed');
    await assert.rejects(breaker(1), /boom 6/);
    assert.equal(breaker.state, 'open');
  });

  test('after resetTimeoutMs one successful trial call closes the circuit', async () => {
    const { breaker, control } = flaky({ failureThreshold: 1, resetTimeoutMs: 40 });
    await assert.rejects(breaker(1), /boom 1/);
    await assert.rejects(breaker(1), CircuitOpenError);
    await sleep(60);
    assert.equal(breaker.state, 'half_open');
    control.failing = false;
    assert.equal(await breaker(5), 10);
    assert.equal(breaker.state, 'closed');

    const spans = tracing.finished();
    assert.deepEqual(results(spans), ['failure', 'rejected', 'success']);
    const trial = spans[2];
    assert.equal(trial.attributes['circuit.state'], 'half_open');
    assert.deepEqual(changes(trial), ['open>half_open', 'half_open>closed']);
  });

  test('a failed trial reopens the circuit for another full timeout', async () => {
    const { breaker, control } = flaky({ failureThreshold: 2, resetTimeoutMs: 40 });
    await assert.rejects(breaker(1));
    await assert.rejects(breaker(1));
    await sleep(60);
    await assert.rejects(breaker(1), /boom 3/);
    assert.equal(breaker.state, 'open');
    await assert.rejects(breaker(1), CircuitOpenError);
    assert.equal(control.calls, 3);
    await sleep(60);
    control.failing = false;
    assert.equal(await breaker(1), 2);

    const spans = tracing.finished();
    assert.deepEqual(results(spans), ['failure', 'failure', 'failure', 'rejected', 'success']);
    assert.deepEqual(changes(spans[2]), ['open>half_open', 'half_open>open']);
  });

  test('half-open admits a single trial; concurrent calls are rejected until it settles', async () => {
    let release!: () => void;
    let calls = 0;
    let fail = true;
    const breaker = tracedCircuitBreaker(
      'slow',
      async () => {
        calls++;
        if (fail) throw boom(calls);
        await new Promise<void>((resolve) => {
          release = resolve;
        });
        return 'ok';
      },
      { failureThreshold: 1, resetTimeoutMs: 20 },
    );
    await assert.rejects(breaker());
    await sleep(40);
    fail = false;
    const trial = breaker();
    await assert.rejects(breaker(), (err: unknown) => {
      assert.ok(err instanceof CircuitOpenError);
      assert.equal(err.state, 'half_open');
      assert.equal(err.retryAfterMs, undefined);
      return true;
    });
    release();
    assert.equal(await trial, 'ok');
    assert.equal(breaker.state, 'closed');
    assert.equal(calls, 2);
    const rejected = tracing.finished().find((s) => s.attributes['circuit.result'] === 'rejected')!;
    assert.equal(rejected.attributes['circuit.state'], 'half_open');
  });

  test('a slow success admitted while closed does not close a circuit that opened meanwhile', async () => {
    const gates: (() => void)[] = [];
    let calls = 0;
    const breaker = tracedCircuitBreaker(
      'mixed',
      async (ok: boolean) => {
        calls++;
        if (ok) await new Promise<void>((resolve) => gates.push(resolve));
        else throw boom(calls);
      },
      { failureThreshold: 1, resetTimeoutMs: 10_000 },
    );
    const slow = breaker(true);
    await assert.rejects(breaker(false));
    assert.equal(breaker.state, 'open');
    gates[0]();
    await slow;
    assert.equal(breaker.state, 'open');
  });

  test('a synchronous throw becomes a rejection, and spans started in fn are its children', async () => {
    const breaker = tracedCircuitBreaker('sync', (fail: boolean) => {
      trace.getTracer('user').startSpan('inner').end();
      if (fail) throw new TypeError('bad input');
      return 1;
    });
    const pending = breaker(true);
    assert.ok(pending instanceof Promise);
    await assert.rejects(pending, TypeError);
    const [inner, outer] = tracing.finished();
    assert.equal(inner.name, 'inner');
    assert.equal(inner.parentSpanId, outer.spanId);
    assert.equal(inner.traceId, outer.traceId);
    assert.equal(outer.status.message, 'bad input');
  });

  test('an invalid option is reported once and replaced by its default', async () => {
    const { breaker } = flaky({ failureThreshold: 0, resetTimeoutMs: -1 });
    assert.ok(warnings.some((w) => w.includes('failureThreshold')));
    assert.ok(warnings.some((w) => w.includes('resetTimeoutMs')));
    for (let i = 0; i < 4; i++) await assert.rejects(breaker(1), /boom/);
    assert.equal(breaker.state, 'closed', 'the default threshold of 5 applies');
    await assert.rejects(breaker(1), /boom 5/);
    assert.equal(breaker.state, 'open');
    await assert.rejects(breaker(1), CircuitOpenError);
  });
});
