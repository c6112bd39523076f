/**
 * The `attributes` processor, keyed like the Collector's: `actions` applied in order to each
 * span's attributes, to the spans that `include` matches and `exclude` does not.
 *
 * - insert / update / upsert: `key` with one of `value`, `from_attribute` (no-op when that
 *   attribute is missing), and optionally `default_value` when the source gives nothing.
 *   `from_context` is refused: Genba's receivers do not hand request metadata to processors.
 * - delete / hash: `key` and/or `pattern` (a regexp over attribute keys).
 * - extract: `key` (a string attribute) and `pattern` with named groups only; each group's text
 *   is written to the attribute of that name.
 * - convert: `key` and `converted_type` (int, double or string); values that do not convert stay.
 * - `hash_algorithm` (Genba extension): sha256 (today's Collector) or sha1 (older Collectors).
 *
 * Values keep Genba's types: string, boolean, number (double), bigint (int). Regexps are compiled
 * once, when the processor is made, and refused at validation with the key named.
 */
import type { Attributes, AttributeValue, Span } from '@genba/model';
import { z } from 'zod';
import type { ComponentContext, Stage } from '../component.ts';
import type { SpanConsumer } from '../span-consumer.ts';
import { compileMatcher, configValue, matchProperties, type SpanMatcher } from './attributes-match.ts';
import {
  compileConfigRegex,
  convertValue,
  copyValue,
  fromConfig,
  type HashAlgorithm,
  hashValue,
} from './attributes-value.ts';

const ACTIONS = ['insert', 'update', 'upsert', 'delete', 'hash', 'extract', 'convert'] as const;
type ActionName = (typeof ACTIONS)[number];

const actionSchema = z
  .object({
    key: z.string().optional(),
    value: configValue.nullish(),
    from_attribute: z.string().optional(),
    from_context: z.string().optional(),
    default_value: configValue.nullish(),
    // The Collector accepts the action in any case.
    action: z
      .string()
      .transform((s) => s.toLowerCase())
      .pipe(z.enum(ACTIONS, { message: `action must be one of ${ACTIONS.join(', ')}` })),
    pattern: z.string().optional(),
    converted_type: z.enum(['int', 'double', 'string']).optional(),
  })
  .strict();

type ActionConfig = z.output<typeof actionSchema>;

/** The problems of one action, each with the key it is about. */
function actionProblems(a: ActionConfig): { key: string; message: string }[] {
  const out: { key: string; message: string }[] = [];
  const setsValue = a.action === 'insert' || a.action === 'update' || a.action === 'upsert';
  const has = (
    k: 'value' | 'from_attribute' | 'from_context' | 'default_value' | 'pattern' | 'converted_type',
  ) => a[k] !== undefined && a[k] !== null && a[k] !== '';
  const unused = (k: Parameters<typeof has>[0]) => {
    if (has(k)) out.push({ key: k, message: `action "${a.action}" does not use ${k}` });
  };
  if (has('from_context'))
    out.push({
      key: 'from_context',
      message: 'from_context is not supported: Genba receivers do not pass request metadata to processors',
    });
  if (a.action === 'delete' || a.action === 'hash') {
    if (!a.key && !a.pattern)
      out.push({ key: 'key', message: `action "${a.action}" needs key and/or pattern` });
  } else if (!a.key) out.push({ key: 'key', message: `action "${a.action}" needs a key` });
  if (setsValue) {
    const sources = (['value', 'from_attribute', 'from_context'] as const).filter(has);
    if (sources.length === 0 && !has('default_value'))
      out.push({ key: 'value', message: `action "${a.action}" needs one of value or from_attribute` });
    if (sources.length > 1)
      out.push({ key: sources[1], message: `set only one of value, from_attribute and from_context` });
    unused('pattern');
    unused('converted_type');
  } else {
    for (const k of ['value', 'from_attribute', 'default_value'] as const) unused(k);
    if (a.action !== 'convert') unused('converted_type');
  }
  if (a.action === 'extract' && !a.pattern)
    out.push({ key: 'pattern', message: 'action "extract" needs a pattern with named groups' });
  if (a.action === 'convert') {
    unused('pattern');
    if (!a.converted_type)
      out.push({
        key: 'converted_type',
        message: 'action "convert" needs converted_type: int, double or string',
      });
  }
  if (a.pattern) {
    try {
      const re = compileConfigRegex(a.pattern);
      if (a.action === 'extract') {
        // Matching the empty alternative reveals how many groups the pattern has.
        const probe = new RegExp(`${re.source}|`).exec('');
        const groups = (probe?.length ?? 1) - 1;
        const named = Object.keys(probe?.groups ?? {}).length;
        if (named === 0)
          out.push({ key: 'pattern', message: 'the extract pattern has no named groups (?<name>…)' });
        else if (named < groups)
          out.push({
            key: 'pattern',
            message: 'every group of an extract pattern must be named; use (?:…) otherwise',
          });
      }
    } catch (err) {
      out.push({ key: 'pattern', message: `invalid regexp "${a.pattern}": ${(err as Error).message}` });
    }
  }
  return out;
}

export const attributesProcessorConfig = z
  .object({
    actions: z.array(actionSchema).min(1, 'list at least one action'),
    include: matchProperties.optional(),
    exclude: matchProperties.optional(),
    /** Genba extension: the `hash` action's digest. */
    hash_algorithm: z.enum(['sha256', 'sha1']).default('sha256'),
  })
  .strict()
  .superRefine((c, ctx) => {
    c.actions.forEach((a, i) => {
      for (const p of actionProblems(a))
        ctx.addIssue({ code: 'custom', path: ['actions', i, p.key], message: p.message });
    });
  });

export type AttributesProcessorConfig = z.output<typeof attributesProcessorConfig>;

type Apply = (attrs: Attributes) => void;

/** Assigns as an own property even for the key `__proto__`, which plain assignment would not. */
function put(attrs: Attributes, key: string, v: AttributeValue): void {
  if (key === '__proto__')
    Object.defineProperty(attrs, key, { value: v, enumerable: true, writable: true, configurable: true });
  else attrs[key] = v;
}

function compileAction(a: ActionConfig, algorithm: HashAlgorithm): Apply {
  const key = a.key ?? '';
  const re = a.pattern ? compileConfigRegex(a.pattern) : undefined;
  const fixed = a.value !== undefined && a.value !== null ? fromConfig(a.value) : undefined;
  const fallback =
    a.default_value !== undefined && a.default_value !== null ? fromConfig(a.default_value) : undefined;
  const from = a.from_attribute;
  const source = (attrs: Attributes): AttributeValue | undefined => {
    if (fixed !== undefined) return fixed;
    if (from !== undefined && Object.hasOwn(attrs, from)) return attrs[from];
    return fallback;
  };
  const keysMatching = (attrs: Attributes) => (re ? Object.keys(attrs).filter((k) => re.test(k)) : []);
  const action: ActionName = a.action;
  switch (action) {
    case 'insert':
      return (attrs) => {
        const v = source(attrs);
        if (v !== undefined && !Object.hasOwn(attrs, key)) put(attrs, key, copyValue(v));
      };
    case 'update':
      return (attrs) => {
        const v = source(attrs);
        if (v !== undefined && Object.hasOwn(attrs, key)) put(attrs, key, copyValue(v));
      };
    case 'upsert':
      return (attrs) => {
        const v = source(attrs);
        if (v !== undefined) put(attrs, key, copyValue(v));
      };
    case 'delete':
      return (attrs) => {
        if (key) delete attrs[key];
        for (const k of keysMatching(attrs)) delete attrs[k];
      };
    case 'hash':
      return (attrs) => {
        const keys = new Set(keysMatching(attrs));
        if (key && Object.hasOwn(attrs, key)) keys.add(key);
        for (const k of keys) put(attrs, k, hashValue(attrs[k], algorithm));
      };
    case 'extract':
      return (attrs) => {
        const v = Object.hasOwn(attrs, key) ? attrs[key] : undefined;
        if (typeof v !== 'string' || !re) return;
        const m = re.exec(v);
        if (!m?.groups) return;
        for (const [name, text] of Object.entries(m.groups)) put(attrs, name, text ?? '');
      };
    case 'convert': {
      const to = a.converted_type ?? 'string';
      return (attrs) => {
        if (Object.hasOwn(attrs, key)) put(attrs, key, convertValue(attrs[key], to));
      };
    }
  }
}

export function createAttributesProcessor(
  config: AttributesProcessorConfig,
  next: SpanConsumer,
  _ctx: ComponentContext,
  _name = 'attributes',
): Stage {
  const actions = config.actions.map((a) => compileAction(a, config.hash_algorithm));
  const include: SpanMatcher | undefined = config.include ? compileMatcher(config.include) : undefined;
  const exclude: SpanMatcher | undefined = config.exclude ? compileMatcher(config.exclude) : undefined;
  return {
    async consume(spans: Span[]) {
      for (const span of spans) {
        if (include && !include(span)) continue;
        if (exclude?.(span)) continue;
        for (const apply of actions) apply(span.attributes);
      }
      return next.consume(spans);
    },
  };
}
