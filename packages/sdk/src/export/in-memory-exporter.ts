/** Keeps exported spans in memory, for tests and for inspecting what an application emits. */
import type { ExportResult, SpanData, SpanExporter } from '../types.ts';
import { ExportResultCode } from '../types.ts';

export class InMemorySpanExporter implements SpanExporter {
  #spans: SpanData[] = [];
  #shutdown = false;

  async export(spans: readonly SpanData[]): Promise<ExportResult> {
    if (this.#shutdown) {
      return {
        code: ExportResultCode.FAILED,
        error: new Error('InMemorySpanExporter is shut down'),
        retries: 0,
      };
    }
    // A loop, not push(...spans): spreading a huge batch would overflow the argument stack.
    for (const span of spans) this.#spans.push(span);
    return { code: ExportResultCode.SUCCESS, retries: 0 };
  }

  /** A copy of the spans exported so far, in export order. */
  getFinishedSpans(): SpanData[] {
    return this.#spans.slice();
  }

  reset(): void {
    this.#spans = [];
  }

  async forceFlush(): Promise<void> {}

  /** Later exports fail; the spans kept so far stay readable. */
  async shutdown(): Promise<void> {
    this.#shutdown = true;
  }
}
