import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';
import type { Span } from '@genba/model';
import { emptyResource, emptyScope, emptySpan } from '@genba/model';
import type { DiagLogger } from '@opentelemetry/api';
import { context, DiagLogLevel, diag } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '../src/context/async-local-storage-context-manager.ts';
import { BatchSpanProcessor } from '../src/export/batch-span-processor.ts';
import { ExportStatsCounter } from '../src/export/export-stats.ts';
import { InMemorySpanExporter } from '../src/export/in-memory-exporter.ts';
import { isTracingSuppressed } from '../src/suppress.ts';
import type { ExportResult, ReadableSpan, SpanData, SpanExporter } from '../src/types.ts';
import { ExportResultCode } from '../src/types.ts';

const resource = { ...emptyResource(), attributes: { 'service.name': 'bsp-test' } };
const scope = { ...emptyScope(), name: 'bsp-test' };

interface TestSpan extends ReadableSpan {
  conversions: number;
}

/** A ReadableSpan as the tracer hands it over, counting its conversions to SpanData. */
function makeSpan(i: number, sampled = true): TestSpan {
  const traceId = (i + 1).toString(16).padStart(32, '0');
  const spanId = (i + 1).toString(16).padStart(16, '0');
  return {
    name: `op-${i}`,
    traceId,
    spanId,
    sampled,
    conversions: 0,
    toSpanData(): Span {
      this.conversions++;
      const s = emptySpan(resource, scope);
      s.traceId = traceId;
      s.spanId = spanId;
      s.name = `op-${i}`;
      s.startTimeUnixNano = 1_700_000_000_000_000_000n + BigInt(i) * 1000n;
      s.endTimeUnixNano = s.startTimeUnixNano + 500n;
      s.attributes = { index: BigInt(i), ratio: i / 2, even: i % 2 === 0 };
      return s;
    },
  };
}

/** Records every export call; `hold` lets a test keep calls open; tracks overlapping calls. */
class RecordingExporter implements SpanExporter {
  batches: string[][] = [];
  active = 0;
  maxActive = 0;
  suppressed: boolean[] = [];
  delayMillis = 0;
  result: ExportResult = { code: ExportResultCode.SUCCESS, retries: 0 };
  shutdowns = 0;

  async export(spans: readonly SpanData[]): Promise<ExportResult> {
    this.suppressed.push(isTracingSuppressed(context.active()));
    this.active++;
    this.maxActive = Math.max(this.maxActive, this.active);
    try {
      if (this.delayMillis > 0) await sleep(this.delayMillis);
      this.batches.push(spans.map((s) => s.name));
      return this.result;
    } finally {
      this.active--;
    }
  }

  async shutdown(): Promise<void> {
    this.shutdowns++;
  }

  get names(): string[] {
    return this.batches.flat();
  }
}

const ctxManager = new AsyncLocalStorageContextManager();
const warnings: string[] = [];
before(() => {
  context.setGlobalContextManager(ctxManager.enable());
  const logger: DiagLogger = {
    error: (m) => warnings.push(m),
    warn: (m) => warnings.push(m),
    info: () => {},
    debug: () => {},
    verbose: () => {},
  };
  diag.setLogger(logger, DiagLogLevel.WARN);
});
after(() => {
  context.disable();
  diag.disable();
});

describe('BatchSpanProcessor', () => {
  const processors: BatchSpanProcessor[] = [];
  const make = (exporter: SpanExporter, opts: ConstructorParameters<typeof BatchSpanProcessor>[1]) => {
    const p = new BatchSpanProcessor(exporter, opts);
    processors.push(p);
    return p;
  };
  afterEach(async () => {
    await Promise.all(processors.splice(0).map((p) => p.shutdown()));
  });

  test('a full batch is exported soon, not inside onEnd; the rest waits', async () => {
    const exp = new RecordingExporter();
    const p = make(exp, { maxExportBatchSize: 4, scheduledDelayMillis: 60_000 });
    const spans = Array.from({ length: 10 }, (_, i) => makeSpan(i));
    for (const s of spans) p.onEnd(s);
    assert.equal(exp.batches.length, 0, 'nothing exported synchronously');
    assert.ok(
      spans.every((s) => s.conversions === 0),
      'no conversion in onEnd',
    );
    await nextTurn();
    await sleep(10);
    assert.deepEqual(
      exp.batches.map((b) => b.length),
      [4, 4],
    );
    assert.equal(p.getQueueSize(), 2, 'a partial batch waits for the timer');
    await p.forceFlush();
    assert.deepEqual(exp.batches.at(-1), ['op-8', 'op-9']);
    assert.equal(p.getQueueSize(), 0);
    assert.ok(spans.every((s) => s.conversions === 1));
  });

  test('a partial batch goes out when the scheduled delay passes', async () => {
    const exp = new RecordingExporter();
    const p = make(exp, { maxExportBatchSize: 100, scheduledDelayMillis: 80 });
    const t0 = Date.now();
    for (let i = 0; i < 3; i++) p.onEnd(makeSpan(i));
    await sleep(30);
    assert.equal(exp.batches.length, 0, 'not before the delay');
    while (exp.batches.length === 0 && Date.now() - t0 < 2000) await sleep(5);
    assert.ok(Date.now() - t0 >= 75, 'waited for the delay');
    assert.deepEqual(exp.batches, [['op-0', 'op-1', 'op-2']]);
  });

  test('unsampled spans are neither exported nor counted', async () => {
    const exp = new RecordingExporter();
    const p = make(exp, { scheduledDelayMillis: 60_000 });
    p.onEnd(makeSpan(0, false));
    p.onEnd(makeSpan(1, true));
    await p.forceFlush();
    assert.deepEqual(exp.names, ['op-1']);
    assert.equal(p.getExportStats().totalSpans, 1);
  });

  test('a full queue drops and counts spans, never blocks or throws', async () => {
    const exp = new RecordingExporter();
    exp.delayMillis = 50;
    const p = make(exp, { maxQueueSize: 5, maxExportBatchSize: 5, scheduledDelayMillis: 60_000 });
    const t0 = performance.now();
    for (let i = 0; i < 10_000; i++) p.onEnd(makeSpan(i));
    assert.ok(performance.now() - t0 < 1000, 'onEnd stays cheap when the queue is full');
    assert.equal(p.getQueueSize(), 5);
    let s = p.getExportStats();
    assert.equal(s.totalSpans, 10_000);
    assert.equal(s.droppedSpans, 9_995);
    assert.ok(
      warnings.some((w) => w.includes('queue is full')),
      'the drop was reported',
    );
    await p.forceFlush();
    s = p.getExportStats();
    assert.equal(s.exportedSpans, 5);
    assert.deepEqual(exp.names, ['op-0', 'op-1', 'op-2', 'op-3', 'op-4']);
    assert.equal(s.totalSpans, s.exportedSpans + s.droppedSpans);
  });

  test('onEnd survives spans that throw', async () => {
    const exp = new RecordingExporter();
    const p = make(exp, { scheduledDelayMillis: 60_000 });
    const bad = {
      name: 'bad',
      traceId: '',
      spanId: '',
      get sampled(): boolean {
        throw new Error('broken span');
      },
      toSpanData: () => {
        throw new Error('unreachable');
      },
    };
    const unconvertible = { ...makeSpan(1), toSpanData: (): Span => assert.fail('cannot convert') };
    assert.doesNotThrow(() => p.onEnd(bad));
    assert.doesNotThrow(() => p.onEnd(unconvertible));
    p.onEnd(makeSpan(2));
    await p.forceFlush();
    assert.deepEqual(exp.names, ['op-2'], 'the rest of the batch still went out');
    const s = p.getExportStats();
    assert.equal(s.droppedSpans, 1);
    assert.equal(s.exportedSpans, 1);
  });

  test('exports never overlap and keep span order', async () => {
    const exp = new RecordingExporter();
    exp.delayMillis = 5;
    const p = make(exp, { maxExportBatchSize: 7, maxQueueSize: 1000, scheduledDelayMillis: 1 });
    for (let i = 0; i < 100; i++) {
      p.onEnd(makeSpan(i));
      if (i % 9 === 0) await sleep(1);
    }
    await p.forceFlush();
    assert.equal(exp.maxActive, 1);
    assert.deepEqual(
      exp.names,
      Array.from({ length: 100 }, (_, i) => `op-${i}`),
    );
    assert.ok(exp.batches.every((b) => b.length <= 7));
  });

  test('forceFlush exports everything queued, in batches, and resolves after it', async () => {
    const exp = new RecordingExporter();
    exp.delayMillis = 10;
    const p = make(exp, { maxExportBatchSize: 3, maxQueueSize: 100, scheduledDelayMillis: 60_000 });
    for (let i = 0; i < 11; i++) p.onEnd(makeSpan(i));
    await p.forceFlush();
    assert.equal(exp.names.length, 11);
    assert.deepEqual(
      exp.batches.map((b) => b.length),
      [3, 3, 3, 2],
    );
    const s = p.getExportStats();
    assert.equal(s.exportedSpans, 11);
    assert.equal(s.successfulExports, 4);
    assert.ok(s.lastExportTime !== null && Date.now() - s.lastExportTime < 5000);
  });

  test('shutdown flushes, shuts the exporter down once, and later spans are dropped', async () => {
    const exp = new RecordingExporter();
    const p = make(exp, { scheduledDelayMillis: 60_000 });
    for (let i = 0; i < 5; i++) p.onEnd(makeSpan(i));
    await Promise.all([p.shutdown(), p.shutdown()]);
    assert.equal(exp.names.length, 5);
    assert.equal(exp.shutdowns, 1);
    p.onEnd(makeSpan(99));
    await p.forceFlush();
    const s = p.getExportStats();
    assert.equal(exp.names.length, 5);
    assert.equal(s.totalSpans, 6);
    assert.equal(s.droppedSpans, 1);
  });

  test('exports run with tracing suppressed, not in the caller context', async () => {
    const exp = new RecordingExporter();
    const p = make(exp, { maxExportBatchSize: 2, scheduledDelayMillis: 60_000 });
    p.onEnd(makeSpan(0));
    p.onEnd(makeSpan(1));
    p.onEnd(makeSpan(2));
    await p.forceFlush();
    assert.deepEqual(exp.suppressed, [true, true]);
    assert.equal(isTracingSuppressed(context.active()), false, 'the caller context is untouched');
  });

  test('a failed export drops its spans and records the error and retries', async () => {
    const exp = new RecordingExporter();
    exp.result = { code: ExportResultCode.FAILED, error: new Error('HTTP 400 Bad Request'), retries: 0 };
    const p = make(exp, { maxExportBatchSize: 2, scheduledDelayMillis: 60_000 });
    for (let i = 0; i < 3; i++) p.onEnd(makeSpan(i));
    await p.forceFlush();
    exp.result = { code: ExportResultCode.SUCCESS, retries: 3 };
    p.onEnd(makeSpan(3));
    await p.forceFlush();
    const s = p.getExportStats();
    assert.deepEqual(
      { ...s, lastExportTime: null },
      {
        totalSpans: 4,
        exportedSpans: 1,
        droppedSpans: 3,
        successfulExports: 1,
        failedExports: 2,
        retryCount: 3,
        lastExportTime: null,
        lastError: 'HTTP 400 Bad Request',
      },
    );
  });

  test('an export that throws or rejects counts as failed', async () => {
    const p = make(
      {
        export: () => {
          throw new Error('exporter bug');
        },
        shutdown: async () => {},
      },
      { scheduledDelayMillis: 60_000 },
    );
    p.onEnd(makeSpan(0));
    await p.forceFlush();
    assert.equal(p.getExportStats().lastError, 'exporter bug');
    assert.equal(p.getExportStats().droppedSpans, 1);
  });

  test('an export slower than exportTimeoutMillis fails, and the next does not overlap it', async () => {
    const exp = new RecordingExporter();
    exp.delayMillis = 120;
    const p = make(exp, { maxExportBatchSize: 1, exportTimeoutMillis: 60, scheduledDelayMillis: 60_000 });
    p.onEnd(makeSpan(0));
    p.onEnd(makeSpan(1));
    const t0 = Date.now();
    await p.forceFlush();
    const s = p.getExportStats();
    assert.equal(s.failedExports, 2);
    assert.equal(s.droppedSpans, 2);
    assert.match(s.lastError ?? '', /timed out after 60 ms/);
    assert.equal(exp.maxActive, 1, 'the second call waited for the first to settle');
    assert.ok(Date.now() - t0 >= 170, 'the second export started after the first one settled');
  });

  test('stats can be shared by processors and are copies', async () => {
    const stats = new ExportStatsCounter();
    const a = make(new InMemorySpanExporter(), { stats, scheduledDelayMillis: 60_000 });
    const b = make(new InMemorySpanExporter(), { stats, scheduledDelayMillis: 60_000 });
    a.onEnd(makeSpan(0));
    b.onEnd(makeSpan(1));
    await Promise.all([a.forceFlush(), b.forceFlush()]);
    const snap = a.getExportStats();
    assert.equal(snap.exportedSpans, 2);
    snap.exportedSpans = 100;
    assert.equal(b.getExportStats().exportedSpans, 2);
  });
});

describe('BatchSpanProcessor configuration', () => {
  const keys = [
    'OTEL_BSP_MAX_QUEUE_SIZE',
    'OTEL_BSP_SCHEDULE_DELAY',
    'OTEL_BSP_MAX_EXPORT_BATCH_SIZE',
    'OTEL_BSP_EXPORT_TIMEOUT',
  ];
  afterEach(() => {
    for (const k of keys) delete process.env[k];
  });

  test('env sets the defaults; explicit options win', async () => {
    process.env.OTEL_BSP_MAX_QUEUE_SIZE = '3';
    process.env.OTEL_BSP_MAX_EXPORT_BATCH_SIZE = '2';
    const exp = new RecordingExporter();
    const p = new BatchSpanProcessor(exp, { scheduledDelayMillis: 60_000 });
    for (let i = 0; i < 5; i++) p.onEnd(makeSpan(i));
    assert.equal(p.getQueueSize(), 3);
    await p.shutdown();
    assert.deepEqual(
      exp.batches.map((b) => b.length),
      [2, 1],
    );

    const q = new BatchSpanProcessor(new RecordingExporter(), {
      maxQueueSize: 4,
      scheduledDelayMillis: 60_000,
    });
    for (let i = 0; i < 5; i++) q.onEnd(makeSpan(i));
    assert.equal(q.getQueueSize(), 4);
    await q.shutdown();
  });

  test('invalid env values are reported once and ignored', async () => {
    process.env.OTEL_BSP_MAX_QUEUE_SIZE = 'lots';
    process.env.OTEL_BSP_SCHEDULE_DELAY = '-5';
    const p = new BatchSpanProcessor(new RecordingExporter(), { maxExportBatchSize: 5000 });
    for (let i = 0; i < 3000; i++) p.onEnd(makeSpan(i));
    assert.equal(p.getQueueSize(), 2048, 'the default queue size');
    assert.equal(p.getExportStats().droppedSpans, 952);
    assert.ok(warnings.some((w) => w.includes('OTEL_BSP_MAX_QUEUE_SIZE') && w.includes('lots')));
    assert.ok(warnings.some((w) => w.includes('OTEL_BSP_SCHEDULE_DELAY')));
    assert.ok(warnings.some((w) => w.includes('maxExportBatchSize 5000 exceeds maxQueueSize 2048')));
    await p.shutdown();
  });
});
