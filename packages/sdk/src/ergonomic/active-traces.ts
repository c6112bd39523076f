/**
 * Tracks traces with spans still open in this process, for `getActiveTraces()`. A processor,
 * so it sees recorded spans only (sampled-out spans are never tracked).
 */
import type { Context } from '@opentelemetry/api';
import type { ReadableSpan, SpanProcessor } from '../types.ts';

export interface ActiveTrace {
  traceId: string;
  /** Name of the first span of the trace seen in this process. */
  rootSpanName: string;
  /** Spans started and not yet ended. */
  openSpans: number;
  /** Spans started in this process so far. */
  startedSpans: number;
  /** Epoch ms when the first span was seen. */
  startTime: number;
}

export class ActiveTraceTracker implements SpanProcessor {
  readonly #traces = new Map<string, ActiveTrace>();
  readonly #max: number;

  /** At most `max` traces are tracked; beyond that new ones are ignored (a leak guard). */
  constructor(max = 10_000) {
    this.#max = max;
  }

  onStart(span: ReadableSpan, _parent: Context): void {
    const t = this.#traces.get(span.traceId);
    if (t !== undefined) {
      t.openSpans++;
      t.startedSpans++;
    } else if (this.#traces.size < this.#max)
      this.#traces.set(span.traceId, {
        traceId: span.traceId,
        rootSpanName: span.name,
        openSpans: 1,
        startedSpans: 1,
        startTime: Date.now(),
      });
  }

  onEnd(span: ReadableSpan): void {
    const t = this.#traces.get(span.traceId);
    if (t !== undefined && --t.openSpans <= 0) this.#traces.delete(span.traceId);
  }

  list(): ActiveTrace[] {
    return [...this.#traces.values()].map((t) => ({ ...t }));
  }

  async forceFlush(): Promise<void> {}

  async shutdown(): Promise<void> {
    this.#traces.clear();
  }
}
