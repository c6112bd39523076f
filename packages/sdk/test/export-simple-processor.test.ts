import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Span } from '@genba/model';
import { emptyResource, emptyScope, emptySpan } from '@genba/model';
import { ConsoleSpanExporter, spanToJsonLine } from '../src/export/console-exporter.ts';
import { InMemorySpanExporter } from '../src/export/in-memory-exporter.ts';
import { SimpleSpanProcessor } from '../src/export/simple-span-processor.ts';
import type { ExportResult, ReadableSpan, SpanData, SpanExporter } from '../src/types.ts';
import { ExportResultCode } from '../src/types.ts';

const resource = { ...emptyResource(), attributes: { 'service.name': 'simple-test' } };
const scope = { ...emptyScope(), name: 'simple-test' };

function makeSpan(i: number, sampled = true): ReadableSpan {
  const traceId = 'ab'.repeat(16);
  const spanId = (i + 1).toString(16).padStart(16, '0');
  return {
    name: `op-${i}`,
    traceId,
    spanId,
    sampled,
    toSpanData(): Span {
      const s = emptySpan(resource, scope);
      s.traceId = traceId;
      s.spanId = spanId;
      s.parentSpanId = i === 0 ? '' : '0000000000000001';
      s.name = `op-${i}`;
      s.startTimeUnixNano = 1_700_000_000_000_000_000n;
      s.endTimeUnixNano = 1_700_000_000_002_500_000n;
      s.attributes = { 'http.status_code': 200n, ratio: 0.5, bytes: new Uint8Array([1, 255]) };
      return s;
    },
  };
}

describe('SimpleSpanProcessor', () => {
  test('exports each sampled span after onEnd, not inside it; forceFlush waits for them', async () => {
    const exp = new InMemorySpanExporter();
    const p = new SimpleSpanProcessor(exp);
    p.onEnd(makeSpan(0));
    p.onEnd(makeSpan(1, false));
    p.onEnd(makeSpan(2));
    assert.equal(exp.getFinishedSpans().length, 0, 'nothing exported synchronously');
    assert.equal(p.getQueueSize(), 2);
    await p.forceFlush();
    assert.deepEqual(
      exp.getFinishedSpans().map((s) => s.name),
      ['op-0', 'op-2'],
    );
    assert.equal(p.getQueueSize(), 0);
    assert.equal(p.getExportStats().exportedSpans, 2);
    assert.equal(p.getExportStats().successfulExports, 2);
    await p.shutdown();
  });

  test('calls are one at a time, in order, and failures are counted, not thrown', async () => {
    let active = 0;
    let maxActive = 0;
    const seen: string[] = [];
    const exp: SpanExporter = {
      async export(spans: readonly SpanData[]): Promise<ExportResult> {
        active++;
        maxActive = Math.max(maxActive, active);
        await sleep(5);
        active--;
        seen.push(spans[0].name);
        return spans[0].name === 'op-1'
          ? { code: ExportResultCode.FAILED, error: new Error('nope'), retries: 1 }
          : { code: ExportResultCode.SUCCESS, retries: 0 };
      },
      shutdown: async () => {},
    };
    const p = new SimpleSpanProcessor(exp);
    for (let i = 0; i < 4; i++) assert.doesNotThrow(() => p.onEnd(makeSpan(i)));
    await p.forceFlush();
    assert.equal(maxActive, 1);
    assert.deepEqual(seen, ['op-0', 'op-1', 'op-2', 'op-3']);
    const s = p.getExportStats();
    assert.equal(s.exportedSpans, 3);
    assert.equal(s.droppedSpans, 1);
    assert.equal(s.retryCount, 1);
    assert.equal(s.lastError, 'nope');
  });

  test('after shutdown spans are dropped and the exporter is shut down', async () => {
    const exp = new InMemorySpanExporter();
    const p = new SimpleSpanProcessor(exp);
    p.onEnd(makeSpan(0));
    await p.shutdown();
    p.onEnd(makeSpan(1));
    await p.forceFlush();
    assert.equal(exp.getFinishedSpans().length, 1);
    assert.equal(p.getExportStats().droppedSpans, 1);
    const r = await exp.export([makeSpan(2).toSpanData()]);
    assert.equal(r.code, ExportResultCode.FAILED, 'the exporter was shut down');
  });
});

describe('InMemorySpanExporter', () => {
  test('keeps spans until reset, hands out copies', async () => {
    const exp = new InMemorySpanExporter();
    await exp.export([makeSpan(0).toSpanData(), makeSpan(1).toSpanData()]);
    const got = exp.getFinishedSpans();
    got.pop();
    assert.equal(exp.getFinishedSpans().length, 2);
    exp.reset();
    assert.deepEqual(exp.getFinishedSpans(), []);
  });
});

describe('ConsoleSpanExporter', () => {
  test('one JSON line per span, bigint-safe', async () => {
    const lines: string[] = [];
    const exp = new ConsoleSpanExporter({ write: (s: string) => lines.push(s) });
    const r = await exp.export([makeSpan(0).toSpanData(), makeSpan(1).toSpanData()]);
    assert.equal(r.code, ExportResultCode.SUCCESS);
    const out = lines.join('').trimEnd().split('\n');
    assert.equal(out.length, 2);
    const first = JSON.parse(out[0]);
    assert.equal(first.name, 'op-0');
    assert.equal(first.service, 'simple-test');
    assert.equal(first.parentSpanId, undefined);
    assert.equal(first.durationMicros, 2500);
    assert.equal(first.startTimeUnixNano, '1700000000000000000');
    assert.deepEqual(first.attributes, { 'http.status_code': '200', ratio: 0.5, bytes: '01ff' });
    assert.equal(JSON.parse(out[1]).parentSpanId, '0000000000000001');
  });

  test('a failing sink gives FAILED, not a throw', async () => {
    const exp = new ConsoleSpanExporter({
      write: () => {
        throw new Error('EPIPE');
      },
    });
    const r = await exp.export([makeSpan(0).toSpanData()]);
    assert.equal(r.code, ExportResultCode.FAILED);
    assert.equal(r.error?.message, 'EPIPE');
    assert.match(spanToJsonLine(makeSpan(3).toSpanData()), /^\{"traceId":"(ab){16}"/);
  });
});
