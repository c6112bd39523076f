/** A span processor that keeps every sampled span's exported form, for assertions. */
import type { ReadableSpan, SpanData, SpanProcessor } from '../../src/types.ts';

export class CollectingProcessor implements SpanProcessor {
  readonly spans: SpanData[] = [];
  started = 0;
  onStart(): void {
    this.started++;
  }
  onEnd(span: ReadableSpan): void {
    if (span.sampled) this.spans.push(span.toSpanData());
  }
  byName(name: string): SpanData {
    const s = this.spans.find((x) => x.name === name);
    if (s === undefined)
      throw new Error(`no span named ${name}; have ${this.spans.map((x) => x.name).join(', ')}`);
    return s;
  }
  async forceFlush(): Promise<void> {}
  async shutdown(): Promise<void> {}
}
