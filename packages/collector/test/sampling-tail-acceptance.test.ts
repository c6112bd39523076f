/**
 * The acceptance test: tail sampling with [probabilistic 10%, status_code ERROR,
 * latency 1000 ms] over 5000 synthetic traces fed in interleaved batches.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  emptyScope,
  emptySpan,
  intBetween,
  mulberry32,
  type Resource,
  type Rng,
  type Span,
  StatusCode,
} from '@genba/model';
import { Metrics } from '../src/metrics.ts';
import { createTailSampling } from '../src/processors/sampling/tail-sampling.ts';
import { tailSamplingConfig } from '../src/processors/sampling/tail-sampling-config.ts';

type Kind = 'error' | 'slow' | 'normal';

interface Trace {
  id: string;
  kind: Kind;
  spans: Span[];
}

const T0_MS = 1_700_000_000_000;
const ns = (ms: number) => BigInt(Math.round(ms * 1000)) * 1000n;

function hex(rng: Rng, bytes: number): string {
  let s = '';
  for (let i = 0; i < bytes; i++)
    s += Math.floor(rng() * 256)
      .toString(16)
      .padStart(2, '0');
  return s;
}

/**
 * 3–8 spans, each at most 50 ms long. A normal trace ends within 200 ms of its start; a slow one
 * has its last span start 1.1–1.3 s after the root; an error trace has one ERROR span.
 */
function makeTrace(rng: Rng, i: number, resources: Resource[]): Trace {
  const r = rng();
  const kind: Kind = r < 0.1 ? 'error' : r < 0.2 ? 'slow' : 'normal';
  const n = intBetween(rng, 3, 8);
  const id = hex(rng, 16);
  const start = T0_MS + i * 7;
  const errorAt = kind === 'error' ? intBetween(rng, 0, n - 1) : -1;
  const spans: Span[] = [];
  for (let k = 0; k < n; k++) {
    const s = emptySpan(resources[k % resources.length], emptyScope());
    s.traceId = id;
    s.spanId = hex(rng, 8);
    s.parentSpanId = k === 0 ? '' : spans[0].spanId;
    s.name = `op-${k}`;
    const offset = kind === 'slow' && k === n - 1 ? 1100 + rng() * 200 : k * 20;
    s.startTimeUnixNano = ns(start + offset);
    s.endTimeUnixNano = ns(start + offset + 5 + rng() * 45);
    s.status = { code: k === errorAt ? StatusCode.ERROR : StatusCode.OK, message: '' };
    spans.push(s);
  }
  return { id, kind, spans };
}

test('tail sampling keeps every error and slow trace, 10% of the rest, and never splits a trace', async (t) => {
  const rng = mulberry32(20_240_601);
  const resources: Resource[] = ['gateway', 'orders', 'payments'].map((service) => ({
    attributes: { 'service.name': service },
    droppedAttributesCount: 0,
    schemaUrl: '',
  }));
  const traces = Array.from({ length: 5000 }, (_, i) => makeTrace(rng, i, resources));
  const byId = new Map(traces.map((x) => [x.id, x]));

  // Interleave: each span gets a position near its trace's index (jitter of up to 40 traces),
  // so spans of neighbouring traces mix and a trace's spans fall into different batches.
  const placed = traces.flatMap((x, i) => x.spans.map((s) => ({ s, key: i + rng() * 40 })));
  placed.sort((a, b) => a.key - b.key);
  const batches: Span[][] = [];
  for (let i = 0; i < placed.length; i += 97) batches.push(placed.slice(i, i + 97).map((p) => p.s));
  const batchesPerTrace = new Map<string, Set<number>>();
  batches.forEach((b, bi) => {
    for (const s of b) {
      let set = batchesPerTrace.get(s.traceId);
      if (!set) {
        set = new Set();
        batchesPerTrace.set(s.traceId, set);
      }
      set.add(bi);
    }
  });
  const split = [...batchesPerTrace.values()].filter((set) => set.size > 1).length;
  assert.ok(split > 1000, `the input splits many traces across batches (${split})`);

  let now = 0;
  const received: Span[][] = [];
  const metrics = new Metrics();
  const sampler = createTailSampling(
    tailSamplingConfig.parse({
      decision_wait: '2s',
      policies: [
        { name: 'ten-percent', type: 'probabilistic', probabilistic: { sampling_percentage: 10 } },
        { name: 'errors', type: 'status_code', status_code: { status_codes: ['ERROR'] } },
        { name: 'slow', type: 'latency', latency: { threshold_ms: 1000 } },
      ],
    }),
    { consume: async (spans) => void received.push(spans) },
    { metrics, log: { warn() {}, info() {} } },
    'tail_sampling',
    { now: () => now, timer: false },
  );
  // 20 ms of clock per batch: a trace's spans arrive within ~3 batches, far inside decision_wait.
  for (const b of batches) {
    await sampler.consume(b);
    now += 20;
    await sampler.tick();
  }
  now += 2000;
  await sampler.tick();
  assert.equal(sampler.held, 0, 'every trace was decided by its decision_wait');
  await sampler.shutdown();

  // Which batch each kept span came in; every kept trace must come whole, in one batch.
  const keptSpans = new Map<string, { spanIds: Set<string>; batches: Set<number> }>();
  received.forEach((b, bi) => {
    for (const s of b) {
      let k = keptSpans.get(s.traceId);
      if (!k) {
        k = { spanIds: new Set(), batches: new Set() };
        keptSpans.set(s.traceId, k);
      }
      assert.ok(!k.spanIds.has(s.spanId), 'no span is sent twice');
      k.spanIds.add(s.spanId);
      k.batches.add(bi);
    }
  });
  for (const [id, k] of keptSpans) {
    const tr = byId.get(id)!;
    assert.deepEqual(k.spanIds, new Set(tr.spans.map((s) => s.spanId)), `trace ${id} arrives complete`);
    assert.equal(k.batches.size, 1, `trace ${id} arrives in one batch`);
  }

  const of = (kind: Kind) => traces.filter((x) => x.kind === kind);
  for (const e of of('error')) assert.ok(keptSpans.has(e.id), `error trace ${e.id} is kept`);
  for (const w of of('slow')) assert.ok(keptSpans.has(w.id), `slow trace ${w.id} is kept`);

  // The rest is kept by the 10% policy alone: a binomial share. n ≈ 4000, sd = sqrt(0.1·0.9/n)
  // ≈ 0.0047; 4 sd ≈ 0.019, so a fair hash fails this about once in 15,000 runs of fresh ids.
  const normal = of('normal');
  const share = normal.filter((x) => keptSpans.has(x.id)).length / normal.length;
  const tolerance = 4 * Math.sqrt((0.1 * 0.9) / normal.length);
  assert.ok(Math.abs(share - 0.1) <= tolerance, `normal traces kept ${share}, expected 0.1 ± ${tolerance}`);
  t.diagnostic(
    `${split} traces split across input batches; normal kept ${share.toFixed(4)} of ${normal.length} (0.1 ± ${tolerance.toFixed(4)})`,
  );

  const totalSpans = traces.reduce((sum, x) => sum + x.spans.length, 0);
  const sent = received.reduce((s, b) => s + b.length, 0);
  const series = (s: string) => {
    const line = metrics
      .render()
      .split('\n')
      .find((l) => l.startsWith(`${s} `));
    return line ? Number(line.slice(s.length + 1)) : 0;
  };
  assert.equal(
    series('genba_processor_spans_dropped_total{processor="tail_sampling",reason="not_sampled"}'),
    totalSpans - sent,
    'every span not passed on is counted as dropped',
  );
  const votes = (policy: string) =>
    series(`genba_sampling_decisions_total{processor="tail_sampling",policy="${policy}",decision="sampled"}`);
  assert.equal(votes('errors'), of('error').length);
  assert.equal(votes('slow'), of('slow').length);
});
