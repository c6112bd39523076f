import assert from 'node:assert/strict';
import { test } from 'node:test';
import { emptyScope, emptySpan, mulberry32, type Resource, type Span } from '@genba/model';
import { Metrics } from '../src/metrics.ts';
import {
  adaptiveSamplerConfig,
  createAdaptiveSampler,
  OTHER_SERVICES,
} from '../src/processors/sampling/adaptive-sampler.ts';

const rng = mulberry32(31);
const resources = new Map<string, Resource>();

function resourceOf(service: string): Resource {
  let r = resources.get(service);
  if (!r) {
    r = { attributes: { 'service.name': service }, droppedAttributesCount: 0, schemaUrl: '' };
    resources.set(service, r);
  }
  return r;
}

function randomId(bytes: number): string {
  let s = '';
  for (let i = 0; i < bytes; i++)
    s += Math.floor(rng() * 256)
      .toString(16)
      .padStart(2, '0');
  return s;
}

function span(traceId: string, service: string, root: boolean): Span {
  const s = emptySpan(resourceOf(service), emptyScope());
  s.traceId = traceId;
  s.spanId = randomId(8);
  s.parentSpanId = root ? '' : 'ffffffffffffffff';
  return s;
}

/** n new traces of the service, each a root and a child span. */
const traces = (service: string, n: number) =>
  Array.from({ length: n }, () => {
    const id = randomId(16);
    return [span(id, service, true), span(id, `${service}-db`, false)];
  });

class Recorder {
  spans: Span[] = [];
  async consume(spans: Span[]): Promise<void> {
    this.spans.push(...spans);
  }
  traceIds(): Set<string> {
    return new Set(this.spans.map((s) => s.traceId));
  }
}

function setup(config: Record<string, unknown>) {
  let now = 0;
  const out = new Recorder();
  const metrics = new Metrics();
  const sampler = createAdaptiveSampler(
    adaptiveSamplerConfig.parse(config),
    out,
    { metrics, log: { warn() {}, info() {} } },
    'adaptive_sampler',
    { now: () => now, timer: false },
  );
  return {
    sampler,
    out,
    metrics,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

test('each root service moves toward target_traces_per_second, clamped to the probability bounds', async () => {
  const { sampler, out, metrics, advance } = setup({ target_traces_per_second: 10 });
  await sampler.consume(traces('busy', 1000).flat()); // 100 traces/s over 10 s
  await sampler.consume(traces('quiet', 20).flat()); // 2 traces/s
  assert.equal(out.spans.length, 2040, 'initial_probability 1 keeps everything');
  advance(10_000);
  sampler.adjust();
  const p = sampler.probabilities();
  assert.ok(Math.abs(p.get('busy')! - 0.1) < 1e-9, `busy: ${p.get('busy')}`);
  assert.equal(p.get('quiet'), 1, 'target ÷ rate = 5, clamped to max_probability');
  assert.ok(!p.has('busy-db'), 'a trace counts for its root service only');
  assert.match(metrics.render(), /genba_adaptive_sampler_probability 0\.1\n/);

  out.spans = [];
  const busy = traces('busy', 2000);
  await sampler.consume(busy.flat());
  await sampler.consume(traces('quiet', 20).flat());
  const kept = busy.filter((t) => out.traceIds().has(t[0].traceId)).length / busy.length;
  // Binomial at n = 2000, p = 0.1: sd ≈ 0.0067, 4 sd ≈ 0.027.
  assert.ok(Math.abs(kept - 0.1) <= 4 * Math.sqrt(0.09 / 2000), `busy kept ${kept}`);
  assert.equal(out.spans.filter((s) => s.resource.attributes['service.name'] === 'quiet').length, 20);
  for (const t of busy) {
    const n = out.spans.filter((s) => s.traceId === t[0].traceId).length;
    assert.ok(n === 0 || n === 2, 'a trace is kept whole or not at all');
  }
});

test('the probability never goes below min_probability, and returns to max when traffic stops', async () => {
  const { sampler, advance } = setup({
    target_traces_per_second: 1,
    min_probability: 0.05,
    adjust_interval: '1s',
  });
  await sampler.consume(traces('flood', 1000).flat());
  advance(1000);
  sampler.adjust();
  assert.equal(sampler.probabilities().get('flood'), 0.05);
  advance(1000);
  sampler.adjust();
  assert.equal(sampler.probabilities().get('flood'), 1);
});

test('the root span names the service, even when a child span of the trace comes first', async () => {
  const { sampler, advance } = setup({ target_traces_per_second: 1 });
  const id = randomId(16);
  await sampler.consume([span(id, 'child-svc', false), span(id, 'root-svc', true)]);
  advance(10_000);
  sampler.adjust();
  assert.deepEqual([...sampler.probabilities().keys()], ['root-svc']);
});

test('a trace decided before an adjustment is not split by the new probability', async () => {
  const { sampler, out, advance } = setup({ target_traces_per_second: 1, min_probability: 0.01 });
  const early = traces('svc', 500); // all kept at probability 1
  await sampler.consume(early.map((t) => t[0]));
  advance(10_000);
  sampler.adjust(); // 50 traces/s → 0.02
  assert.ok(sampler.probabilities().get('svc')! < 0.05);
  await sampler.consume(early.map((t) => t[1]));
  assert.equal(out.spans.length, 1000, 'the second spans follow the first decision');
});

test('services beyond max_services share one slot', async () => {
  const { sampler } = setup({ target_traces_per_second: 1, max_services: 2 });
  await sampler.consume(['a', 'b', 'c', 'd'].flatMap((s) => traces(s, 1).flat()));
  assert.deepEqual([...sampler.probabilities().keys()].sort(), [OTHER_SERVICES, 'a', 'b'].sort());
});

test('decisions are consistent across instances with the same probability', async () => {
  const a = setup({ target_traces_per_second: 5 });
  const b = setup({ target_traces_per_second: 5 });
  for (const s of [a, b]) {
    await s.sampler.consume(traces('warmup', 500).flat());
    s.advance(10_000);
    s.sampler.adjust();
    s.out.spans = [];
  }
  const batch = traces('warmup', 1000);
  await a.sampler.consume(batch.flat());
  await b.sampler.consume([...batch].reverse().flat());
  assert.deepEqual([...a.out.traceIds()].sort(), [...b.out.traceIds()].sort());
  assert.ok(a.out.traceIds().size > 0 && a.out.traceIds().size < 1000);
});
