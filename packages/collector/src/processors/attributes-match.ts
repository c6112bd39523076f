/**
 * The `include` / `exclude` properties of the `attributes` processor, as the Collector defines
 * them for spans: `match_type` (strict or regexp) and any of `services`, `span_names`,
 * `attributes`. Every property given must match; within `services` and `span_names` one item
 * matching is enough; every listed attribute must match (an attribute with no `value` matches
 * when the key is present). Regexps match anywhere in the text unless anchored, as Go's do.
 */
import type { AttributeValue, Span } from '@genba/model';
import { serviceName } from '@genba/model';
import { z } from 'zod';
import { asString, type ConfigValue, compileConfigRegex, fromConfig, sameValue } from './attributes-value.ts';

export const configValue: z.ZodType<ConfigValue> = z.lazy(() =>
  z.union([z.string(), z.number(), z.bigint(), z.boolean(), z.array(configValue)]),
);

export const matchProperties = z
  .object({
    match_type: z.enum(['strict', 'regexp']),
    services: z.array(z.string()).optional(),
    span_names: z.array(z.string()).optional(),
    attributes: z
      .array(
        z.object({ key: z.string().min(1, 'key must not be empty'), value: configValue.optional() }).strict(),
      )
      .optional(),
  })
  .strict()
  .superRefine((m, ctx) => {
    if (!m.services?.length && !m.span_names?.length && !m.attributes?.length)
      ctx.addIssue({
        code: 'custom',
        path: ['match_type'],
        message: 'name at least one of services, span_names or attributes to match',
      });
    if (m.match_type !== 'regexp') return;
    const check = (source: string, path: (string | number)[]) => {
      try {
        compileConfigRegex(source);
      } catch (err) {
        ctx.addIssue({
          code: 'custom',
          path,
          message: `invalid regexp "${source}": ${(err as Error).message}`,
        });
      }
    };
    m.services?.forEach((s, i) => {
      check(s, ['services', i]);
    });
    m.span_names?.forEach((s, i) => {
      check(s, ['span_names', i]);
    });
    m.attributes?.forEach((a, i) => {
      if (a.value === undefined) return;
      if (typeof a.value !== 'string')
        ctx.addIssue({
          code: 'custom',
          path: ['attributes', i, 'value'],
          message: 'with match_type regexp the value must be a string (a regexp)',
        });
      else check(a.value, ['attributes', i, 'value']);
    });
  });

export type MatchProperties = z.output<typeof matchProperties>;

/** A compiled `include`/`exclude`: true when the span has every property given. */
export type SpanMatcher = (span: Span) => boolean;

export function compileMatcher(m: MatchProperties): SpanMatcher {
  const tests: ((span: Span) => boolean)[] = [];
  const regexp = m.match_type === 'regexp';
  const anyOf = (items: string[]): ((text: string) => boolean) => {
    if (!regexp) {
      const set = new Set(items);
      return (t) => set.has(t);
    }
    const res = items.map(compileConfigRegex);
    return (t) => res.some((r) => r.test(t));
  };
  if (m.services?.length) {
    const test = anyOf(m.services);
    tests.push((s) => test(serviceName(s)));
  }
  if (m.span_names?.length) {
    const test = anyOf(m.span_names);
    tests.push((s) => test(s.name));
  }
  for (const a of m.attributes ?? []) {
    const key = a.key;
    let test: (v: AttributeValue) => boolean;
    if (a.value === undefined) test = () => true;
    else if (regexp) {
      const re = compileConfigRegex(a.value as string);
      test = (v) => re.test(asString(v));
    } else {
      const want = fromConfig(a.value);
      test = (v) => sameValue(v, want);
    }
    tests.push((s) => Object.hasOwn(s.attributes, key) && test(s.attributes[key]));
  }
  return (span) => tests.every((t) => t(span));
}
