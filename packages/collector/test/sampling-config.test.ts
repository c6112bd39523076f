import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ZodType } from 'zod';
import { adaptiveSamplerConfig } from '../src/processors/sampling/adaptive-sampler.ts';
import { probabilisticSamplerConfig } from '../src/processors/sampling/probabilistic-sampler.ts';
import { rateLimitingConfig } from '../src/processors/sampling/rate-limiting.ts';
import { tailSamplingConfig } from '../src/processors/sampling/tail-sampling-config.ts';

/** Each problem as `path: message`, the way a config loader reports it. */
function problems(schema: ZodType, input: unknown): string[] {
  const r = schema.safeParse(input);
  assert.equal(r.success, false, 'the config is refused');
  return r.error!.issues.map((i) => `${i.path.map(String).join('.')}: ${i.message}`);
}

function assertNames(schema: ZodType, input: unknown, path: string, text?: RegExp): void {
  const list = problems(schema, input);
  const hit = list.find((p) => p.startsWith(`${path}:`));
  assert.ok(hit, `a problem at ${path}; got ${JSON.stringify(list)}`);
  if (text) assert.match(hit, text);
}

const errors = { name: 'errors', type: 'status_code', status_code: { status_codes: ['ERROR'] } };

test('tail_sampling defaults are the Collector’s', () => {
  const c = tailSamplingConfig.parse({ policies: [errors] });
  assert.equal(c.decision_wait, '30s');
  assert.equal(c.num_traces, 50_000);
  assert.equal(c.expected_new_traces_per_sec, 0);
  assert.equal(c.sample_on_first_match, false);
});

test('tail_sampling errors name the bad key', () => {
  assertNames(
    tailSamplingConfig,
    { policies: [errors], decision_wait: 'soon' },
    'decision_wait',
    /decision_wait/,
  );
  assertNames(tailSamplingConfig, { policies: [errors], num_traces: 0 }, 'num_traces', /num_traces/);
  assertNames(tailSamplingConfig, { policies: [] }, 'policies', /at least one/);
  assertNames(tailSamplingConfig, { policies: [errors], polices: [] }, '', /polices/);
  assertNames(
    tailSamplingConfig,
    { policies: [{ name: 'slow', type: 'latency', latency: { threshold_ms: 'a lot' } }] },
    'policies.0.latency.threshold_ms',
  );
  assertNames(
    tailSamplingConfig,
    {
      policies: [{ name: 'slow', type: 'latency', latency: { threshold_ms: 500, upper_threshold_ms: 100 } }],
    },
    'policies.0.latency.upper_threshold_ms',
    /upper_threshold_ms/,
  );
  assertNames(
    tailSamplingConfig,
    { policies: [{ name: 'x', type: 'latency' }] },
    'policies.0.latency',
    /latency/,
  );
  assertNames(
    tailSamplingConfig,
    { policies: [{ name: 'x', type: 'ottl_condition' }] },
    'policies.0.type',
    /ottl/,
  );
  assertNames(
    tailSamplingConfig,
    { policies: [{ name: 'x', type: 'status_code', status_code: { status_codes: ['FAILED'] } }] },
    'policies.0.status_code.status_codes.0',
    /status_codes/,
  );
  assertNames(
    tailSamplingConfig,
    { policies: [{ name: 'x', type: 'probabilistic', probabilistic: { sampling_percentage: 150 } }] },
    'policies.0.probabilistic.sampling_percentage',
    /sampling_percentage/,
  );
  assertNames(
    tailSamplingConfig,
    {
      policies: [
        {
          name: 'x',
          type: 'string_attribute',
          string_attribute: { key: 'k', values: ['ok', '(unclosed'], enabled_regex_matching: true },
        },
      ],
    },
    'policies.0.string_attribute.values.1',
    /regular expression/,
  );
  assertNames(
    tailSamplingConfig,
    { policies: [{ name: 'x', type: 'numeric_attribute', numeric_attribute: { key: 'k' } }] },
    'policies.0.numeric_attribute.min_value',
    /min_value/,
  );
  assertNames(tailSamplingConfig, { policies: [errors, errors] }, 'policies.1.name', /errors/);
});

test('and and composite sub-policies are checked, with the path down to the key', () => {
  assertNames(
    tailSamplingConfig,
    {
      policies: [
        {
          name: 'a',
          type: 'and',
          and: { and_sub_policy: [{ name: 's', type: 'span_count', span_count: { min_spans: -1 } }] },
        },
      ],
    },
    'policies.0.and.and_sub_policy.0.span_count.min_spans',
    /min_spans/,
  );
  const composite = (extra: Record<string, unknown>) => ({
    policies: [
      {
        name: 'c',
        type: 'composite',
        composite: {
          max_total_spans_per_second: 100,
          policy_order: ['all'],
          composite_sub_policy: [{ name: 'all', type: 'always_sample' }],
          ...extra,
        },
      },
    ],
  });
  assert.ok(tailSamplingConfig.safeParse(composite({})).success);
  assertNames(
    tailSamplingConfig,
    composite({ policy_order: ['missing'] }),
    'policies.0.composite.policy_order.0',
    /missing/,
  );
  assertNames(
    tailSamplingConfig,
    composite({ rate_allocation: [{ policy: 'all', percent: 120 }] }),
    'policies.0.composite.rate_allocation.0.percent',
    /percent/,
  );
  assertNames(
    tailSamplingConfig,
    composite({ max_total_spans_per_second: 0 }),
    'policies.0.composite.max_total_spans_per_second',
    /max_total_spans_per_second/,
  );
});

test('probabilistic_sampler, rate_limiting and adaptive_sampler errors name the bad key', () => {
  assertNames(
    probabilisticSamplerConfig,
    { sampling_percentage: 101 },
    'sampling_percentage',
    /sampling_percentage/,
  );
  assertNames(
    probabilisticSamplerConfig,
    { sampling_percentage: 5, hash_seed: -1 },
    'hash_seed',
    /hash_seed/,
  );
  assertNames(probabilisticSamplerConfig, { sampling_percentage: 5, mode: 'proportional' }, '', /mode/);
  assertNames(rateLimitingConfig, { traces_per_second: 0 }, 'traces_per_second', /traces_per_second/);
  assertNames(
    adaptiveSamplerConfig,
    { target_traces_per_second: 10, min_probability: 2 },
    'min_probability',
    /min_probability/,
  );
  assertNames(
    adaptiveSamplerConfig,
    { target_traces_per_second: 10, min_probability: 0.5, max_probability: 0.2 },
    'min_probability',
    /max_probability/,
  );
  assertNames(
    adaptiveSamplerConfig,
    { target_traces_per_second: 10, adjust_interval: '0s' },
    'adjust_interval',
    /adjust_interval/,
  );
  const c = adaptiveSamplerConfig.parse({ target_traces_per_second: 10 });
  assert.deepEqual(
    [c.min_probability, c.max_probability, c.adjust_interval, c.initial_probability],
    [0.01, 1, '10s', 1],
  );
});
