/** Turns a validated policy config into its evaluator. */
import {
  booleanAttributePolicy,
  numericAttributePolicy,
  stringAttributePolicy,
} from './attribute-policies.ts';
import { andPolicy, compositePolicy, dropPolicy } from './combined-policies.ts';
import type { Evaluator } from './policy.ts';
import type { LeafPolicyConfig, TailPolicyConfig } from './tail-sampling-config.ts';
import {
  alwaysSample,
  latencyPolicy,
  probabilisticPolicy,
  rateLimitingPolicy,
  spanCountPolicy,
  statusCodePolicy,
} from './trace-policies.ts';

/** Any policy the schema accepts, at any depth (the blocks a level does not allow are absent). */
type AnyPolicy = LeafPolicyConfig & Partial<Pick<TailPolicyConfig, 'and' | 'drop' | 'composite'>>;

/** `now` starts the clocks of the rate-limited policies. */
export function buildPolicy(p: AnyPolicy, now: number): Evaluator {
  const sub = (q: AnyPolicy) => buildPolicy(q, now);
  switch (p.type) {
    case 'always_sample':
      return alwaysSample;
    case 'latency':
      return latencyPolicy(p.latency!);
    case 'status_code':
      return statusCodePolicy(p.status_code!);
    case 'probabilistic':
      return probabilisticPolicy(p.probabilistic!);
    case 'rate_limiting':
      return rateLimitingPolicy(p.rate_limiting!, now);
    case 'span_count':
      return spanCountPolicy(p.span_count!);
    case 'string_attribute':
      return stringAttributePolicy(p.string_attribute!);
    case 'numeric_attribute':
      return numericAttributePolicy(p.numeric_attribute!);
    case 'boolean_attribute':
      return booleanAttributePolicy(p.boolean_attribute!);
    case 'and':
      return andPolicy(p.and!.and_sub_policy.map(sub));
    case 'drop':
      return dropPolicy(p.drop!.drop_sub_policy.map(sub));
    case 'composite':
      return compositePolicy(p.composite!, sub);
    default:
      // The schema refuses other types; reaching here is a bug.
      throw new Error(`unknown tail sampling policy type '${p.type}'`);
  }
}
