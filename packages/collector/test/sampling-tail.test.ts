import assert from 'node:assert/strict';
import { test } from 'node:test';
import { emptyResource, emptyScope, emptySpan, GenbaError, type Span, StatusCode } from '@genba/model';
import { Metrics } from '../src/metrics.ts';
import { createTailSampling } from '../src/processors/sampling/tail-sampling.ts';
import { tailSamplingConfig } from '../src/processors/sampling/tail-sampling-config.ts';

const traceId = (n: number) => `${'ab'.repeat(8)}${n.toString(16).padStart(16, '0')}`;

function span(trace: number, n: number, opts: { error?: boolean; attrs?: Span['attributes'] } = {}): Span {
  const s = emptySpan(emptyResource(), emptyScope());
  s.traceId = traceId(trace);
  s.spanId = n.toString(16).padStart(16, '0');
  s.status = { code: opts.error ? StatusCode.ERROR : StatusCode.UNSET, message: '' };
  s.attributes = opts.attrs ?? {};
  return s;
}

class Recorder {
  batches: Span[][] = [];
  refuse = false;
  async consume(spans: Span[]): Promise<void> {
    if (this.refuse) throw new GenbaError('unavailable', 'store is down');
    this.batches.push(spans);
  }
  spansOf(trace: number): Span[] {
    return this.batches.flat().filter((s) => s.traceId === traceId(trace));
  }
}

function metric(metrics: Metrics, series: string): number {
  const line = metrics
    .render()
    .split('\n')
    .find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

function setup(config: Record<string, unknown>) {
  let now = 0;
  const out = new Recorder();
  const metrics = new Metrics();
  const sampler = createTailSampling(
    tailSamplingConfig.parse({ decision_wait: '1s', ...config }),
    out,
    { metrics, log: { warn() {}, info() {} } },
    'tail_sampling',
    { now: () => now, timer: false },
  );
  return {
    sampler,
    out,
    metrics,
    at: (ms: number) => {
      now = ms;
    },
  };
}

const ALL = [{ name: 'all', type: 'always_sample' }];
const ERRORS = [{ name: 'errors', type: 'status_code', status_code: { status_codes: ['ERROR'] } }];

test('spans are held until decision_wait after the first span, then the trace goes on whole', async () => {
  const { sampler, out, metrics, at } = setup({ policies: ALL });
  await sampler.consume([span(1, 1), span(1, 2)]);
  at(500);
  await sampler.consume([span(1, 3), span(2, 1)]);
  assert.equal(sampler.held, 2);
  assert.equal(metric(metrics, 'genba_tail_sampling_traces_held'), 2);
  at(999);
  await sampler.tick();
  assert.equal(out.batches.length, 0, 'nothing before decision_wait');
  at(1000);
  await sampler.tick();
  assert.equal(out.batches.length, 1);
  assert.deepEqual(
    out.batches[0].map((s) => s.spanId),
    [1, 2, 3].map((n) => n.toString(16).padStart(16, '0')),
  );
  assert.equal(sampler.held, 1, 'trace 2 started at 500 ms and waits until 1500 ms');
  at(1500);
  await sampler.tick();
  assert.equal(out.spansOf(2).length, 1);
  assert.equal(sampler.held, 0);
  await sampler.shutdown();
});

test('a late span follows its trace decision: passed on when sampled, dropped and counted when not', async () => {
  const { sampler, out, metrics, at } = setup({ policies: ERRORS });
  await sampler.consume([span(1, 1, { error: true }), span(2, 1)]);
  at(1000);
  await sampler.tick();
  assert.equal(out.spansOf(1).length, 1);
  assert.equal(out.spansOf(2).length, 0);
  // Trace 2's late span has an error, but trace 2 was decided already.
  await sampler.consume([span(1, 2), span(2, 2, { error: true })]);
  assert.equal(out.spansOf(1).length, 2, 'the late span of the sampled trace is passed on at once');
  assert.equal(out.spansOf(2).length, 0);
  assert.equal(sampler.held, 0, 'late spans are not held again');
  assert.equal(
    metric(metrics, 'genba_processor_spans_dropped_total{processor="tail_sampling",reason="not_sampled"}'),
    2,
  );
  await sampler.shutdown();
});

test('a refused late span is refused to the caller, so its client retries', async () => {
  const { sampler, out, at } = setup({ policies: ALL });
  await sampler.consume([span(1, 1)]);
  at(1000);
  await sampler.tick();
  out.refuse = true;
  await assert.rejects(sampler.consume([span(1, 2)]), /store is down/);
  out.refuse = false;
  await sampler.consume([span(1, 2)]);
  assert.equal(out.spansOf(1).length, 2);
  await sampler.shutdown();
});

test('past num_traces the oldest trace is decided early, on its spans so far, and counted', async () => {
  const { sampler, out, metrics } = setup({ num_traces: 3, policies: ERRORS });
  await sampler.consume([span(1, 1, { error: true }), span(2, 1), span(3, 1)]);
  await sampler.consume([span(4, 1), span(5, 1)]);
  assert.equal(sampler.held, 3);
  assert.equal(out.spansOf(1).length, 1, 'trace 1 (error) was decided early and kept');
  assert.equal(
    metric(
      metrics,
      'genba_tail_sampling_early_decisions_total{processor="tail_sampling",reason="num_traces"}',
    ),
    2,
  );
  // Trace 2 was decided (not sampled) early; its later error span follows that decision.
  await sampler.consume([span(2, 2, { error: true }), span(1, 2)]);
  assert.equal(out.spansOf(2).length, 0);
  assert.equal(out.spansOf(1).length, 2, 'trace 1 is not split: its late span follows');
  await sampler.shutdown();
});

test('max_held_spans decides the oldest traces early, and a big trace still arrives whole', async () => {
  const { sampler, out, metrics } = setup({ max_held_spans: 10, policies: ALL });
  await sampler.consume(Array.from({ length: 12 }, (_, i) => span(1, i + 1)));
  assert.equal(out.spansOf(1).length, 12);
  assert.equal(sampler.held, 0);
  assert.equal(
    metric(
      metrics,
      'genba_tail_sampling_early_decisions_total{processor="tail_sampling",reason="max_held_spans"}',
    ),
    1,
  );
  await sampler.shutdown();
});

test('shutdown decides every held trace now and flushes the sampled ones; later input is refused', async () => {
  const { sampler, out } = setup({ policies: ERRORS });
  await sampler.consume([span(1, 1, { error: true }), span(1, 2), span(2, 1)]);
  await sampler.shutdown();
  assert.equal(out.spansOf(1).length, 2);
  assert.equal(out.spansOf(2).length, 0);
  assert.equal(sampler.held, 0);
  await assert.rejects(
    sampler.consume([span(3, 1)]),
    (err: unknown) => (err as GenbaError).code === 'unavailable',
  );
});

test('drop_pending_traces_on_shutdown drops held traces and counts them', async () => {
  const { sampler, out, metrics } = setup({ drop_pending_traces_on_shutdown: true, policies: ALL });
  await sampler.consume([span(1, 1), span(1, 2)]);
  await sampler.shutdown();
  assert.equal(out.batches.length, 0);
  assert.equal(
    metric(metrics, 'genba_processor_spans_dropped_total{processor="tail_sampling",reason="shutdown"}'),
    2,
  );
});

test('when the next stage refuses a sampled batch its spans are counted as dropped (next_refused)', async () => {
  const { sampler, out, metrics, at } = setup({ policies: ALL });
  await sampler.consume([span(1, 1), span(1, 2), span(2, 1)]);
  out.refuse = true;
  at(1000);
  await sampler.tick(); // does not throw: there is no caller to tell
  assert.equal(
    metric(metrics, 'genba_processor_spans_dropped_total{processor="tail_sampling",reason="next_refused"}'),
    3,
  );
  await sampler.shutdown();
});

test('decisions are counted per policy evaluated; sample_on_first_match stops at the first sample', async () => {
  const policies = [...ERRORS, ...ALL];
  const plain = setup({ policies });
  await plain.sampler.consume([span(1, 1, { error: true }), span(2, 1)]);
  await plain.sampler.shutdown();
  const m = plain.metrics;
  const count = (policy: string, decision: string) =>
    metric(
      m,
      `genba_sampling_decisions_total{processor="tail_sampling",policy="${policy}",decision="${decision}"}`,
    );
  assert.deepEqual(
    [count('errors', 'sampled'), count('errors', 'not_sampled'), count('all', 'sampled')],
    [1, 1, 2],
  );

  const first = setup({ policies, sample_on_first_match: true });
  await first.sampler.consume([span(1, 1, { error: true }), span(2, 1)]);
  await first.sampler.shutdown();
  const c = (policy: string, decision: string) =>
    metric(
      first.metrics,
      `genba_sampling_decisions_total{processor="tail_sampling",policy="${policy}",decision="${decision}"}`,
    );
  assert.equal(c('all', 'sampled'), 1, 'only trace 2 reached the second policy');
  assert.equal(first.out.spansOf(1).length + first.out.spansOf(2).length, 2);
});

test('two tail samplers on one Metrics add up in the held-traces gauge', async () => {
  const metrics = new Metrics();
  const make = () =>
    createTailSampling(
      tailSamplingConfig.parse({ policies: ALL }),
      new Recorder(),
      { metrics, log: { warn() {}, info() {} } },
      'tail_sampling',
      { now: () => 0, timer: false },
    );
  const a = make();
  const b = make();
  await a.consume([span(1, 1)]);
  await b.consume([span(2, 1), span(3, 1)]);
  assert.equal(metric(metrics, 'genba_tail_sampling_traces_held'), 3);
  await a.shutdown();
  assert.equal(metric(metrics, 'genba_tail_sampling_traces_held'), 2);
  await b.shutdown();
});

test('with its own timer running, a held trace is decided and sent without tick()', async () => {
  let resolve: (spans: Span[]) => void = () => {};
  const arrived = new Promise<Span[]>((r) => {
    resolve = r;
  });
  const sampler = createTailSampling(
    tailSamplingConfig.parse({ decision_wait: '20ms', policies: ALL }),
    {
      consume: async (spans) => {
        resolve(spans);
      },
    },
    { metrics: new Metrics(), log: { warn() {}, info() {} } },
  );
  await sampler.consume([span(1, 1), span(1, 2)]);
  // The sampler's timer is unref'd (it must not keep a process alive); this one keeps the test's.
  const keepAlive = setInterval(() => {}, 1000);
  // No assertion on timing: only that the timer decides the trace at all.
  const spans = await arrived.finally(() => clearInterval(keepAlive));
  assert.equal(spans.length, 2);
  assert.equal(sampler.held, 0);
  await sampler.shutdown();
});
