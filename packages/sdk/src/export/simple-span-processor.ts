/**
 * Exports every sampled span as it ends, one export call per span. For tests and debugging:
 * it does no batching. Calls are chained, so the exporter still never sees two at once and
 * spans arrive in the order they ended; `onEnd` only appends to the chain.
 */
import type { Context } from '@opentelemetry/api';
import { reportOnce } from '../diag.ts';
import type { ExportStats, ReadableSpan, SpanExporter, SpanProcessor } from '../types.ts';
import { envInt, optionInt } from './env.ts';
import { ExportRunner } from './export-runner.ts';
import { ExportStatsCounter } from './export-stats.ts';

export interface SimpleSpanProcessorOptions {
  /** An export call taking longer counts as failed. Env OTEL_BSP_EXPORT_TIMEOUT, default 30000. */
  exportTimeoutMillis?: number;
  /** Counters to update; pass one to share it between processors. A new one by default. */
  stats?: ExportStatsCounter;
}

export class SimpleSpanProcessor implements SpanProcessor {
  #stats: ExportStatsCounter;
  #runner: ExportRunner;
  #tail: Promise<void> = Promise.resolve();
  #pending = 0;
  #closed = false;
  #shutdown: Promise<void> | undefined;

  constructor(exporter: SpanExporter, options: SimpleSpanProcessorOptions = {}) {
    this.#stats = options.stats ?? new ExportStatsCounter();
    const timeout = optionInt(
      'exportTimeoutMillis',
      options.exportTimeoutMillis,
      envInt('OTEL_BSP_EXPORT_TIMEOUT', 30_000, 1),
      1,
    );
    this.#runner = new ExportRunner(exporter, this.#stats, timeout);
  }

  onStart(_span: ReadableSpan, _parentContext: Context): void {}

  onEnd(span: ReadableSpan): void {
    try {
      if (!this.#runner.admit(span, this.#closed)) return;
      this.#pending++;
      // runner.run never rejects, so the chain never breaks.
      this.#tail = this.#tail
        .then(() => this.#runner.run([span]))
        .finally(() => {
          this.#pending--;
        });
    } catch (err) {
      reportOnce('ssp:onEnd', 'SimpleSpanProcessor.onEnd failed; span dropped', err);
    }
  }

  /** Resolves when every span ended before the call has been exported (or has failed). */
  async forceFlush(): Promise<void> {
    await this.#tail;
    await this.#runner.flushExporter('ssp');
  }

  shutdown(): Promise<void> {
    this.#shutdown ??= (async () => {
      this.#closed = true;
      await this.forceFlush();
      await this.#runner.shutdownExporter('ssp');
    })();
    return this.#shutdown;
  }

  getExportStats(): ExportStats {
    return this.#stats.snapshot();
  }

  /** Spans ended but not yet exported. */
  getQueueSize(): number {
    return this.#pending;
  }
}
