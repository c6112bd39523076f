/**
 * One export call as both processors make it: spans converted to SpanData only now (off the
 * span-ending path), the exporter called under a tracing-suppressed context so its own traffic
 * is never traced, a timeout that counts a slow batch as failed, and the outcome counted.
 * Calls are strictly one after another: a batch starts only when the previous call settled.
 */
import { context } from '@opentelemetry/api';
import { reportOnce } from '../diag.ts';
import { suppressTracing } from '../suppress.ts';
import type { ExportResult, ReadableSpan, SpanData, SpanExporter } from '../types.ts';
import type { ExportStatsCounter } from './export-stats.ts';
import { asError, failed } from './retry.ts';

export class ExportRunner {
  #exporter: SpanExporter;
  #stats: ExportStatsCounter;
  #timeoutMillis: number;
  /** The last exporter call while it has not settled (it may have outlived its timeout). */
  #pending: Promise<unknown> | undefined;

  constructor(exporter: SpanExporter, stats: ExportStatsCounter, timeoutMillis: number) {
    this.#exporter = exporter;
    this.#stats = stats;
    this.#timeoutMillis = timeoutMillis;
  }

  /**
   * A span reached a processor's onEnd: true when it is to be exported. Unsampled spans are
   * not counted; a span ending after the processor closed is counted and dropped.
   */
  admit(span: ReadableSpan, closed: boolean): boolean {
    if (!span.sampled) return false;
    this.#stats.spanEnded();
    if (closed) {
      this.#stats.dropped(1, 'shutdown');
      return false;
    }
    return true;
  }

  /** The exporter's forceFlush; a failure is reported once under `tag`, never thrown. */
  async flushExporter(tag: string): Promise<void> {
    try {
      await this.#exporter.forceFlush?.();
    } catch (err) {
      reportOnce(`${tag}:exporter-flush`, 'exporter.forceFlush failed', err);
    }
  }

  /** The exporter's shutdown; a failure is reported once under `tag`, never thrown. */
  async shutdownExporter(tag: string): Promise<void> {
    try {
      await this.#exporter.shutdown();
    } catch (err) {
      reportOnce(`${tag}:exporter-shutdown`, 'exporter.shutdown failed', err);
    }
  }

  /** Exports `spans` and records the outcome. Never throws; callers must not overlap calls. */
  async run(spans: readonly ReadableSpan[]): Promise<void> {
    if (spans.length === 0) return;
    await this.#awaitStraggler();
    const data: SpanData[] = [];
    for (const span of spans) {
      try {
        data.push(span.toSpanData());
      } catch (err) {
        // A span that cannot be converted is lost on its own; the rest of the batch still goes.
        this.#stats.dropped(1, 'export-failed', asError(err));
      }
    }
    if (data.length === 0) return;
    const call = this.#call(data);
    this.#pending = call;
    call.finally(() => {
      if (this.#pending === call) this.#pending = undefined;
    });
    this.#stats.exportFinished(data.length, await this.#withTimeout(call));
  }

  #call(data: SpanData[]): Promise<ExportResult> {
    return context.with(suppressTracing(context.active()), async () => {
      try {
        const r = await this.#exporter.export(data);
        return r && typeof r.code === 'number' ? r : failed(new Error('exporter resolved without a result'));
      } catch (err) {
        return failed(asError(err)); // the contract says export never throws; some do anyway
      }
    });
  }

  #withTimeout(call: Promise<ExportResult>): Promise<ExportResult> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<ExportResult>((resolve) => {
      timer = setTimeout(
        () => resolve(failed(new Error(`export timed out after ${this.#timeoutMillis} ms`))),
        this.#timeoutMillis,
      );
    });
    return Promise.race([call, timeout]).finally(() => clearTimeout(timer));
  }

  /**
   * A call that timed out may still be running. Give it up to another timeout to settle, so
   * that calls never overlap with a well-behaved exporter; past that it is deemed hung and
   * abandoned, so one stuck request cannot stall every later batch forever.
   */
  async #awaitStraggler(): Promise<void> {
    const pending = this.#pending;
    if (!pending) return;
    let timer: NodeJS.Timeout | undefined;
    const settled = await Promise.race([
      pending.then(
        () => true,
        () => true,
      ),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), this.#timeoutMillis);
      }),
    ]);
    clearTimeout(timer);
    if (!settled) {
      reportOnce(
        'exporter-hung',
        'an export call has not settled long after its timeout; no longer waiting for it',
      );
      if (this.#pending === pending) this.#pending = undefined;
    }
  }
}
