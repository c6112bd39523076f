/** A capturing SpanConsumer and a component context whose metrics and warnings tests can read. */
import type { Span } from '@genba/model';
import type { ComponentContext } from '../../src/component.ts';
import { Metrics } from '../../src/metrics.ts';
import type { SpanConsumer } from '../../src/span-consumer.ts';

export class CapturingConsumer implements SpanConsumer {
  spans: Span[] = [];
  /** When set, `consume` throws it instead of keeping the spans. */
  refuse: Error | undefined;
  /** When set, `consume` waits for it before keeping the spans. */
  hold: Promise<void> | undefined;
  calls = 0;

  async consume(spans: Span[]): Promise<void> {
    this.calls++;
    if (this.hold) await this.hold;
    if (this.refuse) throw this.refuse;
    this.spans.push(...spans);
  }

  byName(name: string): Span {
    const s = this.spans.find((x) => x.name === name);
    if (!s) throw new Error(`no span named ${name} among ${this.spans.map((x) => x.name).join(', ')}`);
    return s;
  }
}

export function testContext(): ComponentContext & { metrics: Metrics; warnings: string[] } {
  const warnings: string[] = [];
  return { metrics: new Metrics(), log: { warn: (m) => warnings.push(m), info: () => {} }, warnings };
}

/** The value of one counter series in /metrics text, 0 when absent. */
export function counterValue(metrics: Metrics, name: string, labels: Record<string, string>): number {
  const want = Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .join(',');
  for (const line of metrics.render().split('\n'))
    if (line.startsWith(`${name}{${want}} `)) return Number(line.slice(line.lastIndexOf(' ') + 1));
  return 0;
}

/** Polls until `cond` holds (datagrams arrive asynchronously); fails after `limitMs` rather than hang. */
export async function until(cond: () => boolean, what: string, limitMs = 5000): Promise<void> {
  const start = Date.now();
  while (!cond()) {
    if (Date.now() - start > limitMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
