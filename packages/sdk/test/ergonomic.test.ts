import assert from 'node:assert/strict';
import { EventEmitter, once } from 'node:events';
import { after, beforeEach, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { context, propagation, trace } from '@opentelemetry/api';
import {
  addAttributes,
  currentSpanId,
  currentTraceId,
  extractHeaders,
  flush,
  getActiveTraces,
  getExportStats,
  InMemorySpanExporter,
  init,
  injectHeaders,
  propagateContext,
  recordError,
  recordEvent,
  setSamplingRate,
  shutdown,
  withPropagatedContext,
  withSpan,
} from '../src/index.ts';

const memory = new InMemorySpanExporter();
const provider = init({
  serviceName: 'ergonomic-test',
  exporter: memory,
  batch: { scheduledDelayMillis: 5 },
  logLevel: 'none',
});

async function finished() {
  await flush();
  return memory.getFinishedSpans();
}
const byName = async (name: string) => {
  const s = (await finished()).find((x) => x.name === name);
  assert.ok(s, `span ${name} exported`);
  return s;
};

beforeEach(async () => {
  await flush(); // spans of the previous test may still be queued
  memory.reset();
});
after(() => shutdown());

describe('init', () => {
  test('registers the provider globally and names the service', async () => {
    assert.equal(init(), provider, 'a second init returns the first provider');
    trace.getTracer('x').startSpan('via-global').end();
    const s = await byName('via-global');
    assert.equal(s.resource.attributes['service.name'], 'ergonomic-test');
    assert.equal(s.resource.attributes['telemetry.sdk.name'], '@genba/sdk');
  });
});

describe('withSpan', () => {
  test('sync: returns the value, ends the span, attributes recorded', async () => {
    const v = withSpan('sync-op', { 'order.id': 'o-1' }, (span) => {
      assert.equal(span.isRecording(), true);
      return 42;
    });
    assert.equal(v, 42);
    const s = await byName('sync-op');
    assert.deepEqual(s.attributes, { 'order.id': 'o-1' });
    assert.equal(s.status.code, 0);
  });

  test('async: nested spans parent correctly and end after the promise settles', async () => {
    const v = await withSpan('outer', async () => {
      await sleep(2);
      return withSpan('inner', async () => {
        await sleep(3);
        return 'done';
      });
    });
    assert.equal(v, 'done');
    const outer = await byName('outer');
    const inner = await byName('inner');
    assert.equal(inner.parentSpanId, outer.spanId);
    assert.ok(inner.endTimeUnixNano - inner.startTimeUnixNano >= 2_000_000n, 'inner lasted its sleep');
    assert.ok(outer.endTimeUnixNano >= inner.endTimeUnixNano);
  });

  test('a throw is recorded, marked ERROR and rethrown unchanged', async () => {
    const boom = new RangeError('out of stock');
    assert.throws(
      () =>
        withSpan('throws', () => {
          throw boom;
        }),
      (e) => e === boom,
    );
    await assert.rejects(
      withSpan('rejects', async () => {
        await sleep(1);
        throw boom;
      }),
      (e) => e === boom,
    );
    for (const name of ['throws', 'rejects']) {
      const s = await byName(name);
      assert.deepEqual(s.status, { code: 2, message: 'out of stock' });
      assert.equal(s.events[0]?.name, 'exception');
      assert.equal(s.events[0]?.attributes['exception.type'], 'RangeError');
    }
  });
});

describe('active span shorthands', () => {
  test('addAttributes, recordEvent, recordError and the current ids', async () => {
    let ids: [string | undefined, string | undefined] = [undefined, undefined];
    withSpan('shorthands', () => {
      addAttributes({ a: 1, b: 'two' });
      recordEvent('checkpoint', { step: 3 });
      recordError(new Error('soft failure'));
      ids = [currentTraceId(), currentSpanId()];
    });
    const s = await byName('shorthands');
    assert.deepEqual(s.attributes, { a: 1n, b: 'two' });
    assert.deepEqual(
      s.events.map((e) => e.name),
      ['checkpoint', 'exception'],
    );
    assert.equal(s.status.code, 2);
    assert.deepEqual(ids, [s.traceId, s.spanId]);
    assert.equal(currentTraceId(), undefined, 'no active span outside');
    assert.doesNotThrow(() => addAttributes({ lost: true }));
  });
});

describe('carrying context', () => {
  test('propagateContext survives JSON and continues the trace elsewhere', async () => {
    let carrier: Record<string, string> = {};
    withSpan('producer', () => {
      carrier = JSON.parse(JSON.stringify(propagateContext()));
    });
    assert.match(carrier.traceparent ?? '', /^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    withPropagatedContext(carrier, () => withSpan('consumer', () => undefined));
    const producer = await byName('producer');
    const consumer = await byName('consumer');
    assert.equal(consumer.traceId, producer.traceId);
    assert.equal(consumer.parentSpanId, producer.spanId);
  });

  test('baggage travels with the carrier', () => {
    const bag = propagation.createBaggage({ tenant: { value: 'acme corp' } });
    const carrier = context.with(propagation.setBaggage(context.active(), bag), () => propagateContext());
    assert.match(carrier.baggage ?? '', /tenant=acme%20corp/);
    const seen = withPropagatedContext(
      carrier,
      () => propagation.getActiveBaggage()?.getEntry('tenant')?.value,
    );
    assert.equal(seen, 'acme corp');
  });

  test('injectHeaders / extractHeaders, with header names in any case', async () => {
    let headers: Record<string, string> = {};
    withSpan('http-client', () => {
      headers = injectHeaders({ 'content-type': 'text/plain' });
    });
    assert.equal(headers['content-type'], 'text/plain');
    const shouting = { TraceParent: headers.traceparent as string };
    context.with(extractHeaders(shouting), () => withSpan('http-server', () => undefined));
    assert.equal((await byName('http-server')).parentSpanId, (await byName('http-client')).spanId);
  });

  test('an event emitter bound to a context delivers it to its listeners', async () => {
    const emitter = new EventEmitter();
    withSpan('owner', () => context.bind(context.active(), emitter));
    const got = once(emitter, 'job');
    setImmediate(() => emitter.emit('job'));
    await got;
    let parent = '';
    emitter.on('job2', () => withSpan('listener', () => undefined));
    emitter.emit('job2');
    parent = (await byName('listener')).parentSpanId;
    assert.equal(parent, (await byName('owner')).spanId);
  });
});

describe('runtime controls', () => {
  test('getActiveTraces lists traces with open spans', async () => {
    let during: ReturnType<typeof getActiveTraces> = [];
    await withSpan('long-request', async () => {
      await withSpan('step', async () => {
        during = getActiveTraces();
      });
    });
    const mine = during.find((t) => t.rootSpanName === 'long-request');
    assert.ok(mine, 'the open trace is listed');
    assert.equal(mine.openSpans, 2);
    assert.equal(
      getActiveTraces().some((t) => t.traceId === mine.traceId),
      false,
      'gone once every span ended',
    );
  });

  test('setSamplingRate(0) stops new traces; (1) brings them back; bad values ignored', async () => {
    setSamplingRate(0);
    withSpan('dropped', () => undefined);
    setSamplingRate(Number.NaN);
    withSpan('still-dropped', () => undefined);
    setSamplingRate(1);
    withSpan('kept', () => undefined);
    const names = (await finished()).map((s) => s.name);
    assert.deepEqual(names, ['kept']);
  });

  test('getExportStats counts what was exported', async () => {
    const before = getExportStats();
    for (let i = 0; i < 5; i++) withSpan('counted', () => undefined);
    await flush();
    const now = getExportStats();
    assert.equal(now.totalSpans - before.totalSpans, 5);
    assert.equal(now.exportedSpans - before.exportedSpans, 5);
    assert.equal(now.droppedSpans, 0);
    assert.ok(now.lastExportTime !== null);
  });
});
