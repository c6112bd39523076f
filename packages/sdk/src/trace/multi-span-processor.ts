/** Fans span starts and ends out to several processors; one that throws does not stop the rest. */
import type { Context } from '@opentelemetry/api';
import { reportOnce } from '../diag.ts';
import type { ReadableSpan, SpanProcessor } from '../types.ts';

export class MultiSpanProcessor implements SpanProcessor {
  readonly #processors: SpanProcessor[] = [];

  add(p: SpanProcessor): void {
    this.#processors.push(p);
  }

  get processors(): readonly SpanProcessor[] {
    return this.#processors;
  }

  onStart(span: ReadableSpan, parent: Context): void {
    for (const p of this.#processors) {
      try {
        p.onStart(span, parent);
      } catch (err) {
        reportOnce('processor-onStart', 'a span processor threw in onStart', err);
      }
    }
  }

  onEnd(span: ReadableSpan): void {
    for (const p of this.#processors) {
      try {
        p.onEnd(span);
      } catch (err) {
        reportOnce('processor-onEnd', 'a span processor threw in onEnd', err);
      }
    }
  }

  async forceFlush(): Promise<void> {
    await settleAll(
      this.#processors.map((p) => p.forceFlush()),
      'forceFlush',
    );
  }

  async shutdown(): Promise<void> {
    await settleAll(
      this.#processors.map((p) => p.shutdown()),
      'shutdown',
    );
  }
}

async function settleAll(work: Promise<void>[], what: string): Promise<void> {
  for (const r of await Promise.allSettled(work))
    if (r.status === 'rejected')
      reportOnce(`processor-${what}`, `a span processor failed in ${what}`, r.reason);
}
