/**
 * The `tail_sampling` config, keyed like the OTel Collector's: `decision_wait`, `num_traces`,
 * `expected_new_traces_per_sec`, `decision_cache`, `sample_on_first_match`,
 * `drop_pending_traces_on_shutdown` and `policies: [{ name, type, <type>: {…} }]`. Genba adds
 * `max_held_spans`, a bound on the spans held in memory. Unknown keys are refused by name, so a
 * Collector key Genba does not support (an `ottl_condition` policy, say) fails loudly.
 */
import { z } from 'zod';
import { durationField } from '../../config/duration.ts';
import { percentageField } from './config-fields.ts';

export const LEAF_POLICY_TYPES = [
  'always_sample',
  'latency',
  'numeric_attribute',
  'probabilistic',
  'status_code',
  'string_attribute',
  'boolean_attribute',
  'rate_limiting',
  'span_count',
] as const;

const nonNegInt = (key: string) =>
  z.number().int(`${key} must be an integer`).min(0, `${key} must be 0 or more`);
const key = z.string().min(1, 'key must not be empty');

const latency = z
  .strictObject({
    threshold_ms: nonNegInt('threshold_ms'),
    upper_threshold_ms: nonNegInt('upper_threshold_ms').default(0),
  })
  .superRefine((c, ctx) => {
    if (c.upper_threshold_ms !== 0 && c.upper_threshold_ms <= c.threshold_ms)
      ctx.addIssue({
        code: 'custom',
        path: ['upper_threshold_ms'],
        message: `upper_threshold_ms (${c.upper_threshold_ms}) must be 0 (no upper bound) or above threshold_ms (${c.threshold_ms})`,
      });
  });

const numericAttribute = z
  .strictObject({
    key,
    min_value: z.number().optional(),
    max_value: z.number().optional(),
    invert_match: z.boolean().default(false),
  })
  .superRefine((c, ctx) => {
    if (c.min_value === undefined && c.max_value === undefined)
      ctx.addIssue({ code: 'custom', path: ['min_value'], message: 'set min_value, max_value or both' });
    else if (c.min_value !== undefined && c.max_value !== undefined && c.min_value > c.max_value)
      ctx.addIssue({
        code: 'custom',
        path: ['max_value'],
        message: `max_value (${c.max_value}) must not be below min_value (${c.min_value})`,
      });
  });

const probabilistic = z.strictObject({
  sampling_percentage: percentageField('sampling_percentage'),
  hash_salt: z.string().default(''),
});

const statusCode = z.strictObject({
  status_codes: z
    .array(z.enum(['OK', 'ERROR', 'UNSET'], { error: 'status_codes holds OK, ERROR or UNSET' }))
    .min(1, 'status_codes must list at least one of OK, ERROR, UNSET'),
});

const stringAttribute = z
  .strictObject({
    key,
    values: z.array(z.string()).min(1, 'values must list at least one value'),
    enabled_regex_matching: z.boolean().default(false),
    /** Accepted for Collector configs; Genba keeps no match cache. */
    cache_max_size: nonNegInt('cache_max_size').optional(),
    invert_match: z.boolean().default(false),
  })
  .superRefine((c, ctx) => {
    if (!c.enabled_regex_matching) return;
    c.values.forEach((v, i) => {
      try {
        new RegExp(v);
      } catch (err) {
        ctx.addIssue({
          code: 'custom',
          path: ['values', i],
          message: `values[${i}] is not a valid regular expression: ${(err as Error).message}`,
        });
      }
    });
  });

const booleanAttribute = z.strictObject({
  key,
  value: z.boolean({ error: 'value must be true or false' }),
  invert_match: z.boolean().default(false),
});

const rateLimiting = z.strictObject({
  spans_per_second: z
    .number()
    .int('spans_per_second must be an integer')
    .positive('spans_per_second must be above 0'),
});

const spanCount = z
  .strictObject({
    min_spans: nonNegInt('min_spans').default(0),
    /** 0: no upper bound, as in the Collector. */
    max_spans: nonNegInt('max_spans').default(0),
  })
  .superRefine((c, ctx) => {
    if (c.max_spans !== 0 && c.max_spans < c.min_spans)
      ctx.addIssue({
        code: 'custom',
        path: ['max_spans'],
        message: `max_spans (${c.max_spans}) must be 0 (no upper bound) or at least min_spans (${c.min_spans})`,
      });
  });

const leafBlocks = {
  name: z.string().min(1, 'name must not be empty'),
  type: z.string(),
  latency: latency.optional(),
  numeric_attribute: numericAttribute.optional(),
  probabilistic: probabilistic.optional(),
  status_code: statusCode.optional(),
  string_attribute: stringAttribute.optional(),
  boolean_attribute: booleanAttribute.optional(),
  rate_limiting: rateLimiting.optional(),
  span_count: spanCount.optional(),
};

/** A policy of one of `types`, which must carry the block named by its type. */
function checkType(types: readonly string[]) {
  return (p: { type: string } & Record<string, unknown>, ctx: z.RefinementCtx) => {
    if (!types.includes(p.type))
      ctx.addIssue({
        code: 'custom',
        path: ['type'],
        message: `type '${p.type}' is not one of ${types.join(', ')}`,
      });
    else if (p.type !== 'always_sample' && p[p.type] === undefined)
      ctx.addIssue({
        code: 'custom',
        path: [p.type],
        message: `a ${p.type} policy needs its '${p.type}' block`,
      });
  };
}

function uniqueNames(policies: { name: string }[], ctx: z.RefinementCtx, path: PropertyKey[]): void {
  const seen = new Set<string>();
  policies.forEach((p, i) => {
    if (seen.has(p.name))
      ctx.addIssue({
        code: 'custom',
        path: [...path, i, 'name'],
        message: `policy name '${p.name}' is used twice`,
      });
    seen.add(p.name);
  });
}

export const leafPolicyConfig = z.strictObject(leafBlocks).superRefine(checkType(LEAF_POLICY_TYPES));

const and = z
  .strictObject({
    and_sub_policy: z.array(leafPolicyConfig).min(1, 'and_sub_policy needs at least one policy'),
  })
  .superRefine((c, ctx) => uniqueNames(c.and_sub_policy, ctx, ['and_sub_policy']));

const drop = z
  .strictObject({
    drop_sub_policy: z.array(leafPolicyConfig).min(1, 'drop_sub_policy needs at least one policy'),
  })
  .superRefine((c, ctx) => uniqueNames(c.drop_sub_policy, ctx, ['drop_sub_policy']));

const compositeSubPolicy = z
  .strictObject({ ...leafBlocks, and: and.optional() })
  .superRefine(checkType([...LEAF_POLICY_TYPES, 'and']));

const composite = z
  .strictObject({
    max_total_spans_per_second: z
      .number()
      .int('max_total_spans_per_second must be an integer')
      .positive('max_total_spans_per_second must be above 0'),
    policy_order: z.array(z.string()).min(1, 'policy_order must name at least one sub-policy'),
    composite_sub_policy: z
      .array(compositeSubPolicy)
      .min(1, 'composite_sub_policy needs at least one policy'),
    rate_allocation: z
      .array(
        z.strictObject({
          policy: z.string(),
          percent: z.number().refine((n) => n >= 0 && n <= 100, 'percent must be between 0 and 100'),
        }),
      )
      .default([]),
  })
  .superRefine((c, ctx) => {
    uniqueNames(c.composite_sub_policy, ctx, ['composite_sub_policy']);
    const names = new Set(c.composite_sub_policy.map((p) => p.name));
    c.policy_order.forEach((n, i) => {
      if (!names.has(n))
        ctx.addIssue({
          code: 'custom',
          path: ['policy_order', i],
          message: `policy_order names '${n}', which is not in composite_sub_policy`,
        });
    });
    c.rate_allocation.forEach((r, i) => {
      if (!names.has(r.policy))
        ctx.addIssue({
          code: 'custom',
          path: ['rate_allocation', i, 'policy'],
          message: `rate_allocation names '${r.policy}', which is not in composite_sub_policy`,
        });
    });
    const total = c.rate_allocation.reduce((s, r) => s + r.percent, 0);
    if (total > 100)
      ctx.addIssue({
        code: 'custom',
        path: ['rate_allocation'],
        message: `rate_allocation percents add up to ${total}, more than 100`,
      });
  });

export const tailPolicyConfig = z
  .strictObject({
    ...leafBlocks,
    and: and.optional(),
    drop: drop.optional(),
    composite: composite.optional(),
  })
  .superRefine(checkType([...LEAF_POLICY_TYPES, 'and', 'drop', 'composite']));

export const tailSamplingConfig = z
  .strictObject({
    decision_wait: durationField('decision_wait', '30s'),
    num_traces: z
      .number()
      .int('num_traces must be an integer')
      .positive('num_traces must be above 0')
      .default(50_000),
    /** Accepted for Collector configs; a JS Map sizes itself. */
    expected_new_traces_per_sec: nonNegInt('expected_new_traces_per_sec').default(0),
    /** How many decided trace ids are remembered for late spans; 0 here means num_traces. */
    decision_cache: z
      .strictObject({
        sampled_cache_size: nonNegInt('sampled_cache_size').default(0),
        non_sampled_cache_size: nonNegInt('non_sampled_cache_size').default(0),
      })
      .default({ sampled_cache_size: 0, non_sampled_cache_size: 0 }),
    sample_on_first_match: z.boolean().default(false),
    drop_pending_traces_on_shutdown: z.boolean().default(false),
    /** Genba's: past this many held spans the oldest traces are decided early, bounding memory. */
    max_held_spans: z
      .number()
      .int('max_held_spans must be an integer')
      .positive('max_held_spans must be above 0')
      .default(250_000),
    policies: z.array(tailPolicyConfig).min(1, 'policies needs at least one policy'),
  })
  .superRefine((c, ctx) => uniqueNames(c.policies, ctx, ['policies']));

export type TailSamplingConfig = z.output<typeof tailSamplingConfig>;
export type TailPolicyConfig = z.output<typeof tailPolicyConfig>;
export type LeafPolicyConfig = z.output<typeof leafPolicyConfig>;
export type CompositeBlock = z.output<typeof composite>;
