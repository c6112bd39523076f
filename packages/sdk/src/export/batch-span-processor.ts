/**
 * Batches ended spans in a bounded ring and exports them off the caller's path. `onEnd` is
 * O(1), never blocks and never throws: when the ring is full the span is dropped and counted.
 * A full batch is exported on the next turn of the event loop, a partial one after
 * scheduledDelayMillis (an unref'd timer, so it never keeps a process alive). One export runs
 * at a time, batches in the order their spans ended.
 */
import type { Context } from '@opentelemetry/api';
import { reportOnce } from '../diag.ts';
import type { ExportStats, ReadableSpan, SpanExporter, SpanProcessor } from '../types.ts';
import { envInt, optionInt } from './env.ts';
import { ExportRunner } from './export-runner.ts';
import { ExportStatsCounter } from './export-stats.ts';

export interface BatchSpanProcessorOptions {
  /** Spans held at most; more are dropped. Env OTEL_BSP_MAX_QUEUE_SIZE, default 2048. */
  maxQueueSize?: number;
  /** Longest wait before a partial batch is exported. Env OTEL_BSP_SCHEDULE_DELAY, default 5000. */
  scheduledDelayMillis?: number;
  /** Spans per export call. Env OTEL_BSP_MAX_EXPORT_BATCH_SIZE, default 512. */
  maxExportBatchSize?: number;
  /** An export call taking longer counts as failed. Env OTEL_BSP_EXPORT_TIMEOUT, default 30000. */
  exportTimeoutMillis?: number;
  /** Counters to update; pass one to share it between processors. A new one by default. */
  stats?: ExportStatsCounter;
}

interface Waiter {
  /** Resolve once this many spans (counted from the first ever queued) have been exported or dropped. */
  seq: number;
  resolve: () => void;
}

export class BatchSpanProcessor implements SpanProcessor {
  #stats: ExportStatsCounter;
  #runner: ExportRunner;
  #maxQueueSize: number;
  #delayMillis: number;
  #batchSize: number;

  // The ring: #count spans starting at #head. Slots are cleared when taken so spans can be collected.
  #ring: (ReadableSpan | undefined)[];
  #head = 0;
  #count = 0;
  // Running totals: spans ever queued, ever taken for export, ever finished exporting.
  #queued = 0;
  #taken = 0;
  #settled = 0;
  /** Spans queued before this total go out without waiting for a full batch (timer or flush). */
  #drainTo = 0;

  #running = false;
  #timer: NodeJS.Timeout | undefined;
  #soon: NodeJS.Immediate | undefined;
  #waiters: Waiter[] = [];
  #closed = false;
  #shutdown: Promise<void> | undefined;

  constructor(exporter: SpanExporter, options: BatchSpanProcessorOptions = {}) {
    this.#stats = options.stats ?? new ExportStatsCounter();
    const maxQueueSize = optionInt(
      'maxQueueSize',
      options.maxQueueSize,
      envInt('OTEL_BSP_MAX_QUEUE_SIZE', 2048, 1),
      1,
    );
    const delay = optionInt(
      'scheduledDelayMillis',
      options.scheduledDelayMillis,
      envInt('OTEL_BSP_SCHEDULE_DELAY', 5000, 0),
    );
    const batch = optionInt(
      'maxExportBatchSize',
      options.maxExportBatchSize,
      envInt('OTEL_BSP_MAX_EXPORT_BATCH_SIZE', 512, 1),
      1,
    );
    const timeout = optionInt(
      'exportTimeoutMillis',
      options.exportTimeoutMillis,
      envInt('OTEL_BSP_EXPORT_TIMEOUT', 30_000, 1),
      1,
    );
    if (batch > maxQueueSize) {
      reportOnce(
        'bsp:batch-size',
        `maxExportBatchSize ${batch} exceeds maxQueueSize ${maxQueueSize}; using ${maxQueueSize}`,
      );
    }
    this.#maxQueueSize = maxQueueSize;
    this.#delayMillis = delay;
    this.#batchSize = Math.min(batch, maxQueueSize);
    this.#ring = new Array(maxQueueSize);
    this.#runner = new ExportRunner(exporter, this.#stats, timeout);
  }

  onStart(_span: ReadableSpan, _parentContext: Context): void {}

  onEnd(span: ReadableSpan): void {
    try {
      if (!this.#runner.admit(span, this.#closed)) return;
      if (this.#count >= this.#maxQueueSize) {
        this.#stats.dropped(1, 'queue-full');
        return;
      }
      this.#ring[(this.#head + this.#count) % this.#maxQueueSize] = span;
      this.#count++;
      this.#queued++;
      if (this.#count >= this.#batchSize) this.#exportSoon();
      else this.#armTimer();
    } catch (err) {
      reportOnce('bsp:onEnd', 'BatchSpanProcessor.onEnd failed; span dropped', err);
    }
  }

  /** Exports every span queued before the call, in batches; resolves when those exports finished. */
  async forceFlush(): Promise<void> {
    const target = this.#queued;
    if (this.#settled < target) {
      this.#drainTo = Math.max(this.#drainTo, target);
      const done = new Promise<void>((resolve) => this.#waiters.push({ seq: target, resolve }));
      this.#kick();
      await done;
    }
    await this.#runner.flushExporter('bsp');
  }

  /** Flushes what is queued, then shuts the exporter down. Later spans are dropped (and counted). */
  shutdown(): Promise<void> {
    this.#shutdown ??= this.#close();
    return this.#shutdown;
  }

  getExportStats(): ExportStats {
    return this.#stats.snapshot();
  }

  /** Spans waiting in the ring (not those in the export under way). */
  getQueueSize(): number {
    return this.#count;
  }

  async #close(): Promise<void> {
    this.#closed = true;
    await this.forceFlush();
    clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#runner.shutdownExporter('bsp');
  }

  /** Not inside onEnd itself: the caller's span.end() must not pay for conversion or I/O. */
  #exportSoon(): void {
    if (this.#running || this.#soon) return;
    this.#soon = setImmediate(() => {
      this.#soon = undefined;
      this.#kick();
    });
  }

  #armTimer(): void {
    if (this.#timer || this.#running) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#drainTo = Math.max(this.#drainTo, this.#queued);
      this.#kick();
    }, this.#delayMillis);
    this.#timer.unref();
  }

  #due(): boolean {
    return this.#count > 0 && (this.#count >= this.#batchSize || this.#taken < this.#drainTo);
  }

  #kick(): void {
    if (this.#running) return; // the running loop looks at the queue again before it stops
    void this.#run();
  }

  async #run(): Promise<void> {
    this.#running = true;
    try {
      while (this.#due()) {
        const batch = this.#take(Math.min(this.#count, this.#batchSize));
        try {
          await this.#runner.run(batch);
        } finally {
          this.#settled += batch.length;
          this.#resolveWaiters();
        }
      }
    } catch (err) {
      reportOnce('bsp:loop', 'BatchSpanProcessor export loop failed', err);
    } finally {
      this.#running = false;
      // Spans that ended during the last export still need a timer (or, on an error, a retry).
      if (this.#due()) this.#exportSoon();
      else if (this.#count > 0) this.#armTimer();
      this.#resolveWaiters();
    }
  }

  #take(n: number): ReadableSpan[] {
    const out = new Array<ReadableSpan>(n);
    for (let i = 0; i < n; i++) {
      out[i] = this.#ring[this.#head]!;
      this.#ring[this.#head] = undefined;
      this.#head = (this.#head + 1) % this.#maxQueueSize;
    }
    this.#count -= n;
    this.#taken += n;
    return out;
  }

  #resolveWaiters(): void {
    if (this.#waiters.length === 0) return;
    const still: Waiter[] = [];
    for (const w of this.#waiters) {
      if (this.#settled >= w.seq) w.resolve();
      else still.push(w);
    }
    this.#waiters = still;
  }
}
