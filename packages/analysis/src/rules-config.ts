/**
 * `analysis.rules` from a config file: snake_case YAML to `Rule`s, every problem reported with its
 * key path. Hand-checked rather than with a schema library, so the SDK can share it.
 */
import { CATEGORIES, isCategory } from './categories.ts';
import type { Rule, RuleCondition, SpanKindName } from './rules.ts';
import { DEFAULT_RULES } from './rules.ts';

export interface AnalysisConfig {
  /** The user's rules first, then the defaults unless `replace_defaults` is true. */
  rules: readonly Rule[];
}

const KINDS: readonly SpanKindName[] = [
  'internal',
  'server',
  'client',
  'producer',
  'consumer',
  'unspecified',
];
const LISTS = {
  kind: 'kind',
  name_prefix: 'namePrefix',
  component: 'component',
  service: 'service',
  values: 'values',
} as const;
const FLAGS = {
  error: 'error',
  retried: 'retried',
  remote_child: 'remoteChild',
  wait_only: 'waitOnly',
} as const;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function textList(v: unknown, path: string, problems: string[]): string[] | undefined {
  const list = typeof v === 'string' ? [v] : v;
  if (!Array.isArray(list) || list.length === 0 || !list.every((x) => typeof x === 'string' && x !== '')) {
    problems.push(`${path}: expected a non-empty text or list of texts`);
    return undefined;
  }
  return list as string[];
}

function condition(raw: unknown, path: string, problems: string[]): RuleCondition {
  const when: RuleCondition = {};
  if (!isRecord(raw)) {
    problems.push(`${path}: expected a map of conditions`);
    return when;
  }
  for (const [key, v] of Object.entries(raw)) {
    const at = `${path}.${key}`;
    if (key in LISTS) {
      const list = textList(v, at, problems);
      if (list === undefined) continue;
      if (key === 'kind' && !list.every((k) => (KINDS as readonly string[]).includes(k)))
        problems.push(`${at}: each kind must be one of ${KINDS.join(', ')}`);
      (when as Record<string, unknown>)[LISTS[key as keyof typeof LISTS]] = list;
    } else if (key in FLAGS) {
      if (typeof v !== 'boolean') problems.push(`${at}: expected true or false`);
      else (when as Record<string, unknown>)[FLAGS[key as keyof typeof FLAGS]] = v;
    } else if (key === 'attribute') {
      if (typeof v !== 'string' || v === '') problems.push(`${at}: expected an attribute key`);
      else when.attribute = v;
    } else {
      problems.push(
        `${at}: unknown condition; expected one of ${[...Object.keys(LISTS), ...Object.keys(FLAGS), 'attribute'].join(', ')}`,
      );
    }
  }
  if (when.values !== undefined && when.attribute === undefined)
    problems.push(`${path}.values: needs 'attribute' beside it`);
  return when;
}

/** Throws an Error listing every problem when the section is malformed. */
export function parseAnalysisConfig(raw: unknown, path = 'analysis'): AnalysisConfig {
  if (raw === undefined || raw === null) return { rules: DEFAULT_RULES };
  const problems: string[] = [];
  const rules: Rule[] = [];
  let replace = false;
  if (!isRecord(raw)) problems.push(`${path}: expected a map with 'rules'`);
  else {
    for (const key of Object.keys(raw))
      if (key !== 'rules' && key !== 'replace_defaults')
        problems.push(`${path}.${key}: unknown key; expected rules, replace_defaults`);
    if (raw.replace_defaults !== undefined) {
      if (typeof raw.replace_defaults !== 'boolean')
        problems.push(`${path}.replace_defaults: expected true or false`);
      else replace = raw.replace_defaults;
    }
    const list = raw.rules ?? [];
    if (!Array.isArray(list)) problems.push(`${path}.rules: expected a list of rules`);
    else
      list.forEach((r: unknown, i) => {
        const at = `${path}.rules.${i}`;
        if (!isRecord(r)) {
          problems.push(`${at}: expected a map with category and when`);
          return;
        }
        for (const key of Object.keys(r))
          if (!['name', 'category', 'when'].includes(key))
            problems.push(`${at}.${key}: unknown key; expected name, category, when`);
        if (!isCategory(r.category))
          problems.push(`${at}.category: expected one of ${CATEGORIES.join(', ')}`);
        if (r.name !== undefined && typeof r.name !== 'string') problems.push(`${at}.name: expected text`);
        const when = condition(r.when ?? {}, `${at}.when`, problems);
        rules.push({
          name: typeof r.name === 'string' ? r.name : `rule ${i}`,
          category: r.category as Rule['category'],
          when,
        });
      });
  }
  if (problems.length > 0) throw new Error(problems.join('\n'));
  return { rules: replace ? rules : [...rules, ...DEFAULT_RULES] };
}
