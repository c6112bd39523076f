/**
 * The one set of export counters a processor keeps. Processors record span ends, drops and
 * export outcomes; the exporter's part (its retries, its error) arrives through the
 * `ExportResult` it resolves with, so each figure has a single writer and is never double-counted.
 */
import { reportOnce } from '../diag.ts';
import type { ExportResult, ExportStats } from '../types.ts';
import { ExportResultCode } from '../types.ts';

/** Why spans were dropped: the queue was full, the processor was shut down, or their batch failed. */
export type DropReason = 'queue-full' | 'shutdown' | 'export-failed';

const dropMessages: Record<DropReason, string> = {
  'queue-full': 'span queue is full; dropping spans (see getExportStats().droppedSpans)',
  shutdown: 'span ended after the processor was shut down; dropping it',
  'export-failed': 'export failed; its spans are dropped',
};

/** A zeroed `ExportStats`. */
export function emptyExportStats(): ExportStats {
  return {
    totalSpans: 0,
    exportedSpans: 0,
    droppedSpans: 0,
    successfulExports: 0,
    failedExports: 0,
    retryCount: 0,
    lastExportTime: null,
    lastError: null,
  };
}

export class ExportStatsCounter {
  #s: ExportStats = emptyExportStats();

  /** A sampled span reached `onEnd`. */
  spanEnded(): void {
    this.#s.totalSpans++;
  }

  /** `count` spans will never be exported; the first drop of each kind is logged. */
  dropped(count: number, reason: DropReason, error?: Error): void {
    if (count <= 0) return;
    this.#s.droppedSpans += count;
    if (error) reportOnce(`drop:${reason}`, `${dropMessages[reason]}: ${error.message}`);
    else reportOnce(`drop:${reason}`, dropMessages[reason]);
  }

  /**
   * One export call of `count` spans finished with `result`. A failed export drops its spans.
   * `lastExportTime` is stamped on every finished export, failed or not, so it shows that the
   * pipeline is alive; `lastError` says whether it is healthy.
   */
  exportFinished(count: number, result: ExportResult): void {
    const s = this.#s;
    s.lastExportTime = Date.now();
    s.retryCount += result.retries ?? 0;
    if (result.code === ExportResultCode.SUCCESS) {
      s.successfulExports++;
      s.exportedSpans += count;
      return;
    }
    s.failedExports++;
    const error = result.error ?? new Error('export failed');
    s.lastError = error.message;
    this.dropped(count, 'export-failed', error);
  }

  /** A copy: callers may keep or change it without touching the live counters. */
  snapshot(): ExportStats {
    return { ...this.#s };
  }
}
