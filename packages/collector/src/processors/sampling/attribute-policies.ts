/**
 * Policies on one attribute of a span or of its resource (`string_attribute`,
 * `numeric_attribute`, `boolean_attribute`). A trace matches when any span, or any span's
 * resource, holds a matching value. With `invert_match` the vote is the Collector's inverted one:
 * `inverted_not_sampled` when anything matches (which vetoes the trace), else `inverted_sampled`.
 */
import type { AttributeValue, Span } from '@genba/model';
import type { Decision, Evaluator, TraceData } from './policy.ts';
import type { LeafPolicyConfig } from './tail-sampling-config.ts';

type Block<K extends keyof LeafPolicyConfig> = NonNullable<LeafPolicyConfig[K]>;

function anyMatch(trace: TraceData, key: string, matches: (v: AttributeValue) => boolean): boolean {
  let lastResource: Span['resource'] | undefined;
  for (const s of trace.spans) {
    // Spans of one batch share their resource object; check each resource once in a row.
    if (s.resource !== lastResource) {
      lastResource = s.resource;
      const r = s.resource.attributes[key];
      if (r !== undefined && matches(r)) return true;
    }
    const v = s.attributes[key];
    if (v !== undefined && matches(v)) return true;
  }
  return false;
}

function attributePolicy(key: string, invert: boolean, matches: (v: AttributeValue) => boolean): Evaluator {
  return {
    evaluate(trace): Decision {
      const hit = anyMatch(trace, key, matches);
      if (invert) return hit ? 'inverted_not_sampled' : 'inverted_sampled';
      return hit ? 'sampled' : 'not_sampled';
    },
  };
}

export function stringAttributePolicy(c: Block<'string_attribute'>): Evaluator {
  let test: (s: string) => boolean;
  if (c.enabled_regex_matching) {
    // Unanchored, as Go's MatchString: a pattern matches anywhere unless it anchors itself.
    const patterns = c.values.map((v) => new RegExp(v));
    test = (s) => patterns.some((p) => p.test(s));
  } else {
    const values = new Set(c.values.filter((v) => v !== ''));
    test = (s) => values.has(s);
  }
  return attributePolicy(c.key, c.invert_match, (v) => typeof v === 'string' && v !== '' && test(v));
}

export function numericAttributePolicy(c: Block<'numeric_attribute'>): Evaluator {
  const { min_value: min, max_value: max } = c;
  // Ints (bigint) and doubles (number) both count; JS compares a bigint with a number exactly.
  const inRange = (v: AttributeValue) =>
    (typeof v === 'bigint' || typeof v === 'number') &&
    (min === undefined || v >= min) &&
    (max === undefined || v <= max);
  return attributePolicy(c.key, c.invert_match, inRange);
}

export function booleanAttributePolicy(c: Block<'boolean_attribute'>): Evaluator {
  return attributePolicy(c.key, c.invert_match, (v) => v === c.value);
}
