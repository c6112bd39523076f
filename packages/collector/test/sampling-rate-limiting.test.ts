import assert from 'node:assert/strict';
import { test } from 'node:test';
import { emptyResource, emptyScope, emptySpan, type Span } from '@genba/model';
import { Metrics } from '../src/metrics.ts';
import { createRateLimiting, rateLimitingConfig } from '../src/processors/sampling/rate-limiting.ts';

const traceId = (n: number) => n.toString(16).padStart(32, '0');

function span(trace: number, n: number): Span {
  const s = emptySpan(emptyResource(), emptyScope());
  s.traceId = traceId(trace);
  s.spanId = n.toString(16).padStart(16, '0');
  return s;
}

class Recorder {
  spans: Span[] = [];
  async consume(spans: Span[]): Promise<void> {
    this.spans.push(...spans);
  }
  traces(): Set<string> {
    return new Set(this.spans.map((s) => s.traceId));
  }
}

function setup(config: Record<string, unknown>) {
  let now = 0;
  const out = new Recorder();
  const metrics = new Metrics();
  const stage = createRateLimiting(
    rateLimitingConfig.parse(config),
    out,
    { metrics, log: { warn() {}, info() {} } },
    'rate_limiting',
    { now: () => now },
  );
  return {
    stage,
    out,
    metrics,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

test('admits traces_per_second new traces in a burst, then refuses until the bucket refills', async () => {
  const { stage, out, advance } = setup({ traces_per_second: 5 });
  await stage.consume(Array.from({ length: 20 }, (_, i) => span(i, 1)));
  assert.deepEqual([...out.traces()], [0, 1, 2, 3, 4].map(traceId));
  advance(400); // 2 tokens
  await stage.consume([span(100, 1), span(101, 1), span(102, 1)]);
  assert.ok(out.traces().has(traceId(100)) && out.traces().has(traceId(101)));
  assert.ok(!out.traces().has(traceId(102)));
});

test('later spans of an admitted trace pass with the bucket empty; a refused trace stays refused', async () => {
  const { stage, out, metrics, advance } = setup({ traces_per_second: 2 });
  await stage.consume([span(1, 1), span(2, 1), span(3, 1)]); // 1 and 2 admitted, 3 refused
  await stage.consume([span(1, 2), span(2, 2), span(3, 2)]); // bucket empty: no effect on known traces
  advance(5000); // the bucket is full again
  await stage.consume([span(3, 3), span(1, 3)]);
  const byTrace = (t: number) => out.spans.filter((s) => s.traceId === traceId(t)).length;
  assert.equal(byTrace(1), 3, 'every span of trace 1');
  assert.equal(byTrace(2), 2, 'every span of trace 2');
  assert.equal(byTrace(3), 0, 'no span of trace 3, even once tokens are back');
  const text = metrics.render();
  assert.match(
    text,
    /genba_processor_spans_dropped_total\{processor="rate_limiting",reason="rate_limited"\} 3/,
  );
  assert.match(
    text,
    /genba_sampling_decisions_total\{processor="rate_limiting",policy="rate_limiting",decision="sampled"\} 2/,
  );
});

test('a decision is remembered for at least decision_memory newer traces', async () => {
  const { stage, out, advance } = setup({ traces_per_second: 1, decision_memory: 100 });
  await stage.consume([span(1, 1)]); // admitted
  for (let i = 0; i < 100; i++) {
    advance(1000);
    await stage.consume([span(1000 + i, 1)]); // 100 newer traces, each admitted
  }
  // No tokens now; trace 1 must still be remembered as admitted.
  await stage.consume([span(1000 + 100, 1), span(1, 2)]);
  assert.equal(out.spans.filter((s) => s.traceId === traceId(1)).length, 2);
});
