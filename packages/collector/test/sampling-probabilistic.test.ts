import assert from 'node:assert/strict';
import { test } from 'node:test';
import { emptyResource, emptyScope, emptySpan, mulberry32, type Rng, type Span } from '@genba/model';
import { Metrics } from '../src/metrics.ts';
import {
  createProbabilisticSampler,
  probabilisticSamplerConfig,
} from '../src/processors/sampling/probabilistic-sampler.ts';

function hexId(rng: Rng, bytes: number): string {
  let s = '';
  for (let i = 0; i < bytes; i++)
    s += Math.floor(rng() * 256)
      .toString(16)
      .padStart(2, '0');
  return s;
}

function span(traceId: string, spanId: string): Span {
  const s = emptySpan(emptyResource(), emptyScope());
  s.traceId = traceId;
  s.spanId = spanId;
  return s;
}

class Recorder {
  batches: Span[][] = [];
  async consume(spans: Span[]): Promise<void> {
    this.batches.push(spans);
  }
  get spans(): Span[] {
    return this.batches.flat();
  }
}

const context = () => ({ metrics: new Metrics(), log: { warn() {}, info() {} } });

function counter(metrics: Metrics, line: string): number {
  const hit = metrics
    .render()
    .split('\n')
    .find((l) => l.startsWith(`${line} `));
  return hit ? Number(hit.slice(line.length + 1)) : 0;
}

test('two instances with the same config decide every trace the same, for every span', async () => {
  const rng = mulberry32(11);
  const ids = Array.from({ length: 20_000 }, () => hexId(rng, 16));
  const config = probabilisticSamplerConfig.parse({ sampling_percentage: 30, hash_seed: 42 });
  const outA = new Recorder();
  const outB = new Recorder();
  const a = createProbabilisticSampler(config, outA, context());
  const b = createProbabilisticSampler(config, outB, context());
  // A sees each trace's two spans in one batch; B sees them in two batches, in another order.
  await a.consume(ids.flatMap((id) => [span(id, '0000000000000001'), span(id, '0000000000000002')]));
  await b.consume(ids.map((id) => span(id, '0000000000000002')).reverse());
  await b.consume(ids.map((id) => span(id, '0000000000000001')));
  const keptA = new Map<string, number>();
  for (const s of outA.spans) keptA.set(s.traceId, (keptA.get(s.traceId) ?? 0) + 1);
  const keptB = new Map<string, number>();
  for (const s of outB.spans) keptB.set(s.traceId, (keptB.get(s.traceId) ?? 0) + 1);
  assert.deepEqual([...keptB.keys()].sort(), [...keptA.keys()].sort());
  for (const n of keptA.values()) assert.equal(n, 2, 'both spans of a kept trace are kept');
  for (const n of keptB.values()) assert.equal(n, 2);
});

test('the kept share over 20k random trace ids is the percentage within 4 standard deviations', async () => {
  const rng = mulberry32(2024);
  const n = 20_000;
  const p = 0.25;
  const out = new Recorder();
  const ctx = context();
  const sampler = createProbabilisticSampler(
    probabilisticSamplerConfig.parse({ sampling_percentage: p * 100 }),
    out,
    ctx,
  );
  await sampler.consume(Array.from({ length: n }, () => span(hexId(rng, 16), '0000000000000001')));
  const share = out.spans.length / n;
  // Binomial: sd = sqrt(p(1-p)/n) = 0.00306; 4 sd = 0.0122, so a fair hash fails this about 1 in 15,000 seeds.
  const tolerance = 4 * Math.sqrt((p * (1 - p)) / n);
  assert.ok(Math.abs(share - p) <= tolerance, `kept ${share}, expected ${p} ± ${tolerance.toFixed(4)}`);
  assert.equal(
    counter(
      ctx.metrics,
      'genba_processor_spans_dropped_total{processor="probabilistic_sampler",reason="not_sampled"}',
    ),
    n - out.spans.length,
  );
});

test('a different hash_seed keeps a different set of traces', async () => {
  const rng = mulberry32(5);
  const spans = Array.from({ length: 2000 }, () => span(hexId(rng, 16), '0000000000000001'));
  const kept = async (seed: number) => {
    const out = new Recorder();
    await createProbabilisticSampler(
      probabilisticSamplerConfig.parse({ sampling_percentage: 50, hash_seed: seed }),
      out,
      context(),
    ).consume(spans);
    return new Set(out.spans.map((s) => s.traceId));
  };
  const one = await kept(1);
  const two = await kept(2);
  const both = [...one].filter((id) => two.has(id)).length;
  // Independent halves overlap on about a quarter of the traces, far from all of them.
  assert.ok(both < one.size * 0.7, `overlap ${both} of ${one.size}`);
});

test('0% passes nothing on and 100% passes everything', async () => {
  const rng = mulberry32(9);
  const spans = Array.from({ length: 500 }, () => span(hexId(rng, 16), '0000000000000001'));
  const none = new Recorder();
  await createProbabilisticSampler({ sampling_percentage: 0, hash_seed: 0 }, none, context()).consume(spans);
  assert.equal(none.batches.length, 0, 'the next stage is not called with an empty batch');
  const all = new Recorder();
  await createProbabilisticSampler({ sampling_percentage: 100, hash_seed: 0 }, all, context()).consume(spans);
  assert.equal(all.spans.length, 500);
});
