import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  type Attributes,
  emptyScope,
  emptySpan,
  mulberry32,
  type Resource,
  type Span,
  StatusCode,
} from '@genba/model';
import { Metrics } from '../src/metrics.ts';
import { createTailSampling } from '../src/processors/sampling/tail-sampling.ts';
import { tailSamplingConfig } from '../src/processors/sampling/tail-sampling-config.ts';

const T0 = 1_700_000_000_000n * 1_000_000n;
const rng = mulberry32(7);

/** Random ids, as real tracers make them (the Collector's FNV hash mixes sequential ids poorly). */
function randomTraceId(): string {
  let s = '';
  for (let i = 0; i < 4; i++)
    s += Math.floor(rng() * 2 ** 32)
      .toString(16)
      .padStart(8, '0');
  return s;
}

interface SpanSpec {
  startMs?: number;
  durMs?: number;
  status?: StatusCode;
  attrs?: Attributes;
  resource?: Attributes;
}

/** A trace of the given spans, with a fresh id; the first is the root. */
function trace(...specs: SpanSpec[]): Span[] {
  const traceId = randomTraceId();
  return specs.map((spec, i) => {
    const resource: Resource = {
      attributes: { 'service.name': 'svc', ...spec.resource },
      droppedAttributesCount: 0,
      schemaUrl: '',
    };
    const s = emptySpan(resource, emptyScope());
    s.traceId = traceId;
    s.spanId = (i + 1).toString(16).padStart(16, '0');
    s.parentSpanId = i === 0 ? '' : '0000000000000001';
    s.startTimeUnixNano = T0 + BigInt(spec.startMs ?? 0) * 1_000_000n;
    s.endTimeUnixNano = s.startTimeUnixNano + BigInt(spec.durMs ?? 10) * 1_000_000n;
    s.status = { code: spec.status ?? StatusCode.UNSET, message: '' };
    s.attributes = spec.attrs ?? {};
    return s;
  });
}

/** Feeds the traces to a tail sampler with these policies; returns which were kept, in order. */
async function decide(policies: unknown[], ...traces: Span[][]): Promise<boolean[]> {
  let now = 0;
  const kept = new Set<string>();
  const sampler = createTailSampling(
    tailSamplingConfig.parse({ decision_wait: '1s', policies }),
    {
      consume: async (spans) => {
        for (const s of spans) kept.add(s.traceId);
      },
    },
    { metrics: new Metrics(), log: { warn() {}, info() {} } },
    'tail_sampling',
    { now: () => now, timer: false },
  );
  for (const t of traces) await sampler.consume(t);
  now += 1000;
  await sampler.tick();
  await sampler.shutdown();
  return traces.map((t) => kept.has(t[0].traceId));
}

const one = async (policy: unknown, t: Span[]) => (await decide([policy], t))[0];

test('always_sample keeps every trace', async () => {
  assert.deepEqual(await decide([{ name: 'all', type: 'always_sample' }], trace({}), trace({}, {})), [
    true,
    true,
  ]);
});

test('status_code keeps a trace with a span of a listed status, and only such traces', async () => {
  const p = { name: 'errors', type: 'status_code', status_code: { status_codes: ['ERROR'] } };
  assert.equal(await one(p, trace({ status: StatusCode.OK }, { status: StatusCode.ERROR })), true);
  assert.equal(await one(p, trace({ status: StatusCode.OK }, { status: StatusCode.UNSET })), false);
  const okOrUnset = { ...p, status_code: { status_codes: ['OK', 'UNSET'] } };
  assert.equal(await one(okOrUnset, trace({ status: StatusCode.UNSET })), true);
});

test('latency measures the whole trace, earliest start to latest end, not single spans', async () => {
  const p = { name: 'slow', type: 'latency', latency: { threshold_ms: 1000 } };
  // Two 10 ms spans 1.2 s apart: the trace lasts 1210 ms.
  assert.equal(await one(p, trace({ startMs: 0 }, { startMs: 1200 })), true);
  assert.equal(await one(p, trace({ startMs: 0, durMs: 300 }, { startMs: 100, durMs: 500 })), false);
  const band = { name: 'band', type: 'latency', latency: { threshold_ms: 1000, upper_threshold_ms: 2000 } };
  assert.equal(await one(band, trace({ startMs: 0, durMs: 1500 })), true);
  assert.equal(await one(band, trace({ startMs: 0, durMs: 2500 })), false, 'above upper_threshold_ms');
  assert.equal(await one(band, trace({ startMs: 0, durMs: 1000 })), false, 'the lower bound is exclusive');
});

test('probabilistic keeps all at 100%, none at 0%, and decides by trace id only', async () => {
  const all = { name: 'p', type: 'probabilistic', probabilistic: { sampling_percentage: 100 } };
  const none = { name: 'p', type: 'probabilistic', probabilistic: { sampling_percentage: 0 } };
  assert.equal(await one(all, trace({})), true);
  assert.equal(await one(none, trace({})), false);
  const half = {
    name: 'p',
    type: 'probabilistic',
    probabilistic: { sampling_percentage: 50, hash_salt: 's' },
  };
  const t = trace({});
  const first = await one(half, t);
  assert.equal(await one(half, t), first, 'the same trace gets the same answer');
  const results = await decide([half], ...Array.from({ length: 400 }, () => trace({})));
  const share = results.filter(Boolean).length / results.length;
  // sd at n = 400 is 0.025; 4 sd = 0.1.
  assert.ok(Math.abs(share - 0.5) <= 0.1, `kept ${share}`);
});

test('string_attribute matches span or resource attributes, exactly or by regex', async () => {
  const p = {
    name: 's',
    type: 'string_attribute',
    string_attribute: { key: 'http.route', values: ['/pay'] },
  };
  assert.equal(await one(p, trace({}, { attrs: { 'http.route': '/pay' } })), true);
  assert.equal(await one(p, trace({ resource: { 'http.route': '/pay' } })), true, 'resource attribute');
  assert.equal(await one(p, trace({ attrs: { 'http.route': '/payments' } })), false, 'exact match only');
  assert.equal(await one(p, trace({ attrs: { other: '/pay' } })), false);
  const re = {
    name: 's',
    type: 'string_attribute',
    string_attribute: { key: 'http.route', values: ['^/v1/name/.+'], enabled_regex_matching: true },
  };
  assert.equal(await one(re, trace({ attrs: { 'http.route': '/v1/name/42' } })), true);
  assert.equal(await one(re, trace({ attrs: { 'http.route': '/v2/name/42' } })), false);
});

test('invert_match: a matching trace is vetoed even when another policy samples it', async () => {
  const noHealth = {
    name: 'no-health',
    type: 'string_attribute',
    string_attribute: { key: 'http.route', values: ['/health'], invert_match: true },
  };
  const all = { name: 'all', type: 'always_sample' };
  const [health, other] = await decide(
    [noHealth, all],
    trace({ attrs: { 'http.route': '/health' } }),
    trace({ attrs: { 'http.route': '/pay' } }),
  );
  assert.equal(health, false, 'inverted not-sampled wins over always_sample');
  assert.equal(other, true);
  // Alone, an inverted policy samples what does not match.
  assert.equal(await one(noHealth, trace({ attrs: { 'http.route': '/pay' } })), true);
  // ... unless another policy said not-sampled.
  const errors = { name: 'e', type: 'status_code', status_code: { status_codes: ['ERROR'] } };
  assert.deepEqual(await decide([noHealth, errors], trace({ attrs: { 'http.route': '/pay' } })), [false]);
});

test('numeric_attribute keeps values in [min_value, max_value], ints and doubles', async () => {
  const p = {
    name: 'n',
    type: 'numeric_attribute',
    numeric_attribute: { key: 'http.status_code', min_value: 500, max_value: 599 },
  };
  assert.equal(await one(p, trace({ attrs: { 'http.status_code': 503n } })), true);
  assert.equal(await one(p, trace({ attrs: { 'http.status_code': 500.0 } })), true);
  assert.equal(await one(p, trace({ attrs: { 'http.status_code': 404n } })), false);
  assert.equal(
    await one(p, trace({ attrs: { 'http.status_code': '503' } })),
    false,
    'a string is not a number',
  );
  const minOnly = {
    name: 'n',
    type: 'numeric_attribute',
    numeric_attribute: { key: 'retries', min_value: 3 },
  };
  assert.equal(await one(minOnly, trace({ resource: { retries: 7n } })), true);
  const inverted = { ...p, numeric_attribute: { ...p.numeric_attribute, invert_match: true } };
  assert.equal(await one(inverted, trace({ attrs: { 'http.status_code': 503n } })), false);
  assert.equal(await one(inverted, trace({ attrs: { 'http.status_code': 200n } })), true);
});

test('boolean_attribute keeps traces where the key holds the value', async () => {
  const p = {
    name: 'b',
    type: 'boolean_attribute',
    boolean_attribute: { key: 'app.force_sample', value: true },
  };
  assert.equal(await one(p, trace({}, { attrs: { 'app.force_sample': true } })), true);
  assert.equal(await one(p, trace({ attrs: { 'app.force_sample': false } })), false);
  assert.equal(
    await one(p, trace({ attrs: { 'app.force_sample': 'true' } })),
    false,
    'a string is not a bool',
  );
  const inverted = { ...p, boolean_attribute: { ...p.boolean_attribute, invert_match: true } };
  assert.equal(await one(inverted, trace({ attrs: { 'app.force_sample': true } })), false);
});

test('rate_limiting keeps traces while spans_per_second (burst of two seconds) has room', async () => {
  const p = { name: 'r', type: 'rate_limiting', rate_limiting: { spans_per_second: 5 } };
  const four = () => trace({}, {}, {}, {});
  // Burst 10 spans: the first two 4-span traces fit (8), the third (12) does not.
  assert.deepEqual(await decide([p], four(), four(), four()), [true, true, false]);
});

test('span_count keeps traces with min_spans..max_spans spans', async () => {
  const p = { name: 'c', type: 'span_count', span_count: { min_spans: 2, max_spans: 3 } };
  assert.deepEqual(await decide([p], trace({}), trace({}, {}), trace({}, {}, {}), trace({}, {}, {}, {})), [
    false,
    true,
    true,
    false,
  ]);
});

test('and keeps a trace only when every sub-policy samples it', async () => {
  const p = {
    name: 'pay-errors',
    type: 'and',
    and: {
      and_sub_policy: [
        {
          name: 'pay',
          type: 'string_attribute',
          string_attribute: { key: 'service.name', values: ['payments'] },
        },
        { name: 'err', type: 'status_code', status_code: { status_codes: ['ERROR'] } },
      ],
    },
  };
  const [both, serviceOnly, errorOnly] = await decide(
    [p],
    trace({ resource: { 'service.name': 'payments' }, status: StatusCode.ERROR }),
    trace({ resource: { 'service.name': 'payments' } }),
    trace({ status: StatusCode.ERROR }),
  );
  assert.deepEqual([both, serviceOnly, errorOnly], [true, false, false]);
});

test('drop vetoes traces that every drop sub-policy matches', async () => {
  const p = {
    name: 'no-probes',
    type: 'drop',
    drop: {
      drop_sub_policy: [
        {
          name: 'probe',
          type: 'string_attribute',
          string_attribute: { key: 'http.route', values: ['/ready'] },
        },
      ],
    },
  };
  const all = { name: 'all', type: 'always_sample' };
  assert.deepEqual(
    await decide(
      [all, p],
      trace({ attrs: { 'http.route': '/ready' } }),
      trace({ attrs: { 'http.route': '/x' } }),
    ),
    [false, true],
  );
});

test('composite gives each sub-policy its share of spans per second, in policy_order', async () => {
  const p = {
    name: 'budget',
    type: 'composite',
    composite: {
      max_total_spans_per_second: 10,
      policy_order: ['errors', 'rest'],
      composite_sub_policy: [
        { name: 'errors', type: 'status_code', status_code: { status_codes: ['ERROR'] } },
        { name: 'rest', type: 'always_sample' },
      ],
      rate_allocation: [{ policy: 'errors', percent: 50 }],
    },
  };
  const err = () => trace({ status: StatusCode.ERROR }, {}, {}, {});
  const ok = () => trace({}, {}, {}, {});
  // errors may take 5 spans/s, the rest the other 5: one 4-span trace each within this second.
  assert.deepEqual(await decide([p], err(), err(), ok(), ok()), [true, false, true, false]);
});

test('composite counters restart each second of the clock', async () => {
  const p = {
    name: 'budget',
    type: 'composite',
    composite: {
      max_total_spans_per_second: 4,
      policy_order: ['all'],
      composite_sub_policy: [{ name: 'all', type: 'always_sample' }],
    },
  };
  let now = 0;
  const kept = new Set<string>();
  const sampler = createTailSampling(
    tailSamplingConfig.parse({ decision_wait: '1s', policies: [p] }),
    {
      consume: async (spans) => {
        for (const s of spans) kept.add(s.traceId);
      },
    },
    { metrics: new Metrics(), log: { warn() {}, info() {} } },
    'tail_sampling',
    { now: () => now, timer: false },
  );
  const a = trace({}, {}, {});
  const b = trace({}, {}, {});
  await sampler.consume(a);
  now = 300;
  await sampler.consume(b);
  now = 1000;
  await sampler.tick(); // a decided in second 1: 3 of 4 spans
  now = 1400;
  await sampler.tick(); // b decided, still in second 1: 6 > 4, not sampled
  const c = trace({}, {}, {});
  await sampler.consume(c);
  now = 2400;
  await sampler.tick(); // c decided in second 2: counters restarted
  await sampler.shutdown();
  assert.deepEqual(
    [a, b, c].map((t) => kept.has(t[0].traceId)),
    [true, false, true],
  );
});
