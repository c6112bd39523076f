/**
 * Checks a whole config at once and reports every problem with its key path, as
 * `genba validate` prints them: unknown keys, unknown component types, pipelines that name
 * components nobody defined, and each component's own settings.
 */
import type { AnalysisConfig } from '@genba/analysis';
import { parseAnalysisConfig } from '@genba/analysis';
import { parseDuration } from '@genba/model';
import type { ZodType } from 'zod';
import type { ComponentRegistry } from '../pipeline/component-registry.ts';
import { typeOf } from '../pipeline/component-registry.ts';
import { ConfigError, issueLines } from './config-error.ts';
import { configSchema, DEFAULT_PIPELINES, type GenbaSection, type PipelineConfig } from './config-schema.ts';

export interface ComponentConfig {
  id: string;
  type: string;
  config: unknown;
}

export interface ValidConfig {
  genba: GenbaSection & { retentionDays: number };
  /** `analysis.rules` before the default rules (or instead, with `replace_defaults`). */
  analysis: AnalysisConfig;
  receivers: Map<string, ComponentConfig>;
  processors: Map<string, ComponentConfig>;
  exporters: Map<string, ComponentConfig>;
  pipelines: Record<string, PipelineConfig>;
}

export interface ValidateOptions {
  source?: string;
  /** Endpoints the config leaves out get port 0 (a free port): for tests. */
  anyPort?: boolean;
}

const KINDS = ['receivers', 'processors', 'exporters'] as const;

export function validateConfig(
  raw: unknown,
  registry: ComponentRegistry,
  opts: ValidateOptions = {},
): ValidConfig {
  const source = opts.source ?? 'config';
  const top = configSchema.safeParse(raw ?? {});
  if (!top.success) throw new ConfigError(issueLines('', top.error.issues), source);
  const c = top.data;
  const problems: string[] = [];

  const retention = c.genba.retention === '0' ? 0n : parseDuration(c.genba.retention);
  if (retention === undefined || retention < 0n)
    problems.push(`genba.retention: expected a duration such as 7d or 36h, or 0; got "${c.genba.retention}"`);
  const retentionDays = Number(retention ?? 0n) / 86_400e9;

  // A file with no pipeline of its own (only `genba:`) runs the default one.
  const own = c.receivers || c.processors || c.exporters || c.service;
  const base = own
    ? { receivers: c.receivers ?? {}, processors: c.processors ?? {}, exporters: c.exporters ?? {} }
    : DEFAULT_PIPELINES;
  const pipelines = own ? (c.service?.pipelines ?? {}) : DEFAULT_PIPELINES.service.pipelines;
  if (own && Object.keys(pipelines).length === 0)
    problems.push('service.pipelines: define at least one pipeline, e.g. `traces`');

  let analysis: AnalysisConfig = { rules: [] };
  try {
    analysis = parseAnalysisConfig(c.analysis);
  } catch (err) {
    problems.push(...(err as Error).message.split('\n'));
  }

  const out: ValidConfig = {
    genba: { ...c.genba, retentionDays },
    analysis,
    receivers: new Map(),
    processors: new Map(),
    exporters: new Map(),
    pipelines: pipelines as Record<string, PipelineConfig>,
  };
  const used = { receivers: new Set<string>(), processors: new Set<string>(), exporters: new Set<string>() };
  for (const [name, p] of Object.entries(out.pipelines)) {
    if (typeOf(name) !== 'traces')
      problems.push(`service.pipelines.${name}: only traces pipelines exist (traces or traces/NAME)`);
    for (const kind of KINDS)
      for (const id of p[kind]) {
        if (!(id in base[kind]))
          problems.push(`service.pipelines.${name}.${kind}: "${id}" is not defined under ${kind}:`);
        used[kind].add(id);
      }
    const dup = p.processors.find((id, i) => p.processors.indexOf(id) !== i);
    if (dup) problems.push(`service.pipelines.${name}.processors: "${dup}" is listed twice`);
  }

  for (const kind of KINDS) {
    const types: Record<string, { schema: ZodType }> = registry[kind];
    for (const [id, body] of Object.entries(base[kind] as Record<string, unknown>)) {
      const type = typeOf(id);
      const entry = types[type];
      if (!entry) {
        problems.push(
          `${kind}.${id}: unknown ${kind.slice(0, -1)} type "${type}"; known: ${Object.keys(types).join(', ')}`,
        );
        continue;
      }
      let value = body ?? {};
      const r = registry.receivers[type];
      if (kind === 'receivers' && r?.defaults)
        value = r.defaults(value as Record<string, unknown>, c.genba.listen, opts.anyPort ?? false);
      const parsed = entry.schema.safeParse(value);
      if (!parsed.success) {
        problems.push(...issueLines(`${kind}.${id}`, parsed.error.issues));
        continue;
      }
      // Components defined but in no pipeline are ignored, as the Collector does.
      if (used[kind].has(id)) out[kind].set(id, { id, type, config: parsed.data });
    }
  }
  if (c.genba.role === 'router' && [...out.exporters.values()].some((e) => e.type === 'store'))
    problems.push('genba.role: a router has no store; use the loadbalancing exporter, not store');
  if (problems.length) throw new ConfigError(problems, source);
  return out;
}
